import type {
  AgentName,
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
 * more (notified on `[2]`).
 */
export interface ScanWorkerData {
  readonly agent: AgentName;
  readonly control: SharedArrayBuffer;
  /**
   * Where the worker gets its jobs (one message: the {@link ScanJob}s, or `null`: nothing to read)
   * and posts its results (one {@link ScanResult} per message).
   */
  readonly port: MessagePort;
}

/**
 * One result of the worker: the job's index and what was read, or `null` when reading threw
 * (the main thread reads that job again itself, so the error is its own).
 */
export type ScanResult = readonly [index: number, meta: TranscriptMeta | null];

/** Index in the shared counters of the next job to take. */
export const NEXT_JOB = 0;

/** Index in the shared counters of the number of results the worker has posted. */
export const POSTED = 1;

/** Index in the shared counters of how many jobs' results the main thread has taken, in order. */
export const CONSUMED = 2;

/** Index in the shared counters of the flag that ends the worker's reading. */
export const CLOSED = 3;

/** Bytes of the shared counters. */
export const CONTROL_BYTES = 16;

/**
 * How far past the results the main thread has taken a job may be taken: the worker does not run
 * ahead holding more parsed transcripts than this while the main thread records. Twice the
 * import's batch (256 transcripts gathered, then recorded in one go): while a batch is recorded
 * the worker reads the next one (a window of 64 left the worker idle through most of each batch's
 * recording, and the main thread reading half the transcripts again).
 */
export const SCAN_AHEAD = 512;
