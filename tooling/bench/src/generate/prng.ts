/**
 * A small seeded pseudo-random generator (sfc32), so generated stores and transcripts are the
 * same bytes on every machine for the same seed.
 */

/** A deterministic source of random values. */
export interface Prng {
  /** A float in [0, 1). */
  next(): number;
  /** An integer in [0, n). */
  int(n: number): number;
  /** An integer in [min, max] (both included). */
  range(min: number, max: number): number;
  /** True with probability `p`. */
  chance(p: number): boolean;
  /** One element of a non-empty list. */
  pick<T>(list: readonly T[]): T;
  /** `size` random bytes. */
  bytes(size: number): Uint8Array;
  /** A random lowercase UUIDv4 (`8-4-4-4-12`). */
  uuid(): string;
  /** `length` random lowercase hex digits. */
  hex(length: number): string;
}

/** Mix a 32-bit seed into four non-zero words (splitmix32). */
function seedWords(seed: number): [number, number, number, number] {
  let state = seed >>> 0;
  const word = (): number => {
    state = (state + 0x9e3779b9) >>> 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
  return [word(), word(), word(), word() | 1];
}

const HEX = '0123456789abcdef';
const HEX2: readonly string[] = Array.from({ length: 256 }, (_, i) =>
  i.toString(16).padStart(2, '0'),
);

/** A PRNG seeded with `seed` (any 32-bit integer). */
export function createPrng(seed: number): Prng {
  let [a, b, c, d] = seedWords(seed);
  const u32 = (): number => {
    const t = (((a + b) >>> 0) + d) >>> 0;
    d = (d + 1) >>> 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) >>> 0;
    c = ((c << 21) | (c >>> 11)) >>> 0;
    c = (c + t) >>> 0;
    return t;
  };
  const next = (): number => u32() / 4294967296;
  const int = (n: number): number => Math.floor(next() * n);
  const bytes = (size: number): Uint8Array => {
    const out = new Uint8Array(size);
    for (let i = 0; i < size; i += 4) {
      const w = u32();
      out[i] = w & 0xff;
      if (i + 1 < size) out[i + 1] = (w >>> 8) & 0xff;
      if (i + 2 < size) out[i + 2] = (w >>> 16) & 0xff;
      if (i + 3 < size) out[i + 3] = (w >>> 24) & 0xff;
    }
    return out;
  };
  const word8 = (): string => {
    const w = u32();
    return (HEX2[w & 255] ?? '') + HEX2[(w >>> 8) & 255] + HEX2[(w >>> 16) & 255] + HEX2[w >>> 24];
  };
  const hex = (length: number): string => {
    let out = '';
    while (out.length < length) out += word8();
    return out.length === length ? out : out.slice(0, length);
  };
  return {
    next,
    int,
    range: (min, max) => min + int(max - min + 1),
    chance: (p) => next() < p,
    pick: <T>(list: readonly T[]): T => {
      if (list.length === 0) throw new RangeError('Prng.pick: empty list');
      return list[int(list.length)] as T;
    },
    bytes,
    hex,
    uuid: () => {
      const h = hex(32);
      const variant = HEX[8 + (u32() & 3)] ?? '8';
      return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
    },
  };
}
