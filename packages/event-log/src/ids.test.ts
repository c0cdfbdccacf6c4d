import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  createIdGenerator,
  extractTimestamp,
  generateEventId,
  generateSessionId,
  isEventId,
  isSessionId,
} from './index.js';

const UUID_PART = /^(?:sess|evt)_(.+)$/;

function uuidOf(id: string): string {
  const match = UUID_PART.exec(id);
  if (!match?.[1]) throw new Error(`not a prefixed id: ${id}`);
  return match[1];
}

/** Random bytes that make the fresh-millisecond `rand_a` equal 0xfff. */
function maxRandA(size: number): Uint8Array {
  const bytes = new Uint8Array(size).fill(0x5a);
  bytes[6] = 0x0f;
  bytes[7] = 0xff;
  return bytes;
}

describe('id formats', () => {
  it('mints sess_ and evt_ UUIDv7 ids that the validators accept', () => {
    const session = generateSessionId();
    const event = generateEventId();
    expect(session).toMatch(
      /^sess_[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    expect(event).toMatch(
      /^evt_[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    expect(isSessionId(session)).toBe(true);
    expect(isEventId(event)).toBe(true);
    expect(isSessionId(event)).toBe(false);
    expect(isEventId(session)).toBe(false);
  });

  it('rejects uppercase, other versions, other variants and other shapes', () => {
    const good = 'sess_019e0f2d-c6e0-7f00-8a11-0b2c3d4e5f60';
    expect(isSessionId(good)).toBe(true);
    expect(isSessionId(good.toUpperCase())).toBe(false);
    expect(isSessionId('sess_019E0f2d-c6e0-7f00-8a11-0b2c3d4e5f60')).toBe(false);
    expect(isSessionId('sess_019e0f2d-c6e0-4f00-8a11-0b2c3d4e5f60')).toBe(false);
    expect(isSessionId('sess_019e0f2d-c6e0-7f00-ca11-0b2c3d4e5f60')).toBe(false);
    expect(isSessionId('019e0f2d-c6e0-7f00-8a11-0b2c3d4e5f60')).toBe(false);
    expect(isSessionId(`${good}0`)).toBe(false);
    expect(isSessionId(42)).toBe(false);
    expect(isEventId('evt_019e0f2d-c6e3-7a41-9b2c-3f1e2d4c5b6a')).toBe(true);
    expect(isEventId('evt_019e0f2d-c6e3-7a41-9b2c-3f1e2d4c5b6')).toBe(false);
  });

  it('lays out time, version and variant per RFC 9562 for any clock and randomness', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2 ** 48 - 2 }),
        fc.uint8Array({ minLength: 16, maxLength: 16 }),
        (ms, random) => {
          const generator = createIdGenerator({ now: () => ms, randomBytes: () => random });
          const id = generator.generateSessionId();
          expect(isSessionId(id)).toBe(true);
          expect(extractTimestamp(id)).toBe(ms);
          // The last 7 bytes stay random.
          const hex = uuidOf(id).replace(/-/g, '');
          const tail = Array.from(random.subarray(9), (b) => b.toString(16).padStart(2, '0'));
          expect(hex.slice(18)).toBe(tail.join(''));
        },
      ),
    );
  });
});

describe('monotonicity', () => {
  it('1000 consecutive ids are unique and strictly increasing', () => {
    const ids = Array.from({ length: 1000 }, () => generateSessionId());
    expect(new Set(ids).size).toBe(1000);
    for (let i = 1; i < ids.length; i++) {
      expect(uuidOf(ids[i]!) > uuidOf(ids[i - 1]!)).toBe(true);
      expect(extractTimestamp(ids[i]!)).toBeGreaterThanOrEqual(extractTimestamp(ids[i - 1]!));
    }
  });

  it('draws fresh random bits for every default id, across refills of the random pool', () => {
    // 1000 ids take 16 000 random bytes: several refills of the 4 KiB pool.
    const tails = Array.from({ length: 1000 }, () =>
      uuidOf(generateEventId()).replace(/-/g, '').slice(18),
    );
    expect(new Set(tails).size).toBe(1000);
  });

  it('shares one state between session and event ids', () => {
    const generator = createIdGenerator({ now: () => 1_700_000_000_000 });
    const uuids = Array.from({ length: 200 }, (_, i) =>
      uuidOf(i % 2 === 0 ? generator.generateSessionId() : generator.generateEventId()),
    );
    expect([...uuids].sort()).toEqual(uuids);
    expect(new Set(uuids).size).toBe(200);
  });

  it('stays increasing when the injected clock goes backwards', () => {
    let now = 1_700_000_010_000;
    const generator = createIdGenerator({ now: () => (now -= 7) });
    const uuids = Array.from({ length: 500 }, () => generator.generateUuidV7());
    for (let i = 1; i < uuids.length; i++) expect(uuids[i]! > uuids[i - 1]!).toBe(true);
    expect(extractTimestamp(`evt_${uuids.at(-1)!}`)).toBeGreaterThanOrEqual(1_700_000_010_000 - 7);
  });

  it('accepts a Date clock', () => {
    const generator = createIdGenerator({ now: () => new Date('2026-05-10T09:15:02.123Z') });
    expect(extractTimestamp(generator.generateEventId())).toBe(
      Date.parse('2026-05-10T09:15:02.123Z'),
    );
  });

  it('moves to the next millisecond when rand_a wraps within one millisecond', () => {
    const ms = 1_700_000_000_000;
    const generator = createIdGenerator({ now: () => ms, randomBytes: maxRandA });
    const first = generator.generateEventId();
    const second = generator.generateEventId();
    const third = generator.generateEventId();
    expect(uuidOf(first).slice(14, 18)).toBe('7fff');
    expect(extractTimestamp(first)).toBe(ms);
    expect(uuidOf(second).slice(14, 18)).toBe('7000');
    expect(extractTimestamp(second)).toBe(ms + 1);
    expect(uuidOf(third).slice(14, 18)).toBe('7001');
    expect(extractTimestamp(third)).toBe(ms + 1);
    expect(uuidOf(first) < uuidOf(second) && uuidOf(second) < uuidOf(third)).toBe(true);
  });

  it('takes fresh random rand_a bits when the clock moves forward', () => {
    let ms = 1_700_000_000_000;
    const generator = createIdGenerator({ now: () => ms, randomBytes: maxRandA });
    generator.generateEventId();
    ms += 5;
    const later = generator.generateEventId();
    expect(extractTimestamp(later)).toBe(ms);
    expect(uuidOf(later).slice(14, 18)).toBe('7fff');
  });

  it('rejects short randomness and invalid clocks', () => {
    expect(() =>
      createIdGenerator({ randomBytes: () => new Uint8Array(8) }).generateUuidV7(),
    ).toThrow(RangeError);
    expect(() => createIdGenerator({ now: () => Number.NaN }).generateUuidV7()).toThrow(RangeError);
  });
});

describe('extractTimestamp', () => {
  it('reads the first 48 bits of a session or event id', () => {
    expect(extractTimestamp('sess_019e0f2d-c6e0-7f00-8a11-0b2c3d4e5f60')).toBe(0x019e0f2dc6e0);
    expect(extractTimestamp('evt_019e0f2d-c6e3-7a41-9b2c-3f1e2d4c5b6a')).toBe(0x019e0f2dc6e3);
  });

  it('throws a TypeError for anything else', () => {
    expect(() => extractTimestamp('nope')).toThrow(
      new TypeError('extractTimestamp: not a sessions-db id: nope'),
    );
    expect(() => extractTimestamp('sess_019E0F2D-C6E0-7F00-8A11-0B2C3D4E5F60')).toThrow(TypeError);
  });
});
