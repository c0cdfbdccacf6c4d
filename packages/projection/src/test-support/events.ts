/**
 * Builders for test events. Test-only (excluded from the pure build).
 */
import { foldEvents } from '../index.js';
import type { Projection, SessionRecord } from '../index.js';

export const SID = 'sess_01970000-0000-7000-8000-000000000001';
export const SID_2 = 'sess_01970000-0000-7000-8000-000000000002';
export const SID_3 = 'sess_01970000-0000-7000-8000-000000000003';

/** Minute `n` after 2026-05-09T10:00Z as an ISO string (n in 0..59). */
export function at(minute: number): string {
  return `2026-05-09T10:${String(minute).padStart(2, '0')}:00.000Z`;
}

let counter = 0;

/** A test event envelope. Defaults: stable id {@link SID}, a fresh event id, ts {@link at}(0). */
export interface TestEvent {
  ts: string | undefined;
  event_id: string | undefined;
  op: string;
  stable_id: string;
  payload: object | null;
}

/** Build an event of `op` with `payload`. */
export function ev(
  op: string,
  payload: object | null = {},
  options: { ts?: string | undefined; stableId?: string; eventId?: string | undefined } = {},
): TestEvent {
  counter += 1;
  return {
    ts: 'ts' in options ? options.ts : at(0),
    event_id: 'eventId' in options ? options.eventId : `evt_test-${counter}`,
    op,
    stable_id: options.stableId ?? SID,
    payload,
  };
}

/** Fold events from empty and assert none was skipped. */
export function fold(...events: unknown[]): Projection {
  const { projection, skipped } = foldEvents(events);
  if (skipped.length > 0) throw new Error(`unexpected skipped events: ${JSON.stringify(skipped)}`);
  return projection;
}

/** Fold events from empty and return the record of `stableId` (default {@link SID}). */
export function recordOf(events: unknown[], stableId: string = SID): SessionRecord {
  const record = fold(...events).sessions[stableId];
  if (record === undefined) throw new Error(`no record for ${stableId}`);
  return record;
}

/** The keys of a record, in order. */
export function keysOf(value: object): string[] {
  return Object.keys(value);
}
