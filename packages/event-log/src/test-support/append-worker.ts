/**
 * Child process for the concurrency tests. Arg: `<worker id>`. Prints `ready`, then for each stdin
 * line `append <log path> <count|forever>` appends that many events (payload sizes vary up to near
 * the 4096-byte cap), printing `progress <n>` every 20 events and `done <n>` at the end. One
 * process serves several rounds, so the tests pay the start-up cost once.
 */
import { createInterface } from 'node:readline';
import { appendEvent, generateSessionId, newEvent } from '../index.js';

const worker = process.argv[2];
if (worker === undefined) throw new Error('usage: append-worker <worker id>');
const stableId = generateSessionId();

function appendRound(path: string, count: number): void {
  for (let seq = 0; seq < count; seq++) {
    // 0 … 3600 bytes of padding, multi-byte characters now and then.
    const size = (seq * 389) % 3600;
    const pad = seq % 7 === 0 ? 'é€'.repeat(Math.floor(size / 5)) : 'x'.repeat(size);
    appendEvent(
      path,
      newEvent({ op: 'session_seen', stable_id: stableId, payload: { worker, seq, pad } }),
    );
    if ((seq + 1) % 20 === 0) process.stdout.write(`progress ${seq + 1}\n`);
  }
  process.stdout.write(`done ${count}\n`);
}

createInterface({ input: process.stdin }).on('line', (line) => {
  const [command, path, count] = line.split(' ');
  if (command !== 'append' || path === undefined || count === undefined) {
    throw new Error(`append-worker: unknown command: ${line}`);
  }
  appendRound(path, count === 'forever' ? Number.POSITIVE_INFINITY : Number(count));
});
process.stdout.write('ready\n');
