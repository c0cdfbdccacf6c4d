import type {
  AgentName,
  FirstTimestamp,
  ReadTranscriptMetaOptions,
  TranscriptMeta,
} from '@sessions-db/git-transcript';
import type { MessagePort } from 'node:worker_threads';

/** One transcript to read: its path and the windows to read of it. */
export interface ScanJob {
  readonly path: string;
  readonly options: ReadTranscriptMetaOptions;
}

/**
 * What the scan worker is started with: the agent whose adapter reads the transcripts, and the
 * shared counters — `[0]` the next job to take (both threads take jobs with `Atomics.add`), `[1]`
 * how many results the worker has posted (it notifies on it after each post), `[2]` how many
 * jobs, in order, the main thread has taken results of (it notifies on it; no job at or past
 * that count plus {@link SCAN_AHEAD} is taken), `[3]` set to 1 when the main thread wants no
 * more (notified on `[2]`); for the first timestamps read before the order is known
 * ({@link KeyJobs}), `[4]` the next key job to take and `[5]` how many key results the worker has
 * posted (notified on after each); `[6]` set to 1 (and notified on) once the worker listens for
 * its jobs.
 */
export interface ScanWorkerData {
  readonly agent: AgentName;
  readonly control: SharedArrayBuffer;
  /**
   * Where the worker gets its jobs (at most one {@link KeyJobs} message first, then one message:
   * the {@link ScanJob}s, or `null`: nothing to read) and posts its results (one
   * {@link KeyResult} or {@link ScanResult} per message).
   */
  readonly port: MessagePort;
}

/**
 * One result of the worker: the job's index and what was read, or `null` when reading threw
 * (the main thread reads that job again itself, so the error is its own).
 */
export type ScanResult = readonly [index: number, meta: TranscriptMeta | null];

/**
 * The transcripts whose first timestamps the worker and the main thread read before the order is
 * known (`readFirstTimestamp(job.path, job.options)`), each taking the next from the shared
 * counter `[4]`.
 */
export interface KeyJobs {
  readonly keys: readonly ScanJob[];
}

/** One first timestamp the worker read: the key job's index and what it found. */
export type KeyResult = readonly [kind: 'key', index: number, key: FirstTimestamp];

/** Index in the shared counters of the next job to take. */
export const NEXT_JOB = 0;

/** Index in the shared counters of the number of results the worker has posted. */
export const POSTED = 1;

/** Index in the shared counters of how many jobs' results the main thread has taken, in order. */
export const CONSUMED = 2;

/** Index in the shared counters of the flag that ends the worker's reading. */
export const CLOSED = 3;

/** Index in the shared counters of the next key job ({@link KeyJobs}) to take. */
export const NEXT_KEY = 4;

/** Index in the shared counters of the number of key results the worker has posted. */
export const KEYS_POSTED = 5;

/**
 * Index in the shared counters of the flag the worker sets once it listens for its jobs (for
 * whoever waits for it to be ready: the tests).
 */
export const READY = 6;

/** Bytes of the shared counters. */
export const CONTROL_BYTES = 28;

/**
 * How far past the results the main thread has taken a job may be taken: the worker does not run
 * ahead holding more parsed transcripts than this while the main thread records. Twice the
 * import's batch (256 transcripts gathered, then recorded in one go): while a batch is recorded
 * the worker reads the next one (a window of 64 left the worker idle through most of each batch's
 * recording, and the main thread reading half the transcripts again).
 */
export const SCAN_AHEAD = 512;
