/**
 * The scan worker's entry (run as a worker thread by {@link readMetas}): it takes first timestamps
 * to read ({@link readKeys}), then transcripts to read, from the shared counters until none is
 * left and posts what it read of each. It loads only the transcript readers of
 * `@sessions-db/git-transcript`, not the store.
 */
import { isMainThread, workerData } from 'node:worker_threads';
import { agentAdapter, readFirstTimestamp } from '@sessions-db/git-transcript';
import type { TranscriptMeta } from '@sessions-db/git-transcript';
import {
  CLOSED,
  CONSUMED,
  KEYS_POSTED,
  NEXT_JOB,
  NEXT_KEY,
  POSTED,
  READY,
  SCAN_AHEAD,
} from './scan-jobs.js';
import type { KeyJobs, KeyResult, ScanJob, ScanResult, ScanWorkerData } from './scan-jobs.js';

/**
 * Wait until the next job is within {@link SCAN_AHEAD} of what the main thread has taken; false
 * when the main thread wants no more.
 */
function mayTakeNext(control: Int32Array): boolean {
  for (;;) {
    if (Atomics.load(control, CLOSED) !== 0) return false;
    const consumed = Atomics.load(control, CONSUMED);
    if (Atomics.load(control, NEXT_JOB) < consumed + SCAN_AHEAD) return true;
    Atomics.wait(control, CONSUMED, consumed, 1000);
  }
}

/** Take and read jobs until none is left (or the main thread wants no more), posting each result. */
function readJobs(data: ScanWorkerData, jobs: readonly ScanJob[]): void {
  const control = new Int32Array(data.control);
  const adapter = agentAdapter(data.agent);
  while (mayTakeNext(control)) {
    const index = Atomics.add(control, NEXT_JOB, 1);
    const job = jobs[index];
    if (job === undefined) break;
    let meta: TranscriptMeta | null;
    try {
      meta = adapter.readMeta(job.path, job.options);
    } catch {
      meta = null;
    }
    const result: ScanResult = [index, meta];
    data.port.postMessage(result);
    Atomics.add(control, POSTED, 1);
    Atomics.notify(control, POSTED);
  }
}

/** Take and read first timestamps until none is left (or the main thread wants no more). */
function readKeys(data: ScanWorkerData, jobs: readonly ScanJob[]): void {
  const control = new Int32Array(data.control);
  while (Atomics.load(control, CLOSED) === 0) {
    const index = Atomics.add(control, NEXT_KEY, 1);
    const job = jobs[index];
    if (job === undefined) break;
    // Never throws.
    const result: KeyResult = ['key', index, readFirstTimestamp(job.path, job.options)];
    data.port.postMessage(result);
    Atomics.add(control, KEYS_POSTED, 1);
    Atomics.notify(control, KEYS_POSTED);
  }
}

/** Whether a message is the first timestamps to read (else the jobs, or `null`). */
function isKeyJobs(message: KeyJobs | readonly ScanJob[] | null): message is KeyJobs {
  // Not `'keys' in message`: an array has a `keys` method.
  return message !== null && !Array.isArray(message);
}

/**
 * Wait for the jobs (started before they are known): first timestamps first when they come, then
 * the transcripts; read them with the main thread, and end.
 */
export function runScanWorker(data: ScanWorkerData): void {
  const onMessage = (message: KeyJobs | readonly ScanJob[] | null): void => {
    if (isKeyJobs(message)) {
      readKeys(data, message.keys);
      return;
    }
    data.port.off('message', onMessage);
    if (message !== null) readJobs(data, message);
    data.port.close();
  };
  data.port.on('message', onMessage);
  const control = new Int32Array(data.control);
  Atomics.store(control, READY, 1);
  Atomics.notify(control, READY);
}

/** Whether this thread was started as a scan worker (a test runner's threads are not). */
function isScanWorkerData(data: unknown): data is ScanWorkerData {
  return (
    typeof data === 'object' &&
    data !== null &&
    'control' in data &&
    data.control instanceof SharedArrayBuffer &&
    'port' in data
  );
}

if (!isMainThread && isScanWorkerData(workerData)) runScanWorker(workerData);
