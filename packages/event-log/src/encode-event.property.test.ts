import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { encodeEvent, EventTooLargeError, newEvent } from './index.js';

/** Strings of any kind, lone surrogates and control characters included. */
const anyText = fc.oneof(fc.string({ unit: 'binary' }), fc.string());

describe('encodeEvent with the payload already encoded', () => {
  it('gives the same line as encoding the whole envelope, and the same size verdict', () => {
    fc.assert(
      fc.property(
        anyText.filter((s) => s.length > 0),
        anyText.filter((s) => s.length > 0),
        anyText,
        anyText,
        fc.dictionary(anyText, fc.jsonValue(), { maxKeys: 8 }),
        // Near the 4096-byte cap, on either side.
        fc.option(fc.string({ minLength: 3900, maxLength: 4100 })),
        (op, stableId, ts, eventId, fields, pad) => {
          const payload = pad === null ? fields : { ...fields, pad };
          const event = newEvent({ op, stable_id: stableId, ts, event_id: eventId, payload });
          const whole = verdict(() => encodeEvent(event));
          const reused = verdict(() => encodeEvent(event, JSON.stringify(event.payload)));
          expect(reused).toEqual(whole);
        },
      ),
      { numRuns: 500 },
    );
  });
});

/** The line, or the size an oversized line was refused at. */
function verdict(encode: () => string): string | { tooLarge: number } {
  try {
    return encode();
  } catch (error) {
    if (error instanceof EventTooLargeError) return { tooLarge: error.bytes };
    throw error;
  }
}
