/** Events per chunk of {@link EventColumns} (16 bytes each: 1 MiB a chunk). */
const CHUNK_EVENTS = 1 << 16;

/**
 * The rebuild's notes about every event — its session's seq, its offset and its length in the log —
 * in fixed-size chunks of typed arrays (16 bytes an event, no per-event object). Chunks are never
 * copied or grown: memory is what the events need plus at most one chunk, with no moment where an
 * old and a doubled array are both alive (that peak kept a 1M-session rebuild over budget).
 */
export class EventColumns {
  private readonly seqs: Int32Array[] = [];
  private readonly offsets: Float64Array[] = [];
  private readonly lengths: Int32Array[] = [];
  private readonly shift: number;
  private readonly mask: number;
  /** Events noted so far. */
  length = 0;

  /** `chunkEvents` must be a power of two (a smaller one only in tests). */
  constructor(chunkEvents = CHUNK_EVENTS) {
    this.shift = Math.log2(chunkEvents);
    if (!Number.isInteger(this.shift)) throw new RangeError('chunkEvents: not a power of two');
    this.mask = chunkEvents - 1;
  }

  /** Note the next event (in log order). */
  push(seq: number, offset: number, bytes: number): void {
    const at = this.length & this.mask;
    if (at === 0) {
      const size = this.mask + 1;
      this.seqs.push(new Int32Array(size));
      this.offsets.push(new Float64Array(size));
      this.lengths.push(new Int32Array(size));
    }
    const chunk = this.length >>> this.shift;
    (this.seqs[chunk] as Int32Array)[at] = seq;
    (this.offsets[chunk] as Float64Array)[at] = offset;
    (this.lengths[chunk] as Int32Array)[at] = bytes;
    this.length += 1;
  }

  /** Session seq of event `i`. */
  seq(i: number): number {
    return this.seqs[i >>> this.shift]?.[i & this.mask] ?? 0;
  }

  /** Log offset of event `i`. */
  offset(i: number): number {
    return this.offsets[i >>> this.shift]?.[i & this.mask] ?? 0;
  }

  /** Length of event `i`'s line, its newline included. */
  bytes(i: number): number {
    return this.lengths[i >>> this.shift]?.[i & this.mask] ?? 0;
  }

  /**
   * Event indexes ordered by session seq (1 … `sessionCount`), then log order: a counting sort
   * (the scan already visits each session's events in log order).
   */
  orderBySeq(sessionCount: number): Uint32Array {
    const starts = new Uint32Array(sessionCount + 2);
    for (let i = 0; i < this.length; i += 1) {
      const next = this.seq(i) + 1;
      starts[next] = (starts[next] ?? 0) + 1;
    }
    for (let seq = 1; seq < starts.length; seq += 1)
      starts[seq] = (starts[seq] ?? 0) + (starts[seq - 1] ?? 0);
    const order = new Uint32Array(this.length);
    for (let i = 0; i < this.length; i += 1) {
      const seq = this.seq(i);
      const at = starts[seq] ?? 0;
      order[at] = i;
      starts[seq] = at + 1;
    }
    return order;
  }
}
