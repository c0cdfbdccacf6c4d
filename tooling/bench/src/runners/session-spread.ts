/**
 * How far apart in the log a session's events lie, as a one-pass fold would feel it: the log's
 * session ids replayed through a least-recently-used set of each given size, counting how often an
 * event belongs to a session that was pushed out of the set before (that session "comes back":
 * a one-pass rebuild keeping that many records in memory would read its record back), and which
 * ops brought sessions back. Every line is parsed (`scanLogSync`); lines without a string
 * `stable_id` are skipped.
 *
 * Prints `{ events, sessions, lru: [{ size, returns, byOp }] }` as JSON.
 *
 * Usage: session-spread.ts <sessions-db-events.jsonl> [size …] (default sizes 1024 4096 16384
 * 65536). By hand, not in a bench run; the 1M log takes minutes.
 */
import { scanLogSync } from '@sessions-db/event-log';

/** One simulated set of open sessions. */
interface Spread {
  readonly size: number;
  readonly open: Map<number, true>;
  readonly pushedOut: Set<number>;
  returns: number;
  readonly byOp: Record<string, number>;
}

function record(spread: Spread, seq: number, op: string): void {
  const { open, pushedOut } = spread;
  if (open.delete(seq)) {
    open.set(seq, true);
    return;
  }
  if (pushedOut.delete(seq)) {
    spread.returns += 1;
    spread.byOp[op] = (spread.byOp[op] ?? 0) + 1;
  }
  open.set(seq, true);
  if (open.size > spread.size) {
    const oldest = open.keys().next().value as number;
    open.delete(oldest);
    pushedOut.add(oldest);
  }
}

function main(): void {
  const [path, ...sizeArgs] = process.argv.slice(2);
  if (path === undefined) throw new Error('usage: session-spread.ts <events.jsonl> [size …]');
  const sizes = sizeArgs.length > 0 ? sizeArgs.map(Number) : [1024, 4096, 16384, 65536];
  const spreads: Spread[] = sizes.map((size) => ({
    size,
    open: new Map(),
    pushedOut: new Set(),
    returns: 0,
    byOp: {},
  }));
  const seqs = new Map<string, number>();
  let events = 0;
  scanLogSync(path, {
    onEvent: (value) => {
      const event = value as { stable_id?: unknown; op?: unknown };
      if (typeof event.stable_id !== 'string') return;
      let seq = seqs.get(event.stable_id);
      if (seq === undefined) {
        seq = seqs.size + 1;
        seqs.set(event.stable_id, seq);
      }
      const op = typeof event.op === 'string' ? event.op : '?';
      for (const spread of spreads) record(spread, seq, op);
      events += 1;
    },
  });
  const lru = spreads.map(({ size, returns, byOp }) => ({ size, returns, byOp }));
  process.stdout.write(`${JSON.stringify({ events, sessions: seqs.size, lru })}\n`);
}

main();
