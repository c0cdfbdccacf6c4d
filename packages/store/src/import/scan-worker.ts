/**
 * The scan worker's entry (run as a worker thread by {@link readMetas}): it takes transcripts to
 * read from the shared counter until none is left and posts what it read of each. It loads only
 * the transcript readers of `@sessions-db/git-transcript`, not the store.
 */
import { isMainThread, workerData } from 'node:worker_threads';
import { agentAdapter } from '@sessions-db/git-transcript';
import type { TranscriptMeta } from '@sessions-db/git-transcript';
import { CLOSED, CONSUMED, NEXT_JOB, POSTED, SCAN_AHEAD } from './scan-jobs.js';
import type { ScanJob, ScanResult, ScanWorkerData } from './scan-jobs.js';

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

/** Wait for the jobs (started before they are known), read them with the main thread, and end. */
export function runScanWorker(data: ScanWorkerData): void {
  data.port.once('message', (jobs: readonly ScanJob[] | null) => {
    if (jobs !== null) readJobs(data, jobs);
    data.port.close();
  });
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
