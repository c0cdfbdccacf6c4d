import { appendFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendEvent, encodeEvent, newEvent, readLog } from './index.js';
import type { ReadLogResult } from './index.js';
import { spawnTsx, waitForExit, waitForLine } from './test-support/spawn-tsx.js';
import { useTempDirs } from './test-support/temp-dir.js';

const tempDir = useTempDirs();
const WORKERS = 16;
const PER_WORKER = 200;

/** Start an append-worker and wait until it is ready. */
async function startWorker(id: string): Promise<ChildProcessWithoutNullStreams> {
  const child = spawnTsx('append-worker.ts', [id]);
  await waitForLine(child, (line) => line === 'ready');
  return child;
}

/** Release the workers together on one log; resolves when every finite round is done. */
async function appendRound(
  path: string,
  workers: readonly ChildProcessWithoutNullStreams[],
  counts: readonly (number | 'forever')[],
): Promise<void> {
  const finished = workers.map((child, i) =>
    counts[i] === 'forever' ? undefined : waitForLine(child, (line) => line.startsWith('done ')),
  );
  workers.forEach((child, i) => child.stdin.write(`append ${path} ${counts[i]}\n`));
  await Promise.all(finished);
}

/** The sequence numbers each worker's events carry, in log order. */
function seqsByWorker(log: ReadLogResult): Map<string, number[]> {
  const seqs = new Map<string, number[]>();
  for (const event of log.events) {
    const { worker, seq } = (event as { payload: { worker?: string; seq?: number } }).payload;
    if (worker === undefined || seq === undefined) continue;
    seqs.set(worker, [...(seqs.get(worker) ?? []), seq]);
  }
  return seqs;
}

const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);

function expectEveryEventOnce(log: ReadLogResult, expected: number): void {
  const ids = log.events.map((event) => (event as { event_id: string }).event_id);
  expect(ids).toHaveLength(expected);
  expect(new Set(ids).size).toBe(expected);
}

describe('concurrent appenders', () => {
  let pool: ChildProcessWithoutNullStreams[] = [];

  beforeAll(async () => {
    pool = await Promise.all(range(WORKERS).map((i) => startWorker(`w${i}`)));
  });

  afterAll(async () => {
    for (const child of pool) child.stdin.end();
    await Promise.all(pool.map(waitForExit));
  });

  it(`${WORKERS} processes × ${PER_WORKER} events: every line intact, none lost`, async () => {
    const path = join(tempDir(), 'sessions-db-events.jsonl');
    await appendRound(path, pool, Array<number>(WORKERS).fill(PER_WORKER));

    const log = await readLog(path);
    expect(log.corruptions).toEqual([]);
    expect(readFileSync(path, 'utf8').split('\n').filter(Boolean)).toHaveLength(
      WORKERS * PER_WORKER,
    );
    expectEveryEventOnce(log, WORKERS * PER_WORKER);
    const seqs = seqsByWorker(log);
    expect(seqs.size).toBe(WORKERS);
    // Each process's appends land in its own order.
    for (const list of seqs.values()) expect(list).toEqual(range(PER_WORKER));
  });

  it('a process killed mid-run leaves the log readable and the others unaffected', async () => {
    const path = join(tempDir(), 'sessions-db-events.jsonl');
    const doomed = await startWorker('doomed');
    const workers = [...pool.slice(0, WORKERS - 1), doomed];
    const counts = [...Array<number>(WORKERS - 1).fill(PER_WORKER), 'forever' as const];
    try {
      const killedMidRun = waitForLine(doomed, (line) => line === 'progress 40').then(() => {
        doomed.kill('SIGKILL');
        return waitForExit(doomed);
      });
      await appendRound(path, workers, counts);
      expect((await killedMidRun).signal).toBe('SIGKILL');
    } finally {
      // Never leave an endless appender behind, whatever failed.
      if (doomed.exitCode === null && doomed.signalCode === null) doomed.kill('SIGKILL');
    }

    const log = await readLog(path);
    expect(log.corruptions.filter((c) => !c.tolerated)).toEqual([]);
    const seqs = seqsByWorker(log);
    for (let i = 0; i < WORKERS - 1; i++) expect(seqs.get(`w${i}`)).toEqual(range(PER_WORKER));
    const killed = seqs.get('doomed') ?? [];
    expect(killed.length).toBeGreaterThanOrEqual(40);
    expect(killed).toEqual(range(killed.length));

    // Appends after the kill are intact.
    const after = newEvent({ op: 'close', stable_id: 'sess_after', payload: { outcome: 'done' } });
    appendEvent(path, after);
    const again = await readLog(path);
    expect(again.corruptions.filter((c) => !c.tolerated)).toEqual([]);
    expect(again.events.at(-1)).toEqual(after);
  });

  it('a log left ending mid-line is repaired by concurrent appenders without fatal corruption', async () => {
    const path = join(tempDir(), 'sessions-db-events.jsonl');
    const before = newEvent({ op: 'session_seen', stable_id: 'sess_before' });
    appendEvent(path, before);
    // A writer that died mid-write.
    appendFileSync(
      path,
      encodeEvent(newEvent({ op: 'session_seen', stable_id: 'sess_dead' })).slice(0, 70),
    );
    await appendRound(path, pool, Array<number>(WORKERS).fill(PER_WORKER / 2));

    const log = await readLog(path);
    expect(log.corruptions.length).toBeGreaterThanOrEqual(1);
    expect(log.corruptions.every((c) => c.kind === 'repaired_fragment')).toBe(true);
    expect(log.corruptions[0]).toMatchObject({ line: 2, kind: 'repaired_fragment' });
    expect(log.events[0]).toEqual(before);
    expectEveryEventOnce(log, 1 + (WORKERS * PER_WORKER) / 2);
    const seqs = seqsByWorker(log);
    expect(seqs.size).toBe(WORKERS);
    for (const list of seqs.values()) expect(list).toEqual(range(PER_WORKER / 2));

    const after = newEvent({ op: 'close', stable_id: 'sess_after' });
    expect(appendEvent(path, after).repaired).toBe(false);
    expect((await readLog(path)).events.at(-1)).toEqual(after);
  });
});
