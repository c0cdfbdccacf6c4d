import { agentAdapter } from '@sessions-db/git-transcript';
import type { AgentName, GitContext, TranscriptMeta } from '@sessions-db/git-transcript';
import { gatherSessionFacts } from '../session-facts.js';
import type { GatheredSession } from '../session-facts.js';
import type { RecordResult, SessionsStore } from '../types.js';
import type {
  ImportActivity,
  ImportOptions,
  ImportSummary,
  ImportedTranscript,
} from './import-types.js';
import { countImport, planImport } from './plan-import.js';
import type { ImportStep, PlannedTranscript } from './plan-import.js';
import { scanHistory } from './scan-history.js';

/** Time budget for reading the git facts of one transcript (ms, measured from its start). */
export const FILE_BUDGET_MS = 30_000;

/** What the steps of one transcript share. */
interface StepContext {
  readonly store: SessionsStore;
  readonly gathered: GatheredSession;
  readonly claudeSessionId: string;
}

/** Execute one step; a failed write ends the transcript with a reason. */
function runStep(
  step: ImportStep,
  context: StepContext,
): { readonly result: RecordResult; readonly failure: string } {
  const { store, gathered } = context;
  const options = { ts: step.ts };
  switch (step.kind) {
    case 'seen':
      return {
        failure: 'not recorded',
        result: store.recordSessionSeen(
          {
            facts: gathered.facts,
            payload: gathered.seenPayload,
            ...(step.titles ? { titles: gathered.titles } : {}),
          },
          options,
        ),
      };
    case 'end':
      return {
        failure: 'end not recorded',
        result: store.recordSessionEnd(
          {
            facts: gathered.facts,
            payload: {
              claude_session_id: context.claudeSessionId,
              reason: 'import',
              transcript_file: gathered.seenPayload.transcript_file ?? null,
            },
            titles: gathered.titles,
          },
          options,
        ),
      };
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

async function recordTranscript(
  store: SessionsStore,
  planned: PlannedTranscript,
  action: Extract<PlannedTranscript['action'], { kind: 'record' }>,
  options: ImportOptions,
  gitCache: Map<string, Promise<GitContext>>,
): Promise<ImportedTranscript> {
  const { file } = planned.scanned;
  const agent = options.agent ?? 'claude';
  const gathered = await gatherSessionFacts({
    claudeSessionId: file.sessionId,
    ...(agent === 'claude' ? {} : { agent }),
    source: 'import',
    hookEvent: 'import',
    transcript: action.transcript,
    budgetMs: FILE_BUDGET_MS,
    storePreview: options.storePreview,
    now: action.factsNow,
    gitCache,
  });
  const context = {
    store,
    gathered,
    claudeSessionId: file.sessionId,
  };
  let line: ImportedTranscript | null = null;
  for (const step of action.steps) {
    const { result, failure } = runStep(step, context);
    if (!result.ok) {
      const reason = `${failure} (${result.error.code}: ${result.error.message})`;
      return { ...planned.base, status: 'skipped', reason };
    }
    line ??= recordedLine(planned.base, result);
  }
  if (line === null) return { ...planned.base, status: 'skipped', reason: 'nothing to record' };
  return attachSubagent(store, line, action.transcript);
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
  const parentThread = 'parentThreadId' in meta ? meta.parentThreadId : null;
  if (typeof parentThread !== 'string' || line.stable_id === null) return line;
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
 * Import the transcripts of one agent (`options.agent`, default Claude) under `options.from` into `store`: {@link scanHistory} reads (each
 * transcript once), {@link planImport} decides (pure: order, skips, steps), and this executes the
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
  const history = scanHistory(store, options.from, agentAdapter(agent));
  const plan = planImport(history, {
    since: options.since,
    dryRun: options.dryRun,
    now: options.now(),
  });
  const gitCache = new Map<string, Promise<GitContext>>();
  const results: ImportedTranscript[] = [];
  const total = plan.transcripts.length;
  for (const [done, planned] of plan.transcripts.entries()) {
    options.onProgress?.(done, total);
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
      case 'record':
        results.push(await recordTranscript(store, planned, action, options, gitCache));
        break;
    }
  }
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
    listing_errors: history.listingErrors,
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
