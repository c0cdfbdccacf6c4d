import { EventTooLargeError } from './errors.js';
import type { EventEnvelope } from './types.js';
import { utf8ByteLength } from './utf8.js';

/**
 * The largest encoded line, in UTF-8 bytes including the newline (exactly this many is accepted).
 * Keeping every append one small `write` is what keeps concurrent appenders from interleaving.
 */
export const MAX_EVENT_BYTES = 4096;

/**
 * Encode one event as its log line: compact JSON (key order as given) followed by `"\n"`.
 *
 * `payloadJson`, when given, is `JSON.stringify(event.payload)` already computed (the store's size
 * check made it): the line is then assembled around it instead of encoding the payload again, with
 * the same bytes, for an envelope as `newEvent` builds it (exactly the keys `ts, event_id, op,
 * stable_id, payload`, in that order, the first four strings).
 * @throws {EventTooLargeError} when the line is longer than {@link MAX_EVENT_BYTES} bytes.
 */
export function encodeEvent(event: EventEnvelope<string, unknown>, payloadJson?: string): string {
  const line =
    payloadJson === undefined
      ? `${JSON.stringify(event)}\n`
      : `{"ts":${JSON.stringify(event.ts)},"event_id":${JSON.stringify(event.event_id)},"op":${JSON.stringify(event.op)},"stable_id":${JSON.stringify(event.stable_id)},"payload":${payloadJson}}\n`;
  const bytes = utf8ByteLength(line);
  if (bytes > MAX_EVENT_BYTES) throw new EventTooLargeError(bytes, MAX_EVENT_BYTES);
  return line;
}
