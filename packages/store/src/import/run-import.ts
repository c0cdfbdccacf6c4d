import { agentAdapter } from '@sessions-db/git-transcript';
import type { AgentName, GitContext, TranscriptMeta } from '@sessions-db/git-transcript';
import { useNativeSha256 } from '../native-sha256.js';
import { gatherSessionFacts } from '../session-facts.js';
import type { GatheredSession } from '../session-facts.js';
import type { RecordResult, RecordStep, SessionsStore } from '../types.js';
import type {
  ImportActivity,
  ImportListingError,
  ImportOptions,
  ImportSummary,
  ImportedTranscript,
} from './import-types.js';
import { countImport, planImport, planImportInOrder, streamPlan } from './plan-import.js';
import type { ImportStep, PlanInput, PlannedTranscript, PlanStream } from './plan-import.js';
import { defaultScanWorker, startScanWorker } from './read-metas.js';
import type { ScanWorker } from './read-metas.js';
import { listAhead, scanHistoryKeyed } from './scan-history.js';
import { takeStartedScanThread } from './scan-thread.js';

/** Time budget for reading the git facts of one transcript (ms, measured from its start). */
export const FILE_BUDGET_MS = 30_000;

/** How many transcripts share one write transaction at most. */
export const IMPORT_BATCH_TRANSCRIPTS = 256;

/**
 * How many transcripts the first write transaction holds at most: recording starts sooner, and
 * while it records the scan worker reads ahead (with a whole batch first, this thread read about
 * half of the first batch's transcripts itself, the worker not being ahead yet).
 */
export const IMPORT_FIRST_BATCH_TRANSCRIPTS = 64;

/**
 * How long one write transaction of `import` holds the store's lock at most before it commits and
 * lets a waiting hook in (ms); a hook's SessionEnd budget is 1250 ms (docs/hook.md#deadlines).
 */
export const IMPORT_BATCH_HOLD_MS = 50;

/** A transcript whose facts are gathered, waiting for its batch to be recorded. */
interface Gathered {
  /** Its position in the plan (and in the summary). */
  readonly position: number;
  readonly planned: PlannedTranscript;
  readonly transcript: TranscriptMeta;
  readonly steps: readonly RecordStep[];
}

/** The store steps of one transcript (`seen`, then `end`), as one record of a batch. */
function recordSteps(
  steps: readonly ImportStep[],
  gathered: GatheredSession,
  claudeSessionId: string,
): RecordStep[] {
  return steps.map((step): RecordStep => {
    const options = { ts: step.ts };
    switch (step.kind) {
      case 'seen':
        return {
          kind: 'seen',
          input: {
            facts: gathered.facts,
            payload: gathered.seenPayload,
            ...(step.titles ? { titles: gathered.titles } : {}),
          },
          options,
        };
      case 'end':
        return {
          kind: 'end',
          input: {
            facts: gathered.facts,
            payload: {
              claude_session_id: claudeSessionId,
              reason: 'import',
              transcript_file: gathered.seenPayload.transcript_file ?? null,
            },
            titles: gathered.titles,
          },
          options,
        };
    }
  });
}

/** Why a step failed, as the summary says it. */
const FAILURE: Readonly<Record<RecordStep['kind'], string>> = {
  seen: 'not recorded',
  end: 'end not recorded',
};

/** The summary line of one transcript from the results of its steps. */
function lineOf(waiting: Gathered, results: readonly RecordResult[]): ImportedTranscript {
  const { base } = waiting.planned;
  let line: ImportedTranscript | null = null;
  for (const [i, result] of results.entries()) {
    if (!result.ok) {
      const failure = FAILURE[waiting.steps[i]?.kind ?? 'seen'];
      const reason = `${failure} (${result.error.code}: ${result.error.message})`;
      return { ...base, status: 'skipped', reason };
    }
    line ??= recordedLine(base, result);
  }
  return line ?? { ...base, status: 'skipped', reason: 'nothing to record' };
}

async function gatherTranscript(
  planned: PlannedTranscript,
  action: Extract<PlannedTranscript['action'], { kind: 'record' }>,
  options: ImportOptions,
  gitCache: Map<string, Promise<GitContext>>,
): Promise<GatheredSession> {
  const agent = options.agent ?? 'claude';
  return gatherSessionFacts({
    claudeSessionId: planned.scanned.file.sessionId,
    ...(agent === 'claude' ? {} : { agent }),
    source: 'import',
    hookEvent: 'import',
    transcript: action.transcript,
    budgetMs: FILE_BUDGET_MS,
    storePreview: options.storePreview,
    now: action.factsNow,
    gitCache,
  });
}

/**
 * Record the waiting transcripts, in order, in as few write transactions as the lock's hold
 * budget allows; each line goes to its place in `results`. A Codex sub-agent thread is attached
 * to its parent right after its own transcript (the queue is never filled past one).
 */
function recordWaiting(
  store: SessionsStore,
  waiting: Gathered[],
  results: ImportedTranscript[],
  batchHoldMs: number,
): void {
  while (waiting.length > 0) {
    const recorded = store.recordSessions(
      waiting.map((entry) => entry.steps),
      { maxHoldMs: batchHoldMs },
    );
    const done = waiting.splice(0, Math.max(1, recorded.length));
    for (const [i, entry] of done.entries()) {
      const line = lineOf(entry, recorded[i] ?? []);
      results[entry.position] =
        line.status === 'skipped' ? line : attachSubagent(store, line, entry.transcript);
    }
  }
}

/** The summary line of a recorded transcript from what identity decided on its first step. */
function recordedLine(
  base: PlannedTranscript['base'],
  seen: Extract<RecordResult, { ok: true }>,
): ImportedTranscript {
  const { identity } = seen;
  const parent =
    identity.parent === undefined
      ? null
      : { stable_id: identity.parent.stableId, kind: identity.parent.kind };
  const status =
    identity.source === 'claude_session_id_index' ? 'updated' : seen.minted ? 'new' : 'linked';
  return { ...base, status, stable_id: seen.stableId, identity_source: identity.source, parent };
}

/** The thread a Codex sub-agent transcript was started from, or null. */
function parentThreadOf(meta: TranscriptMeta): string | null {
  const parentThread = 'parentThreadId' in meta ? meta.parentThreadId : null;
  return typeof parentThread === 'string' ? parentThread : null;
}

/**
 * A Codex sub-agent thread (`parent_thread_id`) goes under its parent session with kind
 * `subagent`, once its parent is known (import reads parents first: they start earlier).
 */
function attachSubagent(
  store: SessionsStore,
  line: ImportedTranscript,
  meta: TranscriptMeta,
): ImportedTranscript {
  const parentThread = parentThreadOf(meta);
  if (parentThread === null || line.stable_id === null) return line;
  const parent = store.getSession(parentThread);
  if (!parent.ok) return line;
  const edge = { stable_id: parent.session.stable_id, kind: 'subagent' };
  const child = store.getSession(line.stable_id);
  if (child.ok && child.session.parent_session_id === edge.stable_id)
    return { ...line, parent: edge };
  const set = store.setParent(line.stable_id, edge.stable_id, { kind: 'subagent' });
  return set.ok ? { ...line, parent: edge } : line;
}

/**
 * Start the scan worker of an import of `agent`'s transcripts (default Claude) ahead of it, or take
 * over the thread the CLI's executable started for it ({@link takeStartedScanThread}), so it loads
 * its code while the caller opens the store; hand it to {@link importHistory} (`scanWorker`),
 * which uses it or lets it end, or {@link ScanWorker.cancel} it. With `from` (Claude), the history
 * is listed now and the worker reads the transcripts' first timestamps while the store opens
 * ({@link listAhead}). `null` when no worker can be started (the store run from its sources): the
 * import reads on its own thread.
 */
export function startImportScan(agent: AgentName = 'claude', from?: string): ScanWorker | null {
  const started = takeStartedScanThread(agent);
  const script = started === null ? defaultScanWorker() : null;
  const scan = startScanWorker(agentAdapter(agent), script, started);
  return scan === null || from === undefined || agent !== 'claude' ? scan : listAhead(scan, from);
}

/**
 * Import the transcripts of one agent (`options.agent`, default Claude) under `options.from` into `store`: {@link scanHistoryKeyed} reads
 * each transcript's first timestamp and {@link planImportInOrder} orders them by it, then each
 * transcript is read (once, on the scan worker, ahead of the recording) and decided as the plan
 * reaches it (for Codex, few transcripts or no worker: it reads all as `scanHistory` does, then
 * {@link planImport} decides; the same plan either way: order, skips, steps), and this executes the
 * plan one transcript at a time through the hook's pipeline (`gatherSessionFacts`, source
 * `import`), then applies the sweep rules so old history is idle or archived, not active. A transcript the store holds with the same path and size is left alone (idempotent);
 * subagent transcripts are counted under their parent session, never recorded as sessions.
 *
 * @throws when `options.from` cannot be read (the caller reports it).
 */
export async function importHistory(
  store: SessionsStore,
  options: ImportOptions,
): Promise<ImportSummary> {
  const agent: AgentName = options.agent ?? 'claude';
  // Thousands of fingerprints and minted ids: the native hash (same digests) is worth loading.
  useNativeSha256();
  const adapter = agentAdapter(agent);
  const input: PlanInput = { since: options.since, dryRun: options.dryRun, now: options.now() };
  // The order first, from each transcript's first bytes; then each is read (on the scan worker)
  // while the ones before it are recorded. Else read everything, then decide.
  const history = scanHistoryKeyed(store, options.from, adapter, options.scanWorker);
  const plan: PlanStream =
    'keyed' in history ? planImportInOrder(history, input) : streamPlan(planImport(history, input));
  const listingErrors: readonly ImportListingError[] = history.listingErrors;
  const gitCache = new Map<string, Promise<GitContext>>();
  const results: ImportedTranscript[] = [];
  const { total } = plan;
  const batchSize = Math.max(1, Math.floor(options.batchTranscripts ?? IMPORT_BATCH_TRANSCRIPTS));
  const firstBatchSize = Math.min(batchSize, IMPORT_FIRST_BATCH_TRANSCRIPTS);
  let recordedBatches = 0;
  const batchHoldMs = options.batchHoldMs ?? IMPORT_BATCH_HOLD_MS;
  const waiting: Gathered[] = [];
  try {
    for (let planned = plan.next(); planned !== undefined; planned = plan.next()) {
      options.onProgress?.(results.length, total);
      const { action, base } = planned;
      switch (action.kind) {
        case 'skip':
          results.push({ ...base, status: 'skipped', reason: action.reason });
          break;
        case 'unchanged':
          results.push({ ...base, status: 'unchanged', stable_id: action.stableId });
          break;
        case 'preview':
          results.push({ ...base, status: action.status });
          break;
        case 'record': {
          const gathered = await gatherTranscript(planned, action, options, gitCache);
          const steps = recordSteps(action.steps, gathered, planned.scanned.file.sessionId);
          waiting.push({ position: results.length, planned, transcript: action.transcript, steps });
          // Filled when its batch is recorded.
          results.push({ ...base, status: 'skipped', reason: 'not recorded' });
          // A sub-agent thread is attached to its parent before anything after it is recorded.
          const limit = recordedBatches === 0 ? firstBatchSize : batchSize;
          if (waiting.length >= limit || parentThreadOf(action.transcript) !== null) {
            recordWaiting(store, waiting, results, batchHoldMs);
            recordedBatches += 1;
          }
          break;
        }
      }
    }
  } finally {
    plan.close();
  }
  recordWaiting(store, waiting, results, batchHoldMs);
  options.onProgress?.(total, total);
  const activity = plan.sweep ? sweepAfterImport(store, options.now()) : null;
  const { counts, skippedByReason } = countImport(plan, results);
  return {
    agent,
    projects_dir: options.from,
    dry_run: options.dryRun,
    since: options.since ?? null,
    counts,
    skipped_by_reason: skippedByReason,
    listing_errors: listingErrors,
    transcripts: results,
    activity,
  };
}

/**
 * The sweep rules (`runSweep`, the one home of activity states) applied at the end of an import:
 * sessions whose last activity is older than the thresholds become idle or archived. `null` when
 * the store's thresholds are invalid (the sweep command reports that).
 */
function sweepAfterImport(store: SessionsStore, now: number): ImportActivity | null {
  const swept = store.runSweep({ now });
  if (!swept.ok) return null;
  const { to_idle, to_archived, to_active } = swept.summary;
  return { to_idle, to_archived, to_active };
}
