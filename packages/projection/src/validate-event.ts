/**
 * Validation of one parsed log line before it is folded.
 *
 * @packageDocumentation
 */
import type { EventId, Iso8601, SessionStableId } from './types.js';
import { EMPTY_PAYLOAD, isNonEmptyString, isPlainObject } from './internal/values.js';
import type { JsonObject } from './internal/values.js';

/**
 * An event the fold can apply: an object envelope with a non-empty `op` and `stable_id`. Typed
 * events (`SessionEvent`, `EventEnvelope`) are assignable to it. `ts` and `event_id` are optional
 * because the original folds events without them; a non-string value counts as absent.
 */
export interface FoldableEvent {
  readonly ts?: Iso8601 | undefined;
  readonly event_id?: EventId | undefined;
  readonly op: string;
  readonly stable_id: SessionStableId;
  readonly payload?: object | null | undefined;
}

/** A {@link FoldableEvent} after {@link validateEvent}: `payload` is always an object. */
export interface ValidEvent extends FoldableEvent {
  readonly ts: Iso8601 | undefined;
  readonly event_id: EventId | undefined;
  readonly payload: JsonObject;
}

/** Why a value cannot be folded. */
export type InvalidEventCode = 'not_an_object' | 'missing_op' | 'missing_stable_id';

/** Result of {@link validateEvent}. */
export type EventValidation =
  | { readonly ok: true; readonly event: ValidEvent }
  | { readonly ok: false; readonly code: InvalidEventCode; readonly reason: string };

/**
 * Check that `value` (any parsed JSON) is a usable event: an object (not an array) whose `op` and
 * `stable_id` are non-empty strings. Returns a normalized envelope (a payload that is not an object
 * becomes `{}`; a `ts` or `event_id` that is not a string becomes `undefined`). Never throws.
 */
export function validateEvent(value: unknown): EventValidation {
  if (!isPlainObject(value)) {
    return {
      ok: false,
      code: 'not_an_object',
      reason: `expected an event object, found ${describeType(value)}`,
    };
  }
  const { op, stable_id: stableId } = value;
  if (!isNonEmptyString(op)) {
    return {
      ok: false,
      code: 'missing_op',
      reason: `expected "op" to be a non-empty string, found ${describeType(op)}`,
    };
  }
  if (!isNonEmptyString(stableId)) {
    return {
      ok: false,
      code: 'missing_stable_id',
      reason: `expected "stable_id" to be a non-empty string, found ${describeType(stableId)}`,
    };
  }
  return {
    ok: true,
    event: {
      ts: typeof value.ts === 'string' ? value.ts : undefined,
      event_id: typeof value.event_id === 'string' ? value.event_id : undefined,
      op,
      stable_id: stableId,
      payload: payloadOf(value.payload),
    },
  };
}

/** The payload to reduce: the value itself when it is a non-array object, else `{}`. */
export function payloadOf(payload: unknown): JsonObject {
  return isPlainObject(payload) ? payload : EMPTY_PAYLOAD;
}

/** The event's `ts` when it is a string, else `undefined`. */
export function tsOf(event: FoldableEvent): Iso8601 | undefined {
  return typeof event.ts === 'string' ? event.ts : undefined;
}

/** The event's `event_id` when it is a string, else `undefined`. */
export function eventIdOf(event: FoldableEvent): EventId | undefined {
  return typeof event.event_id === 'string' ? event.event_id : undefined;
}

function describeType(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return value.length === 0 ? 'an empty string' : 'a string';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}
