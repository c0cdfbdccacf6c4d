import type { TranscriptMeta } from '@sessions-db/git-transcript';
import type { ImportCounts, ImportedTranscript, ImportStatus } from './import-types.js';
import { headStillMissing, isUnchanged } from './scan-history.js';
import type {
  KeyedHistory,
  KeyedTranscript,
  ScannedHistory,
  ScannedTranscript,
} from './scan-history.js';

/**
 * One write of a recorded transcript, executed in order. `seen`: `session_seen` at the first
 * timestamp through the hook's identity pipeline (with the harvested titles when `titles`);
 * `end`: `session_end` (reason `import`) at the last timestamp, with the titles, so last progress
 * is the real last activity.
 */
export type ImportStep =
  | { readonly kind: 'seen'; readonly ts: string; readonly titles: boolean }
  | { readonly kind: 'end'; readonly ts: string };

/** What the import does with one transcript. */
export type PlannedAction =
  | { readonly kind: 'skip'; readonly reason: string }
  | { readonly kind: 'unchanged'; readonly stableId: string | null }
  /** `--dry-run`: what a real run would report. */
  | { readonly kind: 'preview'; readonly status: 'new' | 'updated' }
  | {
      readonly kind: 'record';
      /** What was read of the transcript: the identity pipeline's input. */
      readonly transcript: TranscriptMeta;
      /** The facts' clock (epoch ms): the first timestamp, else the import's time. */
      readonly factsNow: number;
      readonly steps: readonly ImportStep[];
    };

/** One transcript of the plan, in the order it is processed. */
export interface PlannedTranscript {
  readonly scanned: ScannedTranscript;
  /** Its line of the summary before anything is written (status and reason come from the action). */
  readonly base: Omit<ImportedTranscript, 'status' | 'reason'>;
  readonly action: PlannedAction;
}

/** What {@link planImport} decides from. */
export interface PlanInput {
  readonly since?: string | undefined;
  readonly dryRun: boolean;
  /** The import's time (epoch ms), for a transcript without any timestamp. */
  readonly now: number;
}

/** The ordered plan plus the subagent totals of the scan. */
export interface ImportPlan {
  readonly transcripts: readonly PlannedTranscript[];
  /** After the transcripts: apply the sweep rules to the store (not on a dry run). */
  readonly sweep: boolean;
  readonly subagentTranscripts: number;
  readonly subagentsWithoutParent: number;
}

function isoOrNull(ms: number): string | null {
  return Number.isFinite(ms) ? new Date(ms).toISOString() : null;
}

interface Ordered {
  readonly scanned: ScannedTranscript;
  /** Sort key: first timestamp, else mtime. */
  readonly key: string;
  /** The file starts with copied history (a fork or a legacy resume): after its origin on a tie. */
  readonly copy: boolean;
}

/**
 * A copy (a `forkedFrom` marker, or records of another session id: a legacy resume) keeps the
 * timestamps of what it copied, so it ties with its origin and must come after it.
 */
function orderOf(scanned: ScannedTranscript): Ordered {
  const { file, meta } = scanned;
  const copy =
    meta !== null &&
    (meta.forkedFrom !== null || (meta.sessionId !== null && meta.sessionId !== file.sessionId));
  return { scanned, copy, key: orderKey(file.mtimeMs, meta?.firstTimestamp ?? null) };
}

/** The sort key of a transcript: its first timestamp, else its mtime. */
function orderKey(mtimeMs: number, firstTimestamp: string | null): string {
  return firstTimestamp ?? isoOrNull(mtimeMs) ?? '';
}

/** Oldest first; on the same first timestamp an origin before its copies; then by path. */
function compareOrder(a: Ordered, b: Ordered): number {
  if (a.key !== b.key) return a.key < b.key ? -1 : 1;
  if (a.copy !== b.copy) return a.copy ? 1 : -1;
  const pa = a.scanned.file.path;
  const pb = b.scanned.file.path;
  return pa < pb ? -1 : pa > pb ? 1 : 0;
}

/** Why a transcript that was read cannot be recorded, or `null`. */
function unrecordable(meta: TranscriptMeta): string | null {
  if (meta.status === 'missing' || meta.status === 'corrupted')
    return `unreadable transcript (${meta.reason ?? meta.status})`;
  if (meta.firstUuid === null && meta.firstHumanPromptRaw === null && meta.status === 'ok')
    return 'no conversation records';
  return null;
}

/** The writes of a transcript: `seen` at its first timestamp, `end` at a later last one. */
function recordSteps(meta: TranscriptMeta, now: number): ImportStep[] {
  const first = meta.firstTimestamp ?? meta.mtime ?? new Date(now).toISOString();
  const last = meta.lastTimestamp;
  if (last === null || last <= first) return [{ kind: 'seen', ts: first, titles: true }];
  return [
    { kind: 'seen', ts: first, titles: false },
    { kind: 'end', ts: last },
  ];
}

/** What the plan of one transcript needs of the history beside the transcript itself. */
type PlanContext = Pick<ScannedHistory, 'known' | 'subagentsBySession'>;

function actionOf(
  scanned: ScannedTranscript,
  history: PlanContext,
  input: PlanInput,
): PlannedAction {
  const { file, meta } = scanned;
  const lastActivity = meta?.lastTimestamp ?? isoOrNull(file.mtimeMs);
  if (input.since !== undefined && lastActivity !== null && lastActivity < input.since)
    return { kind: 'skip', reason: 'older than --since' };
  if (file.size === 0 || meta === null) return { kind: 'skip', reason: 'empty transcript' };
  if (isUnchanged(history.known, file) && !headStillMissing(history.known, file, meta))
    return { kind: 'unchanged', stableId: history.known.get(file.sessionId)?.stableId ?? null };
  if (input.dryRun)
    return { kind: 'preview', status: history.known.has(file.sessionId) ? 'updated' : 'new' };
  const reason = unrecordable(meta);
  if (reason !== null) return { kind: 'skip', reason };
  const started = meta.firstTimestamp === null ? Number.NaN : Date.parse(meta.firstTimestamp);
  return {
    kind: 'record',
    transcript: meta,
    factsNow: Number.isFinite(started) ? started : input.now,
    steps: recordSteps(meta, input.now),
  };
}

/**
 * Decide what `import` does, without IO: every transcript oldest first (by its first timestamp,
 * a copy after its origin on a tie, then by path), each skipped (older than `--since`, empty,
 * unreadable, no conversation), left as the store holds it (same path and size), previewed
 * (`--dry-run`) or recorded by a list of {@link ImportStep}s; then, unless on a dry run, a sweep so
 * imported history gets its real activity state.
 */
export function planImport(history: ScannedHistory, input: PlanInput): ImportPlan {
  const ordered = history.transcripts.map(orderOf).sort(compareOrder);
  return {
    transcripts: ordered.map(({ scanned }) => planTranscript(scanned, history, input)),
    sweep: !input.dryRun,
    ...subagentTotals(
      history,
      ordered.map((entry) => entry.scanned.file.sessionId),
    ),
  };
}

/** The subagent transcripts whose parent is among the listed sessions, and the others. */
function subagentTotals(
  history: Pick<ScannedHistory, 'subagentsBySession' | 'subagentTotal'>,
  listedSessionIds: readonly string[],
): Pick<ImportPlan, 'subagentTranscripts' | 'subagentsWithoutParent'> {
  const sessionIds = new Set(listedSessionIds);
  let subagentTranscripts = 0;
  for (const [parent, n] of history.subagentsBySession) {
    if (sessionIds.has(parent)) subagentTranscripts += n;
  }
  return {
    subagentTranscripts,
    subagentsWithoutParent: history.subagentTotal - subagentTranscripts,
  };
}

/** One transcript's line of the plan. */
function planTranscript(
  scanned: ScannedTranscript,
  history: PlanContext,
  input: PlanInput,
): PlannedTranscript {
  const { file, meta } = scanned;
  return {
    scanned,
    base: {
      claude_session_id: file.sessionId,
      path: file.path,
      stable_id: null,
      identity_source: null,
      parent: null,
      subagents: history.subagentsBySession.get(file.sessionId) ?? 0,
      first_timestamp: meta?.firstTimestamp ?? null,
      last_timestamp: meta?.lastTimestamp ?? null,
    },
    action: actionOf(scanned, history, input),
  };
}

/** The plan of an import taken one transcript at a time, each read as it is reached. */
export interface PlanStream extends Omit<ImportPlan, 'transcripts'> {
  /** How many transcripts the plan holds. */
  readonly total: number;
  /** The plan's next transcript (waiting for its read), or `undefined` after the last. */
  next(): PlannedTranscript | undefined;
  /** No more wanted (the reads end). */
  close(): void;
}

/** A whole plan ({@link planImport}) taken one transcript at a time. */
export function streamPlan(plan: ImportPlan): PlanStream {
  let position = 0;
  return {
    ...plan,
    total: plan.transcripts.length,
    next: () => plan.transcripts[position++],
    close: () => undefined,
  };
}

/**
 * {@link planImport} of a history whose transcripts are read as the plan reaches them: the order
 * comes from each transcript's first timestamp read beforehand (the same key, so the same
 * order), the transcripts are read in that order, and each one's action is decided when its read
 * is there, as {@link planImport} decides it. Transcripts with the same key are read together and
 * ordered by the whole read (a copy after its origin, then by path).
 */
export function planImportInOrder(history: KeyedHistory, input: PlanInput): PlanStream {
  const keyOf = (entry: KeyedTranscript): string =>
    orderKey(entry.file.mtimeMs, entry.firstTimestamp);
  const order = history.keyed
    .map((entry) => ({ entry, key: keyOf(entry) }))
    .sort((a, b) => {
      if (a.key !== b.key) return a.key < b.key ? -1 : 1;
      const pa = a.entry.file.path;
      const pb = b.entry.file.path;
      return pa < pb ? -1 : pa > pb ? 1 : 0;
    });
  const reads = history.readInOrder(order.map(({ entry }) => entry));
  let position = 0;
  const ready: PlannedTranscript[] = [];
  return {
    total: order.length,
    sweep: !input.dryRun,
    ...subagentTotals(
      history,
      order.map(({ entry }) => entry.file.sessionId),
    ),
    next() {
      if (ready.length === 0 && position < order.length) {
        const key = order[position]?.key;
        const group: Ordered[] = [];
        while (position < order.length && order[position]?.key === key) {
          const entry = order[position]?.entry;
          if (entry !== undefined)
            group.push(orderOf({ file: entry.file, meta: reads.meta(position) }));
          position += 1;
        }
        if (group.length > 1) group.sort(compareOrder);
        ready.push(...group.map(({ scanned }) => planTranscript(scanned, history, input)));
      }
      return ready.shift();
    },
    close: () => reads.close(),
  };
}

/** The totals of an import from its per-transcript lines. */
export function countImport(
  plan: Pick<ImportPlan, 'subagentTranscripts' | 'subagentsWithoutParent'>,
  results: readonly ImportedTranscript[],
): { counts: ImportCounts; skippedByReason: Record<string, number> } {
  const by = (status: ImportStatus): number =>
    results.filter((result) => result.status === status).length;
  const skippedByReason: Record<string, number> = {};
  for (const result of results) {
    if (result.status === 'skipped' && result.reason !== undefined)
      skippedByReason[result.reason] = (skippedByReason[result.reason] ?? 0) + 1;
  }
  return {
    counts: {
      transcripts_scanned: results.length,
      sessions_new: by('new'),
      resumes_linked: by('linked'),
      forks_linked: results.filter((r) => r.status === 'new' && r.parent?.kind === 'fork').length,
      sessions_updated: by('updated'),
      already_known: by('unchanged'),
      subagent_transcripts: plan.subagentTranscripts,
      subagents_without_parent: plan.subagentsWithoutParent,
      skipped: by('skipped'),
    },
    skippedByReason,
  };
}
