/** Events per chunk of {@link EventColumns} (10 bytes each: 640 KiB a chunk). */
const CHUNK_EVENTS = 1 << 16;

/** Offsets are kept as their low 32 bits; the high part is counted by where it grows. */
const HIGH = 2 ** 32;

/** Line lengths above this are not kept (noted as 0: the reader finds the line's end). */
const MAX_KEPT_BYTES = 0xffff;

/** The events of the log grouped by session (see {@link EventColumns.groupBySession}). */
export interface SessionOrder {
  /** Event indexes, session 1's first (in log order), then session 2's, … */
  readonly order: Uint32Array;
  /**
   * `starts[seq]` is where session `seq`'s events begin in `order` (`starts[seq + 1]` where they
   * end), for seq 1 … `sessionCount`.
   */
  readonly starts: Uint32Array;
}

/**
 * The rebuild's notes about every event — its session's seq, its offset and its line length in the
 * log — in fixed-size chunks of typed arrays (10 bytes an event, no per-event object): offsets as
 * their low 32 bits (events are noted in log order, so the high part only grows: the few indexes
 * where it does are kept aside), lengths as 16 bits (a longer line is noted as unknown), seqs as
 * 32 bits until the events are grouped by session, which releases them. Chunks are never copied
 * or grown: memory is what the events need plus at most one chunk, with no moment where an old
 * and a doubled array are both alive (that peak kept a 1M-session rebuild over budget).
 */
export class EventColumns {
  private seqs: Int32Array[] | null = [];
  private readonly lows: Uint32Array[] = [];
  private readonly lengths: Uint16Array[] = [];
  /** Index of the first event at each step up of the offsets' high part (once per step). */
  private readonly highSteps: number[] = [];
  private readonly shift: number;
  private readonly mask: number;
  private lastOffset = 0;
  /** Events noted so far. */
  length = 0;

  /** `chunkEvents` must be a power of two (a smaller one only in tests). */
  constructor(chunkEvents = CHUNK_EVENTS) {
    this.shift = Math.log2(chunkEvents);
    if (!Number.isInteger(this.shift)) throw new RangeError('chunkEvents: not a power of two');
    this.mask = chunkEvents - 1;
  }

  /**
   * Note the next event (in log order: `offset` never below the previous one's).
   * @throws RangeError when `offset` goes back, or after {@link groupBySession}.
   */
  push(seq: number, offset: number, bytes: number): void {
    if (this.seqs === null) throw new RangeError('EventColumns: already grouped by session');
    if (offset < this.lastOffset) throw new RangeError('EventColumns: offsets must not go back');
    const at = this.length & this.mask;
    if (at === 0) {
      const size = this.mask + 1;
      this.seqs.push(new Int32Array(size));
      this.lows.push(new Uint32Array(size));
      this.lengths.push(new Uint16Array(size));
    }
    const high = Math.floor(offset / HIGH);
    while (this.highSteps.length < high) this.highSteps.push(this.length);
    const chunk = this.length >>> this.shift;
    (this.seqs[chunk] as Int32Array)[at] = seq;
    (this.lows[chunk] as Uint32Array)[at] = offset % HIGH;
    (this.lengths[chunk] as Uint16Array)[at] = bytes <= MAX_KEPT_BYTES ? bytes : 0;
    this.lastOffset = offset;
    this.length += 1;
  }

  /**
   * Session seq of event `i`.
   * @throws RangeError after {@link groupBySession}, which releases them.
   */
  seq(i: number): number {
    if (this.seqs === null) throw new RangeError('EventColumns: already grouped by session');
    return this.seqs[i >>> this.shift]?.[i & this.mask] ?? 0;
  }

  /** Log offset of event `i`. */
  offset(i: number): number {
    const low = this.lows[i >>> this.shift]?.[i & this.mask] ?? 0;
    // How many steps of the high part happened at or before event i.
    let below = 0;
    let above = this.highSteps.length;
    while (below < above) {
      const middle = (below + above) >>> 1;
      if ((this.highSteps[middle] ?? 0) <= i) below = middle + 1;
      else above = middle;
    }
    return below * HIGH + low;
  }

  /** Length of event `i`'s line, its newline included; undefined when it was too long to keep. */
  bytes(i: number): number | undefined {
    const bytes = this.lengths[i >>> this.shift]?.[i & this.mask] ?? 0;
    return bytes === 0 ? undefined : bytes;
  }

  /**
   * Event indexes grouped by session seq (1 … `sessionCount`), each session's in log order: a
   * counting sort (the scan already visits each session's events in log order). Releases the
   * seqs (4 bytes an event): after this, {@link seq} and {@link push} throw.
   */
  groupBySession(sessionCount: number): SessionOrder {
    const seqs = this.seqs;
    if (seqs === null) throw new RangeError('EventColumns: already grouped by session');
    const seqAt = (i: number): number => seqs[i >>> this.shift]?.[i & this.mask] ?? 0;
    const starts = new Uint32Array(sessionCount + 2);
    for (let i = 0; i < this.length; i += 1) {
      const next = seqAt(i) + 1;
      starts[next] = (starts[next] ?? 0) + 1;
    }
    for (let seq = 1; seq < starts.length; seq += 1)
      starts[seq] = (starts[seq] ?? 0) + (starts[seq - 1] ?? 0);
    const order = new Uint32Array(this.length);
    const next = starts.slice();
    for (let i = 0; i < this.length; i += 1) {
      const seq = seqAt(i);
      const at = next[seq] ?? 0;
      order[at] = i;
      next[seq] = at + 1;
    }
    this.seqs = null;
    return { order, starts };
  }

  /** Drop every note (their memory is garbage): afterwards the columns are empty and grouped. */
  clear(): void {
    this.seqs = null;
    this.lows.length = 0;
    this.lengths.length = 0;
    this.highSteps.length = 0;
    this.length = 0;
  }
}
