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
 * @throws {EventTooLargeError} when the line is longer than {@link MAX_EVENT_BYTES} bytes.
 */
export function encodeEvent(event: EventEnvelope<string, unknown>): string {
  const line = `${JSON.stringify(event)}\n`;
  const bytes = utf8ByteLength(line);
  if (bytes > MAX_EVENT_BYTES) throw new EventTooLargeError(bytes, MAX_EVENT_BYTES);
  return line;
}
