/**
 * UUIDv7 ids (RFC 9562) for sessions (`sess_…`) and events (`evt_…`), monotonic within a process
 * (docs/on-disk-format.md#ids). The clock and the randomness are injectable through {@link createIdGenerator}.
 */
import { randomFill } from './random.js';

/** Prefix of a stable (session) id. */
export const SESSION_ID_PREFIX = 'sess_';
/** Prefix of an event id. */
export const EVENT_ID_PREFIX = 'evt_';

const UUID_V7 = '[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}';
const SESSION_ID_RE = new RegExp(`^sess_${UUID_V7}$`);
const EVENT_ID_RE = new RegExp(`^evt_${UUID_V7}$`);

/** Where a generator reads time and randomness. */
export interface IdGeneratorOptions {
  /** Current time (a `Date` or unix ms). Default `Date.now`. */
  readonly now?: () => Date | number;
  /** `size` cryptographically random bytes. Default: the kernel's generator (`/dev/urandom`), else `crypto.randomFillSync`. */
  readonly randomBytes?: (size: number) => Uint8Array;
}

/** Mints ids from one monotonic state shared by both prefixes. */
export interface IdGenerator {
  /** A bare lowercase UUIDv7, strictly greater than every earlier one from this generator. */
  generateUuidV7(): string;
  /** `sess_` + {@link IdGenerator.generateUuidV7}. */
  generateSessionId(): string;
  /** `evt_` + {@link IdGenerator.generateUuidV7}. */
  generateEventId(): string;
}

/**
 * Build an id generator. Within one generator ids strictly increase: a call in the same
 * millisecond as the previous one (or after the clock went backwards) reuses the previous
 * timestamp with the 12-bit `rand_a` field incremented; when it wraps to 0 the timestamp moves on
 * by 1 ms.
 * @throws {RangeError} from a generated id if the clock is not a finite time or `randomBytes`
 * returns fewer than 16 bytes.
 */
export function createIdGenerator(options: IdGeneratorOptions = {}): IdGenerator {
  const now = options.now ?? Date.now;
  const randomBytes = options.randomBytes ?? defaultRandomBytes;
  let lastTs = -1;
  let lastRandA = 0;

  function generateUuidV7(): string {
    const bytes = randomBytes(16);
    if (bytes.length < 16) {
      throw new RangeError(
        `createIdGenerator: randomBytes returned ${bytes.length} bytes, need 16`,
      );
    }
    const clock = now();
    const nowMs = Math.floor(typeof clock === 'number' ? clock : clock.getTime());
    if (!Number.isFinite(nowMs) || nowMs < 0) {
      throw new RangeError(`createIdGenerator: clock returned an invalid time (${String(clock)})`);
    }
    let ts: number;
    let randA: number;
    if (nowMs <= lastTs) {
      ts = lastTs;
      randA = (lastRandA + 1) & 0xfff;
      if (randA === 0) ts += 1;
    } else {
      ts = nowMs;
      randA = ((bytes[6]! & 0x0f) << 8) | bytes[7]!;
    }
    lastTs = ts;
    lastRandA = randA;
    return renderUuid(bytes, ts, randA);
  }

  return {
    generateUuidV7,
    generateSessionId: () => SESSION_ID_PREFIX + generateUuidV7(),
    generateEventId: () => EVENT_ID_PREFIX + generateUuidV7(),
  };
}

/** The two lowercase hex digits of every byte value. */
const HEX_PAIRS = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, '0'));

function hexOf(bytes: Uint8Array, from: number, to: number): string {
  let hex = '';
  for (let i = from; i < to; i += 1) hex += HEX_PAIRS[bytes[i] ?? 0];
  return hex;
}

function renderUuid(random: Uint8Array, ts: number, randA: number): string {
  const bytes = Uint8Array.from(random.subarray(0, 16));
  // 48-bit big-endian unix ms; split in two because bitwise operators work on 32 bits.
  const high = Math.floor(ts / 0x100000000);
  const low = ts >>> 0;
  bytes[0] = (high >>> 8) & 0xff;
  bytes[1] = high & 0xff;
  bytes[2] = (low >>> 24) & 0xff;
  bytes[3] = (low >>> 16) & 0xff;
  bytes[4] = (low >>> 8) & 0xff;
  bytes[5] = low & 0xff;
  bytes[6] = 0x70 | (randA >> 8);
  bytes[7] = randA & 0xff;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  return `${hexOf(bytes, 0, 4)}-${hexOf(bytes, 4, 6)}-${hexOf(bytes, 6, 8)}-${hexOf(bytes, 8, 10)}-${hexOf(bytes, 10, 16)}`;
}

/**
 * 16 random bytes for one id, from {@link randomFill}'s pool (the kernel's generator read 4 KiB at
 * a time, or `node:crypto`): one read per 256 ids.
 */
function defaultRandomBytes(size: number): Uint8Array {
  return randomFill(new Uint8Array(size));
}

const defaultGenerator = createIdGenerator();

/** A new stable (session) id, `sess_` + UUIDv7, from the process-wide generator. */
export function generateSessionId(): string {
  return defaultGenerator.generateSessionId();
}

/** A new event id, `evt_` + UUIDv7, from the process-wide generator (same state as session ids). */
export function generateEventId(): string {
  return defaultGenerator.generateEventId();
}

/** Whether `value` is a stable id: `sess_` + lowercase UUIDv7 (uppercase rejected). */
export function isSessionId(value: unknown): value is string {
  return typeof value === 'string' && SESSION_ID_RE.test(value);
}

/** Whether `value` is an event id: `evt_` + lowercase UUIDv7 (uppercase rejected). */
export function isEventId(value: unknown): value is string {
  return typeof value === 'string' && EVENT_ID_RE.test(value);
}

/**
 * The unix time in ms embedded in a session or event id (its first 48 bits).
 * @throws {TypeError} `extractTimestamp: not a sessions-db id: <id>` when `id` is neither.
 */
export function extractTimestamp(id: string): number {
  if (!isSessionId(id) && !isEventId(id)) {
    throw new TypeError(`extractTimestamp: not a sessions-db id: ${String(id)}`);
  }
  const hex = id.slice(id.indexOf('_') + 1).replace(/-/g, '');
  return Number.parseInt(hex.slice(0, 12), 16);
}
