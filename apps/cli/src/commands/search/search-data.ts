import { ContentQueryError, searchContent } from '@sessions-db/content';
import type { ContentRole, SearchHit } from '@sessions-db/content';
import type { SessionRecord } from '@sessions-db/projection';
import type { FindQuery } from '@sessions-db/store';
import {
  archiveEnabled,
  catchUpScope,
  contentPathsIn,
  sessionTranscriptRefs,
} from '@sessions-db/store/content';
import { positiveIntegerArg, stringArg } from '../../args.js';
import { CliError, usageError } from '../../cli-error.js';
import type { CommandContext } from '../../command-context.js';
import type { ParsedArgs } from '../../command-spec.js';
import {
  catchUpForSearch,
  openContentIndexFor,
  openingWarnings,
} from '../../content/content-store.js';
import type { Paint } from '../../format/colors.js';
import { displayLabel } from '../../format/session-label.js';
import { requireSession } from '../../session-ref.js';
import { parseSince } from '../../since.js';

/** Roles `--role` accepts. */
export const SEARCH_ROLES: readonly ContentRole[] = ['user', 'assistant', 'tool'];
/** Sessions listed when `--limit` is absent. */
export const DEFAULT_SEARCH_LIMIT = 20;
/** Markers around the match in a {@link SearchData} snippet (replaced when printed). */
export const MATCH_OPEN = '\u0002';
/** See {@link MATCH_OPEN}. */
export const MATCH_CLOSE = '\u0003';

/** One `search --json` hit. */
export interface SearchJsonHit {
  readonly stable_id: string;
  readonly claude_session_id: string;
  readonly label: string | null;
  readonly role: ContentRole;
  readonly ts: string;
  readonly snippet: string;
  readonly score: number;
  readonly more_matches: number;
}

/** What a search found: the hits (snippets marked with {@link MATCH_OPEN}/{@link MATCH_CLOSE}). */
export interface SearchData {
  readonly hits: readonly SearchHit[];
  /** The sessions of the hits by stable id (labels, projects and branches). */
  readonly sessions: ReadonlyMap<string, SessionRecord>;
  /** Warnings for stderr (the index is too far behind to catch up first). */
  readonly warnings: readonly string[];
}

/** How {@link runSearch} treats the content index. */
export type SearchMode =
  /** `search`: first index the transcripts that grew (up to `SEARCH_CATCH_UP_BYTES` of them). */
  | 'catch-up'
  /** `mcp`: search what is indexed, writing nothing (no index yet: no hits). */
  | 'read-only';

/**
 * `search`'s flags (`query`, `project`, `branch`, `cwd`, `agent`, `since`, `role`, `session`,
 * `limit`) run against the content index: one hit per logical session, best first.
 *
 * @throws CliError (exit 2) on a bad `--role`, `--since`, `--limit` or a malformed query; (exit 1)
 * for an unknown `--session` or a store without files.
 */
export async function runSearch(
  args: ParsedArgs,
  context: CommandContext,
  mode: SearchMode,
): Promise<SearchData> {
  const query = stringArg(args, 'query') ?? '';
  const role = stringArg(args, 'role');
  if (role !== undefined && !SEARCH_ROLES.includes(role as ContentRole)) {
    throw usageError(`--role must be one of: ${SEARCH_ROLES.join(', ')}`);
  }
  const limitArg = positiveIntegerArg(args, 'limit');
  const sinceArg = stringArg(args, 'since');
  const since = sinceArg === undefined ? undefined : parseSince(sinceArg, context.deps.now());
  const store = await context.openStore();
  if (store.paths === null)
    throw new CliError('STORE_UNAVAILABLE', 'content search needs an on-disk store');
  const paths = contentPathsIn(store.paths);
  const filter: Record<string, unknown> = { limit: null };
  for (const key of ['project', 'branch', 'cwd', 'agent'] as const) {
    const value = stringArg(args, key);
    if (value !== undefined && value !== '') filter[key] = value;
  }
  let scope: SessionRecord[] | undefined =
    Object.keys(filter).length > 1 ? store.findSessions(filter as FindQuery) : undefined;
  const sessionRef = stringArg(args, 'session');
  if (sessionRef !== undefined) {
    const { session } = requireSession(store, sessionRef);
    scope =
      scope === undefined ? [session] : scope.filter((s) => s.stable_id === session.stable_id);
  }
  const opened = openContentIndexFor(paths.indexPath, mode === 'catch-up');
  const { index, busy } = opened;
  if (index === null) return { hits: [], sessions: new Map(), warnings: openingWarnings(opened) };
  try {
    const warnings = openingWarnings(opened);
    if (mode === 'catch-up' && !busy) {
      // Catch up only on the transcripts that grew since they were indexed: those whose stat
      // changed since the last catch-up and those of sessions written since (see catchUpScope).
      warnings.push(
        ...catchUpForSearch(
          index,
          () => catchUpScope(store, index),
          (id) => sessionTranscriptRefs(store, id),
          paths,
          { archive: archiveEnabled(context.deps.env), now: context.deps.now() },
        ),
      );
    }
    try {
      const hits = searchContent(index, query, {
        ...(role === undefined ? {} : { role: role as ContentRole }),
        ...(since === undefined ? {} : { since }),
        ...(scope === undefined ? {} : { stableIds: scope.map((s) => s.stable_id) }),
        limit: limitArg === undefined ? DEFAULT_SEARCH_LIMIT : Math.floor(limitArg),
        highlight: [MATCH_OPEN, MATCH_CLOSE],
      });
      // only the sessions shown are read from the store
      const sessions = new Map<string, SessionRecord>();
      for (const hit of hits) {
        if (sessions.has(hit.stable_id)) continue;
        const found = store.getSession(hit.stable_id);
        if (found.ok) sessions.set(hit.stable_id, found.session);
      }
      return { hits, sessions, warnings };
    } catch (error) {
      if (error instanceof ContentQueryError) throw usageError(error.message, 'INVALID_QUERY');
      throw error;
    }
  } finally {
    index.close();
  }
}

/** The hits as `search --json` prints them (the match in the snippet between `[` and `]`). */
export function searchJson(data: SearchData): SearchJsonHit[] {
  return data.hits.map((hit) => ({
    stable_id: hit.stable_id,
    claude_session_id: hit.claude_session_id,
    label: displayLabel(data.sessions.get(hit.stable_id) ?? {}).text,
    role: hit.role,
    ts: hit.ts,
    snippet: hit.snippet.replaceAll(MATCH_OPEN, '[').replaceAll(MATCH_CLOSE, ']'),
    score: hit.score,
    more_matches: hit.more_matches,
  }));
}

/** Controls and whitespace, but the match markers: folded to one space in a snippet. */
// eslint-disable-next-line no-control-regex
const SNIPPET_SPACE = /[\s\u0000\u0001\u0004-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]+/g;

/**
 * A snippet on one line with its match shown: yellow with colour, between `[` and `]` without.
 * Controls and runs of whitespace become one space; the spaces around the match are kept.
 */
export function highlightSnippet(snippet: string, paint: Paint): string {
  return snippet
    .replace(SNIPPET_SPACE, ' ')
    .trim()
    .split(MATCH_OPEN)
    .map((part, i) => {
      if (i === 0) return part;
      const [match = '', rest = ''] = part.split(MATCH_CLOSE);
      return paint.enabled ? paint.yellow(match) + rest : `[${match}]${rest}`;
    })
    .join('');
}
