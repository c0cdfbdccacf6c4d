/**
 * Folding one event (docs/on-disk-format.md#folding-events-into-sessions) into a record, into `_meta`, or into a whole projection.
 *
 * All three functions **mutate** what they are given (as the original does) and return it, so a
 * caller that needs the previous state must copy it first (`foldEvents` does).
 *
 * @packageDocumentation
 */
import type { Projection, ProjectionMeta, SessionRecord } from './types.js';
import { createRecord } from './empty.js';
import { hasOwn, isNonEmptyString, setOwn } from './internal/values.js';
import { bumpsProgress, reducerFor } from './reducers/index.js';
import { eventIdOf, payloadOf, tsOf } from './validate-event.js';
import type { FoldableEvent } from './validate-event.js';

/**
 * Fold `event` into one session record: creates `emptySession(event.stable_id, event.ts)` when
 * `record` is undefined, applies the op's reducer (an unknown op changes nothing), then the
 * `last_progress_at` rule: every op except `sweep`, `reopen` and `custom_title_seen` moves it to a
 * truthy `ts` that is greater by string comparison. Mutates and returns `record`. Does not check
 * for replays: call {@link isReplay} first.
 */
export function applyEventToSession(
  record: SessionRecord | undefined,
  event: FoldableEvent,
): SessionRecord {
  const ts = tsOf(event);
  const target = record ?? createRecord(event.stable_id, ts);
  reducerFor(event.op)?.(target, payloadOf(event.payload), ts);
  if (bumpsProgress(event.op) && ts && (!target.last_progress_at || ts > target.last_progress_at)) {
    target.last_progress_at = ts;
  }
  return target;
}

/**
 * `true` when `event` is a replay of the last folded event: its `event_id` is a non-empty string
 * equal to `meta.last_event_id`. A replay must change nothing.
 */
export function isReplay(meta: ProjectionMeta, event: FoldableEvent): boolean {
  const id = eventIdOf(event);
  return isNonEmptyString(id) && id === meta.last_event_id;
}

/**
 * Fold `event` into `_meta`: `event_count + 1`, `last_event_id` = the event's (kept when it has
 * none), `updated` = the event's `ts` (kept when it has none). A replay ({@link isReplay}) changes
 * nothing. Mutates and returns `meta`.
 */
export function applyEventToMeta(meta: ProjectionMeta, event: FoldableEvent): ProjectionMeta {
  if (isReplay(meta, event)) return meta;
  meta.event_count += 1;
  meta.last_event_id = eventIdOf(event) ?? meta.last_event_id;
  meta.updated = tsOf(event) ?? meta.updated;
  return meta;
}

/**
 * Fold `event` into `projection` (docs/on-disk-format.md#folding-events-into-sessions plus the replay guard): a replay changes nothing;
 * otherwise the session record is created or updated ({@link applyEventToSession}) and `_meta`
 * advances ({@link applyEventToMeta}). Mutates and returns `projection`.
 */
export function applyEvent(projection: Projection, event: FoldableEvent): Projection {
  if (isReplay(projection._meta, event)) return projection;
  const sessions = projection.sessions;
  const id = event.stable_id;
  // A falsy stored value (a hand-edited cache) is replaced, as the original does.
  const existing = (hasOwn(sessions, id) ? sessions[id] : undefined) || undefined;
  const updated = applyEventToSession(existing, event);
  if (updated !== existing) setOwn(sessions, id, updated);
  applyEventToMeta(projection._meta, event);
  return projection;
}
