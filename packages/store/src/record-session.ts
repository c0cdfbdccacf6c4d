import { resolveIdentity, resolveLateParent } from '@sessions-db/identity';
import type { IdentityResult } from '@sessions-db/identity';
import { detectParentCycle } from '@sessions-db/projection';
import type { SessionRecord } from '@sessions-db/projection';

import { stableIdForClaudeSession } from './claude-mint.js';
import { toOperationError } from './errors.js';
import { sessionTimeline } from './queries.js';
import { fitPayload } from './fit-payload.js';
import { headWasRead } from './head-state.js';
import { indexGraph } from './index-graph.js';
import type { PendingEvent, StoreCore, TransactionBody } from './store-core.js';
import type {
  HarvestedTitles,
  RecordBatchOptions,
  RecordOptions,
  RecordStep,
  RecordResult,
  SessionEndInput,
  SessionSeenInput,
} from './types.js';
import { isNonEmptyString } from './values.js';

/**
 * With `appendWhenBusy`, how long before the deadline the wait for the write lock gives up, to
 * leave time for the unlocked append (ms).
 */
export const UNLOCKED_APPEND_MARGIN_MS = 150;

/** Default of {@link RecordOptions.dedupeWindowMs}. */
export const DEDUPE_WINDOW_MS = 60_000;

/** How many of a session's latest events the duplicate check reads. */
const DEDUPE_RECENT_EVENTS = 8;

/**
 * The event of `stableId` that already recorded hook event `hookKey` (same `op`, `hook_key` within
 * the window), or undefined. Reads only the session's latest few events.
 */
function alreadyRecorded(
  core: StoreCore,
  stableId: string,
  op: string,
  options: RecordOptions,
): { readonly eventId: string } | undefined {
  const key = options.hookKey;
  if (!isNonEmptyString(key)) return undefined;
  const window = options.dedupeWindowMs ?? DEDUPE_WINDOW_MS;
  const now = options.ts === undefined ? core.clock.now() : Date.parse(options.ts);
  const found = sessionTimeline(core, stableId, { limit: DEDUPE_RECENT_EVENTS })
    .reverse()
    .find(
      (event) =>
        event.op === op &&
        event.payload['hook_key'] === key &&
        Math.abs(now - Date.parse(event.ts)) <= window,
    );
  return found === undefined ? undefined : { eventId: found.event_id };
}

function isPid(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value > 0;
}

/**
 * How a new session's stable id is minted: derived from the Claude session id (the hook always; every
 * other path through the store's clock, which derives it in production), so a busy hook appending
 * unindexed and any writer holding the lock, or two busy hooks, give the same new session the same
 * id. When a session already holds that id (after an unlink) the clock mints a fresh one.
 */
function mintFor(core: StoreCore, claudeSessionId: string, options: RecordOptions): () => string {
  const derive =
    options.appendWhenBusy === true
      ? stableIdForClaudeSession
      : core.clock.sessionIdForClaudeSession;
  if (derive === undefined) return core.clock.newSessionId;
  return () => {
    const derived = derive(claudeSessionId);
    return core.index.getRecord(derived) === undefined ? derived : core.clock.newSessionId();
  };
}

function identityOptions(core: StoreCore, claudeSessionId: string, options: RecordOptions) {
  return {
    mintStableId: mintFor(core, claudeSessionId, options),
    ...(options.timeWindowHours === undefined ? {} : { timeWindowHours: options.timeWindowHours }),
    ...(options.minCorroborators === undefined
      ? {}
      : { minCorroborators: options.minCorroborators }),
    ...(options.clearWindowMs === undefined ? {} : { clearWindowMs: options.clearWindowMs }),
  };
}

/** The `session_seen` payload with the identity audit, candidates and privacy rule applied (docs/identity.md). */
function seenPayload(
  base: Readonly<Record<string, unknown>>,
  claudeSessionId: string,
  claudePid: number | null | undefined,
  identity: IdentityResult,
  options: RecordOptions,
): Record<string, unknown> {
  const payload: Record<string, unknown> = { ...base };
  if (!isNonEmptyString(payload['claude_session_id']))
    payload['claude_session_id'] = claudeSessionId;
  if (options.storeFirstPrompt === false) payload['first_prompt_preview'] = null;
  if (payload['identity_resolution'] === undefined) {
    payload['identity_resolution'] = {
      source: identity.source,
      confidence: identity.confidence,
      matched: identity.matched,
    };
  }
  if (identity.parentCandidates.length > 0) {
    const existing = Array.isArray(payload['parent_candidate_ids'])
      ? (payload['parent_candidate_ids'] as unknown[])
      : [];
    payload['parent_candidate_ids'] = [...existing, ...identity.parentCandidates];
  }
  if (
    identity.parentCandidatesOmittedCount > 0 &&
    payload['parent_candidates_omitted_count'] === undefined
  ) {
    payload['parent_candidates_omitted_count'] = identity.parentCandidatesOmittedCount;
  }
  if (isPid(claudePid)) payload['claude_pid'] = claudePid;
  if (isNonEmptyString(options.hookKey)) payload['hook_key'] = options.hookKey;
  return payload;
}

/** Events that record harvested titles which differ from what the record holds. */
function titleEvents(
  core: StoreCore,
  stableId: string,
  record: SessionRecord | undefined,
  titles: HarvestedTitles | undefined,
  ts: string | undefined,
): PendingEvent[] {
  if (titles === undefined) return [];
  const events: PendingEvent[] = [];
  const extra = (): Record<string, unknown> => ({
    ...(isNonEmptyString(titles.sourceTranscript)
      ? { source_transcript: titles.sourceTranscript }
      : {}),
    observed_at: ts ?? core.nowIso(),
  });
  const at = ts === undefined ? {} : { ts };
  if (isNonEmptyString(titles.aiTitle) && titles.aiTitle !== record?.ai_title) {
    events.push({
      op: 'ai_title_seen',
      stable_id: stableId,
      payload: { ai_title: titles.aiTitle, ...extra() },
      ...at,
    });
  }
  if (isNonEmptyString(titles.customTitle) && titles.customTitle !== record?.custom_title) {
    events.push({
      op: 'custom_title_seen',
      stable_id: stableId,
      payload: { custom_title: titles.customTitle, ...extra() },
      ...at,
    });
  }
  return events;
}

/** The automatic structural parent edge of a minted child (never over a manual edge). */
function parentEvent(identity: IdentityResult, ts: string | undefined): PendingEvent[] {
  if (identity.parent === undefined || !identity.minted) return [];
  return [autoParentEvent(identity.stableId, identity.parent, ts)];
}

/** The automatic `parent_set` identity decides (at the start, or late from the transcript). */
function autoParentEvent(
  stableId: string,
  parent: { readonly stableId: string; readonly kind: string },
  ts: string | undefined,
): PendingEvent {
  return {
    op: 'parent_set',
    stable_id: stableId,
    payload: { parent_session_id: parent.stableId, kind: parent.kind, auto: true },
    ...(ts === undefined ? {} : { ts }),
  };
}

/** The `session_seen` event (degraded to fit) and the automatic parent edge of a minted child. */
function seenEvents(
  core: StoreCore,
  identity: IdentityResult,
  base: Readonly<Record<string, unknown>>,
  facts: SessionSeenInput['facts'],
  options: RecordOptions,
): { events: PendingEvent[]; degraded: string[] } {
  const seen = fitPayload(core, {
    op: 'session_seen',
    stable_id: identity.stableId,
    payload: seenPayload(base, facts.claudeSessionId, facts.claudePid, identity, options),
    ...(options.ts === undefined ? {} : { ts: options.ts }),
  });
  return { events: [seen.event, ...parentEvent(identity, options.ts)], degraded: seen.degraded };
}

/** What one recording step decided under the lock. */
interface Decided {
  readonly identity: IdentityResult;
  readonly built: { events: PendingEvent[]; degraded: string[]; primary: number };
  readonly events: PendingEvent[];
  readonly duplicate: { readonly eventId: string } | undefined;
}

/** How one recording step decides its events, and its result from the events written. */
interface Decider {
  readonly decide: () => Decided;
  readonly resultOf: (
    decided: Decided,
    written: readonly { event_id: string }[],
    extra: readonly string[],
  ) => RecordResult;
}

/**
 * One recording step: resolve identity against the index under the write lock, let `build`
 * choose the events (given the record the index holds for the resolved session, read once for
 * the step; undefined for a minted one), add harvested titles that changed.
 */
function deciderWith(
  core: StoreCore,
  facts: SessionSeenInput['facts'],
  titles: HarvestedTitles | undefined,
  options: RecordOptions,
  primaryOp: string,
  build: (
    identity: IdentityResult,
    existing: SessionRecord | undefined,
  ) => {
    events: PendingEvent[];
    degraded: string[];
    primary: number;
  },
): Decider {
  /** Resolve identity against the index as it is now and decide the events. */
  const decide = (): Decided => {
    const identity = resolveIdentity(
      facts,
      core.identityIndex(),
      identityOptions(core, facts.claudeSessionId, options),
    );
    const existing = identity.minted ? undefined : core.index.getRecord(identity.stableId);
    const duplicate =
      existing === undefined
        ? undefined
        : alreadyRecorded(core, identity.stableId, primaryOp, options);
    if (duplicate !== undefined) {
      const built = { events: [], degraded: ['duplicate_hook_event'], primary: -1 };
      return { identity, built, events: [], duplicate };
    }
    const built = build(identity, existing);
    const events = [
      ...built.events,
      ...titleEvents(core, identity.stableId, existing, titles, options.ts),
    ];
    return { identity, built, events, duplicate: undefined };
  };
  const resultOf: Decider['resultOf'] = (decided, written, extra) => ({
    ok: true,
    stableId: decided.identity.stableId,
    eventId: decided.duplicate?.eventId ?? written[decided.built.primary]?.event_id ?? '',
    minted: decided.identity.minted,
    identity: decided.identity,
    eventIds: written.map((e) => e.event_id),
    degraded: [...decided.built.degraded, ...extra],
  });
  return { decide, resultOf };
}

/** The decider of a step: a `session_seen` or a `session_end`. */
function deciderOf(core: StoreCore, step: RecordStep): Decider {
  const options = step.options ?? {};
  if (step.kind === 'seen') {
    const { input } = step;
    return deciderWith(core, input.facts, input.titles, options, 'session_seen', (identity) => ({
      ...seenEvents(core, identity, input.payload, input.facts, options),
      primary: 0,
    }));
  }
  const { input } = step;
  return deciderWith(
    core,
    input.facts,
    input.titles,
    options,
    'session_end',
    (identity, existing) => endEvents(core, input, identity, existing, options),
  );
}

/** The transaction body of a step. */
function bodyOf(core: StoreCore, step: RecordStep): TransactionBody<RecordResult> {
  const { decide, resultOf } = deciderOf(core, step);
  return () => {
    const decided = decide();
    return { events: decided.events, result: (written) => resultOf(decided, written, []) };
  };
}

/** Record one step in a transaction of its own (the hook's path, with its busy fallback). */
function recordOne(core: StoreCore, step: RecordStep): RecordResult {
  const options = step.options ?? {};
  const fallback = options.appendWhenBusy === true && options.deadline !== undefined;
  try {
    return core.transact(bodyOf(core, step), {
      deadline: fallback ? options.deadline - UNLOCKED_APPEND_MARGIN_MS : options.deadline,
    });
  } catch (error) {
    const failure = toOperationError(error);
    if (!fallback || failure.code !== 'STORE_BUSY') return { ok: false, error: failure };
    // The lock stayed busy until just before the deadline (a burst of hooks): rather than lose
    // the session, decide against the index as it stands and append to the log without the
    // lock. The appends are single O_APPEND writes; the next writer folds them into the index.
    try {
      const { decide, resultOf } = deciderOf(core, step);
      const decided = decide();
      const written = core.appendUnlocked(decided.events);
      return resultOf(decided, written, ['appended_unindexed']);
    } catch (fallbackError) {
      return { ok: false, error: toOperationError(fallbackError) };
    }
  }
}

/**
 * Record a SessionStart (or an imported transcript): identity resolution and the append happen in
 * one transaction, so two concurrent hooks for one Claude session id get one stable id.
 */
export function recordSessionSeen(
  core: StoreCore,
  input: SessionSeenInput,
  options: RecordOptions = {},
): RecordResult {
  return recordOne(core, { kind: 'seen', input, options });
}

/**
 * Record a SessionEnd: refresh the transcript facts and note the reason (a `clear` end is what the
 * next SessionStart `clear` of the same Claude process pairs with). An unknown Claude session id
 * (a session that started before the hook was installed) is first recorded with `session_seen`.
 */
export function recordSessionEnd(
  core: StoreCore,
  input: SessionEndInput,
  options: RecordOptions = {},
): RecordResult {
  return recordOne(core, { kind: 'end', input, options });
}

/**
 * Record many sessions in one write transaction (what `import` does): each record is a list of
 * steps recorded in order, each step deciding against the index as the steps before it left it,
 * exactly as if each were its own transaction; a step that fails ends its record with that
 * failure and leaves the other records alone. The batch's events reach the log in one write
 * before the index commits (`StoreCore.transactBatch`). With `maxHoldMs` the result covers a
 * prefix of `records` (at least one): run the rest in another call. A failure of the whole
 * transaction (`STORE_BUSY`, a log that cannot grow) fails every record. The options of the
 * steps' `deadline` and `appendWhenBusy` are ignored: the batch's own `deadline` applies.
 */
export function recordSessions(
  core: StoreCore,
  records: readonly (readonly RecordStep[])[],
  options: RecordBatchOptions = {},
): RecordResult[][] {
  try {
    const outcomes = core.transactBatch(
      records.map((steps) => steps.map((step) => bodyOf(core, step))),
      // A unit's steps (an import's `seen`, then `end`, of one session) write its row once.
      { deadline: options.deadline, maxHoldMs: options.maxHoldMs, holdRows: true },
    );
    return outcomes.map((outcome) =>
      outcome.ok
        ? [...outcome.values]
        : [...outcome.values, { ok: false, error: toOperationError(outcome.error) }],
    );
  } catch (error) {
    const failure = toOperationError(error);
    return records.map(() => [{ ok: false, error: failure }]);
  }
}

/**
 * The events of a `session_end` (after a late head, or a first `session_seen` when unknown);
 * `stored` is the record the index holds for the resolved session (read once by the step).
 */
function endEvents(
  core: StoreCore,
  input: SessionEndInput,
  identity: IdentityResult,
  stored: SessionRecord | undefined,
  options: RecordOptions,
): { events: PendingEvent[]; degraded: string[]; primary: number } {
  const known = identity.source === 'claude_session_id_index';
  const existing = known ? stored : undefined;
  const before =
    existing !== undefined
      ? lateHeadEvents(core, existing, input.facts, input.seenPayload, options)
      : known
        ? { events: [], degraded: [] }
        : seenEvents(core, identity, input.seenPayload ?? {}, input.facts, options);
  const payload: Record<string, unknown> = {
    ...input.payload,
    claude_session_id: input.facts.claudeSessionId,
  };
  if (isPid(input.facts.claudePid)) payload['claude_pid'] = input.facts.claudePid;
  if (isNonEmptyString(options.hookKey)) payload['hook_key'] = options.hookKey;
  const end = fitPayload(core, {
    op: 'session_end',
    stable_id: identity.stableId,
    payload,
    ...(options.ts === undefined ? {} : { ts: options.ts }),
  });
  return {
    events: [...before.events, end.event],
    degraded: [...before.degraded, ...end.degraded],
    primary: before.events.length,
  };
}

/**
 * What a known session learns from its transcript read after it was recorded
 * (docs/identity.md#late-facts): the head it still lacks (a `session_seen` with only those fields)
 * and its late parent. Empty when there is nothing new.
 */
function lateHeadEvents(
  core: StoreCore,
  existing: SessionRecord,
  facts: SessionSeenInput['facts'],
  seen: Readonly<Record<string, unknown>> | undefined,
  options: RecordOptions,
): { events: PendingEvent[]; degraded: string[] } {
  const head = headFill(existing, seen);
  const filled =
    head === null
      ? { events: [], degraded: [] }
      : fitted(
          fitPayload(core, {
            op: 'session_seen',
            stable_id: existing.stable_id,
            payload: { ...head, claude_session_id: facts.claudeSessionId },
            ...(options.ts === undefined ? {} : { ts: options.ts }),
          }),
        );
  return {
    events: [...filled.events, ...lateParentEvent(core, existing, facts, options)],
    degraded: filled.degraded,
  };
}

/**
 * Record what a session the store already holds learns from its transcript read late, outside its
 * own hooks (the next hook in its project, docs/identity.md#late-facts): its missing head and its
 * late parent, in one transaction. Never creates a session: an unknown Claude session id records
 * nothing. Returns the stable id and the events written (none when there was nothing to fill).
 */
export function recordLateHead(
  core: StoreCore,
  input: Pick<SessionEndInput, 'facts' | 'seenPayload'>,
  options: Pick<RecordOptions, 'deadline' | 'ts'> = {},
): { readonly stableId: string | null; readonly eventIds: readonly string[] } {
  return core.transact(
    () => {
      const [stableId] = core.reads.stableIdsByClaudeId(input.facts.claudeSessionId);
      const existing = stableId === undefined ? undefined : core.index.getRecord(stableId);
      const events =
        existing === undefined
          ? []
          : lateHeadEvents(core, existing, input.facts, input.seenPayload, options).events;
      return {
        events,
        result: (written) => ({
          stableId: existing?.stable_id ?? null,
          eventIds: written.map((event) => event.event_id),
        }),
      };
    },
    { deadline: options.deadline },
  );
}

/**
 * A `parent_set` (kind `fork` or `clear`) for a session that was recorded without a parent and
 * without its transcript's head, when the head now names its origin (docs/identity.md#late-facts): the
 * correction of an earlier decision is a new event, never a rewrite.
 */
function lateParentEvent(
  core: StoreCore,
  existing: SessionRecord,
  facts: SessionSeenInput['facts'],
  options: RecordOptions,
): PendingEvent[] {
  if (existing.parent_session_id != null || facts.firstUuid == null) return [];
  // Only a session whose head was never read: one recorded with it was resolved with it.
  if (headWasRead(existing)) return [];
  const parent = resolveLateParent(facts, core.identityIndex(), {
    stableId: existing.stable_id,
  });
  if (parent === null) return [];
  if (detectParentCycle(indexGraph(core), existing.stable_id, parent.stableId).cycle) return [];
  return [autoParentEvent(existing.stable_id, parent, options.ts)];
}

function fitted(fit: { event: PendingEvent; degraded: string[] }): {
  events: PendingEvent[];
  degraded: string[];
} {
  return { events: [fit.event], degraded: fit.degraded };
}

/**
 * What a known session still lacks of its transcript's head, as a `session_seen` payload, or null.
 * A session whose transcript did not exist at SessionStart (`-p`, lazily created files) was
 * recorded without its first prompt, preview and fingerprints; SessionEnd reads the head and fills
 * them in. The reducer sets these fields only while they are empty, so nothing is overwritten.
 */
function headFill(
  existing: SessionRecord,
  seen: Readonly<Record<string, unknown>> | undefined,
): Record<string, unknown> | null {
  if (seen === undefined) return null;
  const fingerprints = seen['fingerprints'] as
    { first_human_prompt_v1?: unknown; lineage_prefix_v1?: unknown } | null | undefined;
  const preview = seen['first_prompt_preview'];
  const fills =
    (existing.fingerprints.first_human_prompt_v1 == null &&
      typeof fingerprints?.first_human_prompt_v1 === 'string') ||
    (existing.fingerprints.lineage_prefix_v1 == null &&
      typeof fingerprints?.lineage_prefix_v1 === 'string') ||
    (existing.first_prompt_preview == null && typeof preview === 'string');
  if (!fills) return null;
  return {
    fingerprints,
    ...(typeof preview === 'string' ? { first_prompt_preview: preview } : {}),
    ...(seen['transcript_file'] == null ? {} : { transcript_file: seen['transcript_file'] }),
  };
}
