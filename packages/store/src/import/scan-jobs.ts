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
 * how many results the worker has posted (it notifies on it after each post).
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
