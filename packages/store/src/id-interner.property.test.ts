import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { IdInterner } from './id-interner.js';

/** Ids of every encoding: minted ones, near misses of them, ASCII, any UTF-16 (lone surrogates). */
const anyId = fc.oneof(
  fc.uuid().map((uuid) => `sess_${uuid}`),
  fc.uuid().map((uuid) => `sess_${uuid.toUpperCase()}`),
  fc.uuid().map((uuid) => `sess_${uuid.replace(/-/g, '_')}`),
  fc.uuid().map((uuid) => `sesS_${uuid}`),
  fc.string({ maxLength: 50 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.string({ unit: fc.constantFrom('\ud800', '\udc00', '\ud801', 'a', '\u00e9'), maxLength: 4 }),
);

describe('IdInterner', () => {
  it('numbers ids exactly as a Map in first-seen order would, across chunk and table sizes', () => {
    fc.assert(
      fc.property(
        fc.array(anyId, { minLength: 1, maxLength: 40 }),
        fc.array(fc.nat(), { maxLength: 300 }),
        fc.constantFrom(1, 16, 64, 1 << 20),
        fc.constantFrom(1, 2, 8, 1 << 16),
        fc.constantFrom(1, 2, 4096),
        (ids, picks, arenaChunkBytes, idChunk, initialSlots) => {
          const interner = new IdInterner({ arenaChunkBytes, idChunk, initialSlots });
          const reference = new Map<string, number>();
          for (const pick of [...ids.keys(), ...picks]) {
            const id = ids[pick % ids.length] ?? '';
            let expected = reference.get(id);
            if (expected === undefined) {
              expected = reference.size + 1;
              reference.set(id, expected);
            }
            expect(interner.intern(id)).toBe(expected);
          }
          expect(interner.size).toBe(reference.size);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('tells apart ids whose encodings could be confused', () => {
    const interner = new IdInterner({ arenaChunkBytes: 8, initialSlots: 2 });
    const ids = [
      'sess_01941f2a-76bc-708c-b38a-5ec25c7970b2',
      'sess_01941F2A-76bc-708c-b38a-5ec25c7970b2',
      'sess_01941f2a-76bc-708c-b38a-5ec25c7970b3',
      '\ud800',
      '\udc00',
      '\ufffd',
      '',
      'a',
      'a\u0000',
      '\u0161', // one UTF-16 unit 0x0161: bytes 0x61 0x01
      'a\u0001',
    ];
    expect(ids.map((id) => interner.intern(id))).toEqual(ids.map((_, i) => i + 1));
    expect(ids.map((id) => interner.intern(id))).toEqual(ids.map((_, i) => i + 1));
    expect(interner.size).toBe(ids.length);
  });

  it('refuses sizes that are not powers of two', () => {
    expect(() => new IdInterner({ idChunk: 3 })).toThrow(RangeError);
    expect(() => new IdInterner({ initialSlots: 6 })).toThrow(RangeError);
    expect(() => new IdInterner({ arenaChunkBytes: 0 })).toThrow(RangeError);
  });
});
