import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { EventColumns } from './event-columns.js';

describe('EventColumns', () => {
  it('keeps every event across chunks and orders them by seq, then log order', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 20 }),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 1, max: 5000 })), { maxLength: 200 }),
        fc.constantFrom(1, 2, 4, 8, 64),
        (sessions, picks, chunkEvents) => {
          const columns = new EventColumns(chunkEvents);
          const events = picks.map(([pick, bytes], i) => ({
            seq: (pick % sessions) + 1,
            offset: 2 ** 33 + i * 7919, // past 4 GiB: offsets of a 1M-session log
            bytes,
          }));
          for (const e of events) columns.push(e.seq, e.offset, e.bytes);
          expect(columns.length).toBe(events.length);
          events.forEach((e, i) => {
            expect([columns.seq(i), columns.offset(i), columns.bytes(i)]).toEqual([
              e.seq,
              e.offset,
              e.bytes,
            ]);
          });
          const expected = events
            .map((e, i) => ({ seq: e.seq, i }))
            .sort((a, b) => a.seq - b.seq || a.i - b.i)
            .map((e) => e.i);
          expect([...columns.orderBySeq(sessions)]).toEqual(expected);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('refuses a chunk size that is not a power of two', () => {
    expect(() => new EventColumns(3)).toThrow(RangeError);
  });
});
