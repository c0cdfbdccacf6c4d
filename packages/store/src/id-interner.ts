/** Bytes per chunk of the interner's id store. */
const ARENA_CHUNK_BYTES = 1 << 20;

/** Ids per chunk of the per-id columns. */
const ID_CHUNK = 1 << 16;

/** Slots of a new interner's hash table (grows by doubling at half full). */
const INITIAL_SLOTS = 1 << 12;

/** Encoded forms, the first byte of an id's bytes. */
const TAG_ASCII = 0;
const TAG_SESSION_UUID = 1;
const TAG_UTF16 = 2;

/** `sess_` + a lowercase UUID (8-4-4-4-12 hex digits): the ids this tool mints. */
const SESSION_UUID_LENGTH = 41;
const SESSION_PREFIX = 'sess_';

/** Sizes an interner uses (smaller ones only in tests). */
export interface IdInternerSizes {
  /** Bytes per chunk of the id store. */
  readonly arenaChunkBytes?: number;
  /** Ids per chunk of the per-id columns (a power of two). */
  readonly idChunk?: number;
  /** Initial hash table slots (a power of two). */
  readonly initialSlots?: number;
}

function powerOfTwo(name: string, value: number): number {
  const shift = Math.log2(value);
  if (!Number.isInteger(shift) || shift < 0) throw new RangeError(`${name}: not a power of two`);
  return shift;
}

function hexValue(code: number): number {
  if (code >= 48 && code <= 57) return code - 48;
  if (code >= 97 && code <= 102) return code - 87;
  return -1;
}

/**
 * Numbers strings 1, 2, 3, … in the order they are first seen, exactly (no two different strings
 * ever share a number), in typed arrays instead of a `Map` of strings: the rebuild's first pass
 * numbers a million session ids and holds them only for that pass (a `Map` of them was ~100 MB;
 * this is ~40 MB).
 *
 * Each id is kept as bytes in chunks of an append-only store: a minted id (`sess_` and a lowercase
 * UUID) as its 16 bytes, any other pure-ASCII id as its bytes, anything else as UTF-16 code units
 * (so every string, lone surrogates included, has exactly one encoding). An open-addressing hash
 * table of numbers (FNV-1a over those bytes) finds them; it doubles at half full.
 */
export class IdInterner {
  private readonly arenaChunkBytes: number;
  private readonly idShift: number;
  private readonly idMask: number;
  private readonly arena: Uint8Array[] = [];
  private arenaUsed = 0;
  private readonly hashes: Int32Array[] = [];
  private readonly places: Float64Array[] = [];
  private readonly lengths: Int32Array[] = [];
  private slots: Int32Array;
  private scratch = new Uint8Array(256);
  /** Ids numbered so far (the last number given). */
  size = 0;

  constructor(sizes: IdInternerSizes = {}) {
    this.arenaChunkBytes = sizes.arenaChunkBytes ?? ARENA_CHUNK_BYTES;
    if (!Number.isInteger(this.arenaChunkBytes) || this.arenaChunkBytes < 1)
      throw new RangeError('arenaChunkBytes: not a positive integer');
    const idChunk = sizes.idChunk ?? ID_CHUNK;
    this.idShift = powerOfTwo('idChunk', idChunk);
    this.idMask = idChunk - 1;
    const initialSlots = sizes.initialSlots ?? INITIAL_SLOTS;
    powerOfTwo('initialSlots', initialSlots);
    this.slots = new Int32Array(Math.max(2, initialSlots));
  }

  /** The number of `id`: the one it was given before, or the next one. */
  intern(id: string): number {
    const length = this.encode(id);
    const scratch = this.scratch;
    let hash = 0x811c9dc5;
    for (let i = 0; i < length; i += 1) hash = Math.imul(hash ^ (scratch[i] ?? 0), 0x01000193);
    const slots = this.slots;
    const mask = slots.length - 1;
    let at = hash & mask;
    for (let seq = slots[at] ?? 0; seq !== 0; seq = slots[at] ?? 0) {
      if (this.hashOf(seq) === hash && this.storedEquals(seq, length)) return seq;
      at = (at + 1) & mask;
    }
    const seq = this.add(hash, length);
    slots[at] = seq;
    if (2 * seq > slots.length) this.grow();
    return seq;
  }

  /** Encode `id` into the scratch buffer; returns its length in bytes. */
  private encode(id: string): number {
    const n = id.length;
    if (this.scratch.length < 1 + 2 * n) this.scratch = new Uint8Array(2 * (1 + 2 * n));
    const out = this.scratch;
    if (n === SESSION_UUID_LENGTH && id.startsWith(SESSION_PREFIX)) {
      const length = this.encodeSessionUuid(id);
      if (length > 0) return length;
    }
    out[0] = TAG_ASCII;
    for (let i = 0; i < n; i += 1) {
      const code = id.charCodeAt(i);
      if (code >= 0x80) {
        out[0] = TAG_UTF16;
        for (let k = 0; k < n; k += 1) {
          const unit = id.charCodeAt(k);
          out[1 + 2 * k] = unit & 0xff;
          out[2 + 2 * k] = unit >>> 8;
        }
        return 1 + 2 * n;
      }
      out[1 + i] = code;
    }
    return 1 + n;
  }

  /** `sess_` + lowercase UUID as a tag and 16 bytes; 0 when `id` is not of that form. */
  private encodeSessionUuid(id: string): number {
    const out = this.scratch;
    out[0] = TAG_SESSION_UUID;
    let byte = 1;
    let high = -1;
    for (let i = SESSION_PREFIX.length; i < SESSION_UUID_LENGTH; i += 1) {
      const code = id.charCodeAt(i);
      if (i === 13 || i === 18 || i === 23 || i === 28) {
        if (code !== 45) return 0;
        continue;
      }
      const value = hexValue(code);
      if (value < 0) return 0;
      if (high < 0) high = value;
      else {
        out[byte] = (high << 4) | value;
        byte += 1;
        high = -1;
      }
    }
    return byte;
  }

  private hashOf(seq: number): number {
    const i = seq - 1;
    return this.hashes[i >>> this.idShift]?.[i & this.idMask] ?? 0;
  }

  private storedEquals(seq: number, length: number): boolean {
    const i = seq - 1;
    if ((this.lengths[i >>> this.idShift]?.[i & this.idMask] ?? -1) !== length) return false;
    const place = this.places[i >>> this.idShift]?.[i & this.idMask] ?? 0;
    const chunk = this.arena[Math.floor(place / this.arenaChunkBytes)];
    if (chunk === undefined) return false;
    const start = place % this.arenaChunkBytes;
    const scratch = this.scratch;
    for (let k = 0; k < length; k += 1) if (chunk[start + k] !== scratch[k]) return false;
    return true;
  }

  /** Store the scratch bytes as the next id; returns its number. */
  private add(hash: number, length: number): number {
    const chunkBytes = this.arenaChunkBytes;
    let chunkIndex = this.arena.length - 1;
    if (chunkIndex < 0 || this.arenaUsed + length > (this.arena[chunkIndex]?.length ?? 0)) {
      // An id longer than a chunk gets a chunk of its own length.
      this.arena.push(new Uint8Array(Math.max(chunkBytes, length)));
      chunkIndex += 1;
      this.arenaUsed = 0;
    }
    const chunk = this.arena[chunkIndex] as Uint8Array;
    chunk.set(this.scratch.subarray(0, length), this.arenaUsed);
    const place = chunkIndex * chunkBytes + this.arenaUsed;
    this.arenaUsed += length;

    const i = this.size;
    const at = i & this.idMask;
    if (at === 0) {
      const size = this.idMask + 1;
      this.hashes.push(new Int32Array(size));
      this.places.push(new Float64Array(size));
      this.lengths.push(new Int32Array(size));
    }
    const column = i >>> this.idShift;
    (this.hashes[column] as Int32Array)[at] = hash;
    (this.places[column] as Float64Array)[at] = place;
    (this.lengths[column] as Int32Array)[at] = length;
    this.size += 1;
    return this.size;
  }

  /** Double the hash table and place every number again by its stored hash. */
  private grow(): void {
    const slots = new Int32Array(this.slots.length * 2);
    const mask = slots.length - 1;
    for (let seq = 1; seq <= this.size; seq += 1) {
      let at = this.hashOf(seq) & mask;
      while ((slots[at] ?? 0) !== 0) at = (at + 1) & mask;
      slots[at] = seq;
    }
    this.slots = slots;
  }
}
