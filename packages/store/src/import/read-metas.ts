import { existsSync } from 'node:fs';
import type { MessagePort, Worker } from 'node:worker_threads';
import { agentAdapter, readFirstTimestamp } from '@sessions-db/git-transcript';
import type { AgentAdapter, FirstTimestamp, TranscriptMeta } from '@sessions-db/git-transcript';
import {
  CLOSED,
  CONSUMED,
  KEYS_POSTED,
  NEXT_JOB,
  NEXT_KEY,
  POSTED,
  SCAN_AHEAD,
} from './scan-jobs.js';
import type { KeyJobs, KeyResult, ScanJob, ScanResult } from './scan-jobs.js';
import { startScanThread } from './scan-thread.js';
import type { ScanThread } from './scan-thread.js';

/** Fewer transcripts than this are read on the main thread alone: a worker's start costs more. */
export const PARALLEL_SCAN_FROM = 32;

/**
 * How long the main thread, done with its share, waits for the worker's next result before it
 * reads the transcripts the worker has not delivered itself (ms).
 */
const STALL_LIMIT_MS = 10_000;

/**
 * The scan worker's script, beside this module: `scan-worker.js` of the store's `dist/import/`,
 * or of the CLI's `dist/` when the store is bundled there. `null` when there is none (the store
 * run from its TypeScript sources): then the main thread reads every transcript.
 */
export function defaultScanWorker(): URL | null {
  const url = new URL('./scan-worker.js', import.meta.url);
  return url.protocol === 'file:' && existsSync(url) ? url : null;
}

/**
 * A scan worker started ahead of its jobs (it starts while the caller lists the transcripts):
 * hand it to {@link readMetas} once, or {@link ScanWorker.cancel} it.
 */
export interface ScanWorker {
  /** The adapter the worker reads through (the agent's own). */
  readonly adapter: AgentAdapter;
  readonly worker: Worker;
  /** The main thread's end of the worker's channel (jobs out, results in). */
  readonly port: MessagePort;
  readonly control: Int32Array;
  /** Let the worker end without reading anything. */
  cancel(): void;
}

/**
 * Start a worker thread that will read transcripts through `adapter` (the agent's own adapter
 * only; `null` for any other, or when `script` is `null` or cannot be started), or take over
 * `started`, a thread started ahead for that agent ({@link startScanThread}). It loads its code
 * while the caller goes on, and waits for the jobs {@link readMetas} gives it.
 */
export function startScanWorker(
  adapter: AgentAdapter,
  script: URL | null = defaultScanWorker(),
  started: ScanThread | null = null,
): ScanWorker | null {
  if (adapter !== agentAdapter(adapter.name)) return null;
  const thread =
    started?.agent === adapter.name
      ? started
      : script === null
        ? null
        : startScanThread(adapter.name, script);
  if (thread === null) return null;
  const { worker, port, control } = thread;
  return {
    adapter,
    worker,
    port,
    control,
    cancel() {
      port.postMessage(null);
      port.close();
    },
  };
}

/** Reads the transcripts of a list of jobs, each result taken when it is needed. */
export interface MetaReader {
  /** What was read of job `index`'s transcript (read here when the worker has not delivered it). */
  get(index: number): TranscriptMeta;
  /** No more results wanted: the worker stops taking jobs and ends. */
  close(): void;
}

/**
 * Read the head and tail facts of each job's transcript through `adapter` (the same as
 * `adapter.readMeta(job.path, job.options)`), on two threads when `scan` is a worker started for
 * this adapter and there are {@link PARALLEL_SCAN_FROM} jobs or more: the worker and this thread
 * take the next job from a shared counter, in job order, so the caller can use job k's result
 * (`get(k)`, best in job order) while the worker reads the jobs after it. No job is taken
 * {@link SCAN_AHEAD} or more past the results taken (bounded memory). `get` takes what the worker
 * posted (`receiveMessageOnPort`: it stays synchronous); while job k is the worker's and not
 * delivered, this thread reads the next job not taken, or waits; a job the worker took but did
 * not deliver (it failed, or stalled {@link STALL_LIMIT_MS}) is read here. The worker is used
 * once: it ends at `close`.
 */
export function openMetaReader(
  adapter: AgentAdapter,
  jobs: readonly ScanJob[],
  scan: ScanWorker | null,
): MetaReader {
  const read = (job: ScanJob): TranscriptMeta => adapter.readMeta(job.path, job.options);
  const jobAt = (index: number): ScanJob => {
    const job = jobs[index];
    if (job === undefined) throw new RangeError(`no scan job ${String(index)}`);
    return job;
  };
  if (scan === null || scan.adapter !== adapter || jobs.length < PARALLEL_SCAN_FROM) {
    scan?.cancel();
    return { get: (index) => read(jobAt(index)), close: () => undefined };
  }
  const { control, port } = scan;
  port.postMessage(jobs);
  const { receiveMessageOnPort } = process.getBuiltinModule('node:worker_threads');
  const metas = new Map<number, TranscriptMeta>();
  let stalled = false;
  let closed = false;
  const receive = (): void => {
    for (let received = receiveMessageOnPort(port); received !== undefined;) {
      const message = received.message as KeyResult | ScanResult;
      // A first timestamp posted after readFirstTimestamps stopped waiting for it is not wanted.
      if (message[0] !== 'key') {
        const [index, meta] = message;
        const job = jobs[index];
        if (job !== undefined && !metas.has(index)) metas.set(index, meta ?? read(job));
      }
      received = receiveMessageOnPort(port);
    }
  };
  const taken = (index: number): void => {
    if (index + 1 > Atomics.load(control, CONSUMED)) {
      Atomics.store(control, CONSUMED, index + 1);
      Atomics.notify(control, CONSUMED);
    }
  };
  const close = (): void => {
    if (closed) return;
    closed = true;
    Atomics.store(control, CLOSED, 1);
    Atomics.notify(control, CONSUMED);
    port.close();
    if (stalled) void scan.worker.terminate().catch(() => undefined);
  };
  return {
    get(index) {
      const job = jobAt(index);
      for (;;) {
        const held = metas.get(index);
        if (held !== undefined) {
          metas.delete(index);
          taken(index);
          return held;
        }
        if (stalled || closed) {
          taken(index);
          return read(job);
        }
        const posted = Atomics.load(control, POSTED);
        receive();
        if (metas.has(index)) continue;
        const next = Atomics.load(control, NEXT_JOB);
        if (next <= index || next < Atomics.load(control, CONSUMED) + SCAN_AHEAD) {
          const claimed = Atomics.add(control, NEXT_JOB, 1);
          const claimedJob = jobs[claimed];
          if (claimedJob !== undefined) {
            metas.set(claimed, read(claimedJob));
            continue;
          }
        }
        if (Atomics.wait(control, POSTED, posted, STALL_LIMIT_MS) === 'timed-out') stalled = true;
      }
    },
    close,
  };
}

/**
 * Each job's first timestamp (`readFirstTimestamp(job.path, job.options)`), read before the order
 * is known and before any transcript is read whole: on two threads when `scan` is a worker
 * (started, not yet given its transcripts) and there are {@link PARALLEL_SCAN_FROM} jobs or
 * more, each thread taking the next job from a shared counter; a worker still loading its code
 * takes the jobs left when it is ready, or none. Key jobs the worker took but did not deliver
 * within {@link STALL_LIMIT_MS} are read here. The worker stays for {@link openMetaReader}.
 */
export function readFirstTimestamps(
  jobs: readonly ScanJob[],
  scan: ScanWorker | null,
): FirstTimestamp[] {
  return startKeyPass(jobs, scan).finish();
}

/** First timestamps being read by the scan worker: {@link KeyPass.finish} them on this thread. */
export interface KeyPass {
  readonly jobs: readonly ScanJob[];
  /** Read the jobs the worker has not taken here, wait for the ones it took: every job's key. */
  finish(): FirstTimestamp[];
}

/**
 * {@link readFirstTimestamps} in two steps: the jobs are given to the worker now (it reads them
 * while this thread does something else, such as creating the store), and
 * {@link KeyPass.finish} joins in and returns the keys. Finish it once, before
 * {@link openMetaReader} is given the same worker.
 */
export function startKeyPass(jobs: readonly ScanJob[], scan: ScanWorker | null): KeyPass {
  const readKey = (job: ScanJob): FirstTimestamp => readFirstTimestamp(job.path, job.options);
  if (scan === null || jobs.length < PARALLEL_SCAN_FROM)
    return { jobs, finish: () => jobs.map(readKey) };
  const { control, port } = scan;
  const message: KeyJobs = { keys: jobs };
  port.postMessage(message);
  return { jobs, finish: () => finishKeyPass(jobs, control, port, readKey) };
}

/** {@link KeyPass.finish} of jobs given to the worker. */
function finishKeyPass(
  jobs: readonly ScanJob[],
  control: Int32Array,
  port: MessagePort,
  readKey: (job: ScanJob) => FirstTimestamp,
): FirstTimestamp[] {
  const keys: (FirstTimestamp | undefined)[] = jobs.map(() => undefined);
  let missing = jobs.length;
  for (let index = Atomics.add(control, NEXT_KEY, 1); index < jobs.length;) {
    const job = jobs[index];
    if (job !== undefined) keys[index] = readKey(job);
    missing -= 1;
    index = Atomics.add(control, NEXT_KEY, 1);
  }
  const { receiveMessageOnPort } = process.getBuiltinModule('node:worker_threads');
  while (missing > 0) {
    const posted = Atomics.load(control, KEYS_POSTED);
    // Only first timestamps come before the worker is given its transcripts.
    for (let received = receiveMessageOnPort(port); received !== undefined;) {
      const [, index, key] = received.message as KeyResult;
      if (keys[index] === undefined) {
        keys[index] = key;
        missing -= 1;
      }
      received = receiveMessageOnPort(port);
    }
    if (missing === 0) break;
    if (Atomics.wait(control, KEYS_POSTED, posted, STALL_LIMIT_MS) === 'timed-out') break;
  }
  return jobs.map((job, index) => keys[index] ?? readKey(job));
}

/**
 * Every job's result in job order through {@link openMetaReader} (the same as
 * `jobs.map((job) => adapter.readMeta(job.path, job.options))`), on two threads as it reads them.
 */
export function readMetas(
  adapter: AgentAdapter,
  jobs: readonly ScanJob[],
  scan: ScanWorker | null,
): TranscriptMeta[] {
  const reader = openMetaReader(adapter, jobs, scan);
  try {
    return jobs.map((_, index) => reader.get(index));
  } finally {
    reader.close();
  }
}
