import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { EventColumns } from './event-columns.js';

/** Steps between consecutive offsets: small ones, and jumps across several 4 GiB boundaries. */
const offsetStep = fc.oneof(
  fc.integer({ min: 0, max: 5000 }),
  fc.integer({ min: 2 ** 32 - 10, max: 2 ** 32 + 10 }),
  fc.integer({ min: 2 ** 34, max: 2 ** 35 }),
);

describe('EventColumns', () => {
  it('keeps every event across chunks and 4 GiB boundaries, and groups them by session in log order', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 20 }),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 1, max: 70_000 }), offsetStep), {
          maxLength: 200,
        }),
        fc.constantFrom(1, 2, 4, 8, 64),
        fc.integer({ min: 0, max: 2 ** 33 }),
        (sessions, picks, chunkEvents, firstOffset) => {
          const columns = new EventColumns(chunkEvents);
          let offset = firstOffset;
          const events = picks.map(([pick, bytes, step]) => {
            offset += step;
            return { seq: (pick % sessions) + 1, offset, bytes };
          });
          for (const e of events) columns.push(e.seq, e.offset, e.bytes);
          expect(columns.length).toBe(events.length);
          events.forEach((e, i) => {
            expect([columns.seq(i), columns.offset(i), columns.bytes(i)]).toEqual([
              e.seq,
              e.offset,
              e.bytes <= 0xffff ? e.bytes : undefined,
            ]);
          });
          const expected = events
            .map((e, i) => ({ seq: e.seq, i }))
            .sort((a, b) => a.seq - b.seq || a.i - b.i);
          const { order, starts } = columns.groupBySession(sessions);
          expect([...order]).toEqual(expected.map((e) => e.i));
          for (let seq = 1; seq <= sessions; seq += 1) {
            const mine = [...order.subarray(starts[seq], starts[seq + 1])];
            expect(mine).toEqual(expected.filter((e) => e.seq === seq).map((e) => e.i));
          }
          // Offsets and lengths stay readable; seqs are released.
          events.forEach((e, i) => expect(columns.offset(i)).toBe(e.offset));
          if (events.length > 0) expect(() => columns.seq(0)).toThrow(RangeError);
          expect(() => columns.push(1, offset, 1)).toThrow(RangeError);
          columns.clear();
          expect(columns.length).toBe(0);
          expect(() => columns.groupBySession(sessions)).toThrow(RangeError);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('refuses offsets that go back', () => {
    const columns = new EventColumns();
    columns.push(1, 100, 10);
    expect(() => columns.push(1, 99, 10)).toThrow(RangeError);
  });

  it('refuses a chunk size that is not a power of two', () => {
    expect(() => new EventColumns(3)).toThrow(RangeError);
  });
});
