import { resolveIdentity } from '@sessions-db/identity';
import type { IdentityResult } from '@sessions-db/identity';
import type { SessionRecord } from '@sessions-db/projection';

import { toOperationError } from './errors.js';
import { fitPayload } from './fit-payload.js';
import { createSqliteIdentityIndex } from './sqlite-identity-index.js';
import type { PendingEvent, StoreCore } from './store-core.js';
import type {
  HarvestedTitles,
  RecordOptions,
  RecordResult,
  SessionEndInput,
  SessionSeenInput,
} from './types.js';

function nonEmpty(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0;
}

function identityOptions(core: StoreCore, options: RecordOptions) {
  return {
    mintStableId: core.clock.newSessionId,
    ...(options.timeWindowHours === undefined ? {} : { timeWindowHours: options.timeWindowHours }),
    ...(options.minCorroborators === undefined
      ? {}
      : { minCorroborators: options.minCorroborators }),
    ...(options.clearWindowMs === undefined ? {} : { clearWindowMs: options.clearWindowMs }),
  };
}

/** The `session_seen` payload with the identity audit, candidates and privacy rule applied (SPEC §5.3). */
function seenPayload(
  base: Readonly<Record<string, unknown>>,
  claudeSessionId: string,
  claudePid: number | null | undefined,
  identity: IdentityResult,
  options: RecordOptions,
): Record<string, unknown> {
  const payload: Record<string, unknown> = { ...base };
  if (!nonEmpty(payload['claude_session_id'])) payload['claude_session_id'] = claudeSessionId;
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
  if (typeof claudePid === 'number' && Number.isInteger(claudePid) && claudePid > 0)
    payload['claude_pid'] = claudePid;
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
    ...(nonEmpty(titles.sourceTranscript) ? { source_transcript: titles.sourceTranscript } : {}),
    observed_at: ts ?? core.nowIso(),
  });
  const at = ts === undefined ? {} : { ts };
  if (nonEmpty(titles.aiTitle) && titles.aiTitle !== record?.ai_title) {
    events.push({
      op: 'ai_title_seen',
      stable_id: stableId,
      payload: { ai_title: titles.aiTitle, ...extra() },
      ...at,
    });
  }
  if (nonEmpty(titles.customTitle) && titles.customTitle !== record?.custom_title) {
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
  return [
    {
      op: 'parent_set',
      stable_id: identity.stableId,
      payload: {
        parent_session_id: identity.parent.stableId,
        kind: identity.parent.kind,
        auto: true,
      },
      ...(ts === undefined ? {} : { ts }),
    },
  ];
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
  try {
    return core.transact(
      () => {
        const identity = resolveIdentity(
          input.facts,
          createSqliteIdentityIndex(core.db),
          identityOptions(core, options),
        );
        const existing = identity.minted ? undefined : core.index.getRecord(identity.stableId);
        const ts = options.ts;
        const seen = fitPayload(core, {
          op: 'session_seen',
          stable_id: identity.stableId,
          payload: seenPayload(
            input.payload,
            input.facts.claudeSessionId,
            input.facts.claudePid,
            identity,
            options,
          ),
          ...(ts === undefined ? {} : { ts }),
        });
        const events = [
          seen.event,
          ...parentEvent(identity, ts),
          ...titleEvents(core, identity.stableId, existing, input.titles, ts),
        ];
        return {
          events,
          result: (written): RecordResult => ({
            ok: true,
            stableId: identity.stableId,
            eventId: written[0]?.event_id ?? '',
            minted: identity.minted,
            identity,
            eventIds: written.map((e) => e.event_id),
            degraded: seen.degraded,
          }),
        };
      },
      { deadline: options.deadline },
    );
  } catch (error) {
    return { ok: false, error: toOperationError(error) };
  }
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
  try {
    return core.transact(
      () => {
        const identity = resolveIdentity(
          input.facts,
          createSqliteIdentityIndex(core.db),
          identityOptions(core, options),
        );
        const ts = options.ts;
        const at = ts === undefined ? {} : { ts };
        const events: PendingEvent[] = [];
        const degraded: string[] = [];
        const known = identity.source === 'claude_session_id_index';
        if (!known) {
          const seen = fitPayload(core, {
            op: 'session_seen',
            stable_id: identity.stableId,
            payload: seenPayload(
              input.seenPayload ?? {},
              input.facts.claudeSessionId,
              input.facts.claudePid,
              identity,
              options,
            ),
            ...at,
          });
          degraded.push(...seen.degraded);
          events.push(seen.event, ...parentEvent(identity, ts));
        }
        const endPayload: Record<string, unknown> = {
          ...input.payload,
          claude_session_id: input.facts.claudeSessionId,
        };
        const pid = input.facts.claudePid;
        if (typeof pid === 'number' && Number.isInteger(pid) && pid > 0)
          endPayload['claude_pid'] = pid;
        const end = fitPayload(core, {
          op: 'session_end',
          stable_id: identity.stableId,
          payload: endPayload,
          ...at,
        });
        degraded.push(...end.degraded);
        events.push(end.event);
        const existing = identity.minted ? undefined : core.index.getRecord(identity.stableId);
        events.push(...titleEvents(core, identity.stableId, existing, input.titles, ts));
        return {
          events,
          result: (written): RecordResult => ({
            ok: true,
            stableId: identity.stableId,
            eventId: written[known ? 0 : events.indexOf(end.event)]?.event_id ?? '',
            minted: identity.minted,
            identity,
            eventIds: written.map((e) => e.event_id),
            degraded,
          }),
        };
      },
      { deadline: options.deadline },
    );
  } catch (error) {
    return { ok: false, error: toOperationError(error) };
  }
}
