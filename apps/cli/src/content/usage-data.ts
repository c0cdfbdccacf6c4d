/**
 * Tokens and cost per logical session (issue 15): read from the usage the content index keeps
 * (computed from the archive, so it outlives the agent's cleanup), priced with the built-in table
 * or the user's price file. The `usage` command, `show`'s usage block and `find --cost` use it.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import {
  BUILTIN_PRICES,
  BUILTIN_PRICES_SOURCE,
  addTokens,
  catchUpUsage,
  mergePriceFile,
  PriceFileError,
  priceUsage,
  readUsage,
  ZERO_TOKENS,
} from '@sessions-db/content';
import type { ContentIndex, PriceTable, TokenCounts, UsageRow } from '@sessions-db/content';
import type { SessionRecord } from '@sessions-db/projection';
import type { SessionsStore } from '@sessions-db/store';
import { userConfigDir } from '@sessions-db/store';
import {
  archiveEnabled,
  catchUpScope,
  contentPathsIn,
  sessionTranscriptRefs,
} from '@sessions-db/store/content';
import { existsSync } from 'node:fs';

import { CliError } from '../cli-error.js';
import { catchUpContent, openContentIndexFor, openingWarnings } from './content-store.js';

/** The user's price file, beside the user configuration (`prices.json`). */
export const PRICE_FILE_NAME = 'prices.json';

/** A price table and where it came from. */
export interface Prices {
  readonly table: PriceTable;
  /** The built-in table's source and date, and the user file laid over it when there is one. */
  readonly source: string;
  readonly file: string | null;
}

/**
 * The prices `usage` uses: the built-in table, with the user's price file (`--prices FILE`, else
 * `<user config dir>/prices.json` when it exists) laid over it.
 *
 * @throws CliError `PRICE_FILE_INVALID` (exit 2) for an unreadable or malformed file.
 */
export function loadPrices(
  env: Readonly<Record<string, string | undefined>>,
  file?: string,
): Prices {
  const path = file ?? join(userConfigDir(env), PRICE_FILE_NAME);
  if (file === undefined && !existsSync(path))
    return { table: BUILTIN_PRICES, source: BUILTIN_PRICES_SOURCE, file: null };
  try {
    const table = mergePriceFile(JSON.parse(readFileSync(path, 'utf8')) as unknown);
    return { table, source: BUILTIN_PRICES_SOURCE, file: path };
  } catch (error) {
    const why =
      error instanceof PriceFileError || error instanceof SyntaxError
        ? error.message
        : (error as Error).message;
    throw new CliError('PRICE_FILE_INVALID', `price file ${path}: ${why}`, { exitCode: 2 });
  }
}

/** Tokens of one model within a group, and their cost (null: the model has no price). */
export interface ModelUsage {
  readonly model: string;
  readonly responses: number;
  readonly tokens: TokenCounts;
  readonly cost: number | null;
}

/** Usage of a group of responses (a session, a task, a day…). */
export interface UsageSummary {
  readonly responses: number;
  readonly tokens: TokenCounts;
  /** Dollars; null when any model with tokens has no price (never a partial sum). */
  readonly cost: number | null;
  readonly models: readonly ModelUsage[];
}

/** Price a set of usage rows: per model, then in all. */
export function summarize(rows: readonly UsageRow[], prices: PriceTable): UsageSummary {
  const byModel = new Map<string, { responses: number; tokens: TokenCounts }>();
  for (const row of rows) {
    const model = byModel.get(row.model) ?? { responses: 0, tokens: ZERO_TOKENS };
    byModel.set(row.model, {
      responses: model.responses + row.responses,
      tokens: addTokens(model.tokens, row.tokens),
    });
  }
  const models = [...byModel.entries()]
    .map(([model, total]) => ({ model, ...total }))
    .sort((a, b) => a.model.localeCompare(b.model));
  const priced = priceUsage(models, prices);
  return {
    responses: models.reduce((sum, m) => sum + m.responses, 0),
    tokens: models.reduce((sum, m) => addTokens(sum, m.tokens), ZERO_TOKENS),
    cost: priced.cost,
    models: models.map((m, i) => ({ ...m, cost: priced.models[i]?.cost ?? null })),
  };
}

/** Options of {@link readSessionUsage}. */
export interface SessionUsageOptions {
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Only responses at or after this ISO time. */
  readonly since?: string;
  /** Only these sessions (`show`, `find --cost`): nothing else is read. */
  readonly sessions?: readonly SessionRecord[];
  /**
   * Bring the content index up to date first (new lines, usage an older index did not keep), as
   * `search` does: only the transcripts that can have grown are stat'ed (those seen before and
   * not settled, and those of sessions written to the log since; see `catchUpScope`). `usage`
   * does; `show` and `find` read what is there.
   */
  readonly catchUp?: boolean;
  /** The clock of the catch-up (epoch ms; see `catchUpContent`); required with `catchUp`. */
  readonly now?: number;
}

/** The usage rows of the store, and warnings about what could not be brought up to date. */
export interface SessionUsage {
  readonly rows: readonly UsageRow[];
  readonly warnings: readonly string[];
  /** False when the store has no content index yet (nothing archived or indexed). */
  readonly indexed: boolean;
}

/** How far from its root a session is (parent hops), and when it was created. */
interface Place {
  readonly depth: number;
  readonly created: number;
  readonly ancestors: ReadonlySet<string>;
}

/**
 * The order in which sessions that hold copies of one API response own it: an ancestor before
 * its descendants (a fork's or clear's copied history stays with its origin), then the session
 * created first. Reads each session's parent chain once, through the store.
 */
function ownerOrder(store: SessionsStore): (a: string, b: string) => number {
  const places = new Map<string, Place>();
  const placeOf = (stableId: string): Place => {
    let place = places.get(stableId);
    if (place === undefined) {
      const tree = store.sessionTree(stableId, { ancestors: true, maxDepth: 0 });
      const parsed = tree.ok ? Date.parse(tree.tree.root.session.created_at) : Number.NaN;
      const ancestors = tree.ok ? tree.tree.ancestors.map((entry) => entry.session.stable_id) : [];
      place = {
        depth: ancestors.length,
        created: Number.isFinite(parsed) ? parsed : Number.MAX_SAFE_INTEGER,
        ancestors: new Set(ancestors),
      };
      places.set(stableId, place);
    }
    return place;
  };
  return (a, b) => {
    const pa = placeOf(a);
    const pb = placeOf(b);
    if (pb.ancestors.has(a)) return -1;
    if (pa.ancestors.has(b)) return 1;
    return pa.created - pb.created || pa.depth - pb.depth;
  };
}

/**
 * The deduplicated usage of the store's sessions, per session, model and day. A response copied
 * into several sessions' files (a fork's history) is billed to its origin (see `ownerOrder`).
 */
export function readSessionUsage(store: SessionsStore, options: SessionUsageOptions): SessionUsage {
  if (store.paths === null)
    throw new CliError('STORE_UNAVAILABLE', 'usage needs an on-disk store (it reads the archive)');
  const paths = contentPathsIn(store.paths);
  // Without a catch-up it only reads (`show`, and so `sessions-db mcp`): an index made before
  // usage was indexed has no usage tables, and is not given them here.
  const catchUp = options.catchUp === true;
  const opened = openContentIndexFor(paths.indexPath, catchUp);
  const { index, busy } = opened;
  const warnings = openingWarnings(opened);
  if (index === null) return { rows: [], warnings, indexed: false };
  try {
    if ((!catchUp || busy) && !hasUsageTables(index.db))
      return { rows: [], warnings, indexed: false };
    if (catchUp && !busy) {
      warnings.push(
        ...catchUpContent(
          index,
          catchUpScope(store, index),
          (id) => sessionTranscriptRefs(store, id),
          paths,
          { archive: archiveEnabled(options.env), now: options.now ?? 0 },
        ),
      );
      catchUpUsage(index, paths.archiveDir);
    }
    const order = ownerOrder(store);
    const rows = readUsage(index.db, {
      order,
      ...(options.since === undefined ? {} : { since: options.since }),
      ...(options.sessions === undefined
        ? {}
        : { stableIds: options.sessions.map((s) => s.stable_id) }),
    });
    return { rows, warnings, indexed: true };
  } finally {
    index.close();
  }
}

/** Whether the content index has the usage tables (an index made before usage has not). */
function hasUsageTables(db: ContentIndex['db']): boolean {
  return (
    db
      .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'usage_responses'")
      .get() !== undefined
  );
}

/** Each of `sessions`' usage, priced (sessions without indexed usage are absent). */
export function sessionSummaries(
  store: SessionsStore,
  sessions: readonly SessionRecord[],
  env: Readonly<Record<string, string | undefined>>,
): Map<string, UsageSummary> {
  const { rows } = readSessionUsage(store, { env, sessions });
  const bySession = new Map<string, UsageRow[]>();
  for (const row of rows)
    bySession.set(row.stableId, [...(bySession.get(row.stableId) ?? []), row]);
  if (bySession.size === 0) return new Map();
  const { table } = loadPrices(env);
  return new Map([...bySession.entries()].map(([id, list]) => [id, summarize(list, table)]));
}
