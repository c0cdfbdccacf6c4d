import { existsSync } from 'node:fs';
import type { MessagePort, Worker } from 'node:worker_threads';
import { agentAdapter } from '@sessions-db/git-transcript';
import type { AgentAdapter, TranscriptMeta } from '@sessions-db/git-transcript';
import { NEXT_JOB, POSTED } from './scan-jobs.js';
import type { ScanJob, ScanResult, ScanWorkerData } from './scan-jobs.js';

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
 * only; `null` for any other, or when `script` is `null` or cannot be started). It loads its code
 * while the caller goes on, and waits for the jobs {@link readMetas} gives it.
 */
export function startScanWorker(
  adapter: AgentAdapter,
  script: URL | null = defaultScanWorker(),
): ScanWorker | null {
  if (script === null || adapter !== agentAdapter(adapter.name)) return null;
  // Loaded here: the hook, which never imports, does not load worker_threads.
  const { MessageChannel, Worker: WorkerThread } = process.getBuiltinModule('node:worker_threads');
  const channel = new MessageChannel();
  const control = new Int32Array(new SharedArrayBuffer(8));
  try {
    const data: ScanWorkerData = {
      agent: adapter.name,
      control: control.buffer as SharedArrayBuffer,
      port: channel.port2,
    };
    const worker = new WorkerThread(script, { workerData: data, transferList: [channel.port2] });
    // A worker that fails only leaves its jobs to the main thread (see readMetas).
    worker.on('error', () => undefined);
    worker.unref();
    const { port1: port } = channel;
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
  } catch {
    channel.port1.close();
    return null;
  }
}

/**
 * Read the head and tail facts of each job's transcript through `adapter` (the same as
 * `jobs.map((job) => adapter.readMeta(job.path, job.options))`), on two threads when `scan` is a
 * worker started for this adapter and there are {@link PARALLEL_SCAN_FROM} jobs or more: the
 * worker and this thread take the next transcript from a shared counter until none is left, so
 * neither waits for the other while any is unread. The results are in job order. A transcript the
 * worker took but did not deliver (it failed, or stalled {@link STALL_LIMIT_MS}) is read here.
 * Synchronous: the results come through `receiveMessageOnPort`. The worker is used once: it ends
 * when this returns.
 */
export function readMetas(
  adapter: AgentAdapter,
  jobs: readonly ScanJob[],
  scan: ScanWorker | null,
): TranscriptMeta[] {
  const read = (job: ScanJob): TranscriptMeta => adapter.readMeta(job.path, job.options);
  if (scan === null || scan.adapter !== adapter || jobs.length < PARALLEL_SCAN_FROM) {
    scan?.cancel();
    return jobs.map(read);
  }
  const { control, port } = scan;
  port.postMessage(jobs);

  const metas: (TranscriptMeta | undefined)[] = new Array<TranscriptMeta | undefined>(jobs.length);
  let missing = jobs.length;
  for (;;) {
    const index = Atomics.add(control, NEXT_JOB, 1);
    const job = jobs[index];
    if (job === undefined) break;
    metas[index] = read(job);
    missing -= 1;
  }

  const { receiveMessageOnPort } = process.getBuiltinModule('node:worker_threads');
  while (missing > 0) {
    const posted = Atomics.load(control, POSTED);
    for (let received = receiveMessageOnPort(port); received !== undefined;) {
      const [index, meta] = received.message as ScanResult;
      const job = jobs[index];
      if (job !== undefined && metas[index] === undefined) {
        metas[index] = meta ?? read(job);
        missing -= 1;
      }
      received = receiveMessageOnPort(port);
    }
    if (missing === 0) break;
    if (Atomics.wait(control, POSTED, posted, STALL_LIMIT_MS) === 'timed-out') break;
  }
  port.close();
  if (missing > 0) void scan.worker.terminate().catch(() => undefined);
  return jobs.map((job, index) => metas[index] ?? read(job));
}
