import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { randomFill, randomHex } from './random.js';

describe('randomFill', () => {
  it('fills buffers of any size, small ones from the pool and larger ones directly', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000 }), (size) => {
        const buffer = randomFill(new Uint8Array(size));
        expect(buffer).toHaveLength(size);
        // 16 bytes or more all zero: one chance in 2^128.
        if (size >= 16) expect(buffer.some((byte) => byte !== 0)).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it('never hands out the same bytes twice, across many refills of the pool', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 20_000; i += 1) seen.add(randomHex(16));
    expect(seen.size).toBe(20_000);
  });
});
