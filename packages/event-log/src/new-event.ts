import { generateEventId } from './ids.js';
import type { EventEnvelope, NewEventInput } from './types.js';

/** Where {@link newEvent} reads the time and mints event ids. */
export interface NewEventDeps {
  /** Current time (a `Date` or unix ms). Default `Date.now`. */
  readonly now?: () => Date | number;
  /** A fresh event id. Default {@link generateEventId}. */
  readonly newEventId?: () => string;
}

/**
 * Build the envelope of one event (docs/on-disk-format.md#the-envelope), keys in the order `ts, event_id, op, stable_id,
 * payload`. `ts` and `event_id` are minted unless supplied; `payload` defaults to `{}`; the
 * `stable_id` format is not validated.
 * @throws {TypeError} `newEvent: op required` / `newEvent: stable_id required` when either is
 * missing or an empty string.
 */
export function newEvent<Op extends string, Payload extends object = Record<string, unknown>>(
  input: NewEventInput<Op, Payload>,
  deps: NewEventDeps = {},
): EventEnvelope<Op, Payload> {
  const { op, stable_id, payload, ts, event_id } = input;
  if (typeof op !== 'string' || op.length === 0) throw new TypeError('newEvent: op required');
  if (typeof stable_id !== 'string' || stable_id.length === 0) {
    throw new TypeError('newEvent: stable_id required');
  }
  return {
    ts: ts ?? toIso(deps.now ? deps.now() : Date.now()),
    event_id: event_id ?? (deps.newEventId ?? generateEventId)(),
    op,
    stable_id,
    // Without a payload the type parameter keeps its default, which `{}` satisfies.
    payload: payload ?? ({} as Payload),
  };
}

function toIso(time: Date | number): string {
  return (typeof time === 'number' ? new Date(time) : time).toISOString();
}
