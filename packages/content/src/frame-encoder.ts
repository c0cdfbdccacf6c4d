import type { Worker } from 'node:worker_threads';
import { encodeFrame, frameOf } from './archive-format.js';

/**
 * Transcript bytes of one call below which its frames are made on the calling thread: starting
 * the worker costs more than deflating that much (~1 MiB: a few milliseconds).
 */
const WORKER_MIN_BYTES = 1024 * 1024;

/** Makes the archive's frames of many segments off the calling thread (see {@link startFrameEncoder}). */
export interface FrameEncoder {
  /**
   * The frames of each transcript's segments (`segments[i]` gives `result[i]`, in order), the
   * same bytes as {@link encodeFrame}'s.
   */
  encode(segments: readonly (readonly Buffer[])[]): Promise<Buffer[][]>;
  /** Stops the worker, when one was started. */
  close(): Promise<void>;
}

/** The worker's source: a loop over what it is sent, with {@link frameOf} from its own source text. */
function workerSource(): string {
  return `'use strict';
const { parentPort } = require('node:worker_threads');
const { deflateSync } = require('node:zlib');
const { createHash } = require('node:crypto');
const frameOf = (${frameOf.toString()});
parentPort.on('message', (batch) => {
  parentPort.postMessage(batch.map((segments) => segments.map((raw) =>
    frameOf(raw, deflateSync(raw), createHash('sha256').update(raw).digest()))));
});
`;
}

/** A buffer over the bytes of `view` (what a worker sends arrives as a plain Uint8Array). */
function asBuffer(view: Uint8Array): Buffer {
  return Buffer.from(view.buffer, view.byteOffset, view.byteLength);
}

/**
 * A frame encoder for a bulk import: the segments of a batch are deflated with `deflateSync` on
 * one worker thread (started on the first call with at least {@link WORKER_MIN_BYTES}), while the
 * caller's thread goes on (`updateContentInBulk` indexes the batch before). Measured on the bench's
 * transcripts, this takes ~0.4× the CPU time of zlib's asynchronous `deflate` on libuv's thread
 * pool (each call there a fresh zlib state on one of four threads), and it keeps to one core.
 * Calls are answered in order; a worker that fails rejects every call waiting and every later one.
 * Always `close()` it.
 */
export function startFrameEncoder(): FrameEncoder {
  let worker: Worker | undefined;
  let failure: Error | undefined;
  const waiting: {
    resolve: (frames: Buffer[][]) => void;
    reject: (error: Error) => void;
  }[] = [];
  const fail = (error: Error): void => {
    failure ??= error;
    for (const call of waiting.splice(0)) call.reject(error);
  };
  const started = (): Worker => {
    if (worker !== undefined) return worker;
    // Loaded here: commands that never import do not load worker_threads.
    const { Worker: WorkerThread } = process.getBuiltinModule('node:worker_threads');
    const created: Worker = new WorkerThread(workerSource(), { eval: true });
    created.on('message', (frames: Uint8Array[][]) => {
      waiting.shift()?.resolve(frames.map((framesOf) => framesOf.map(asBuffer)));
    });
    created.on('error', fail);
    created.on('exit', (code) => {
      fail(new Error(`the archive's deflate worker exited (code ${String(code)})`));
    });
    worker = created;
    return created;
  };
  return {
    encode(segments) {
      let bytes = 0;
      for (const ofFile of segments) for (const raw of ofFile) bytes += raw.length;
      if (bytes < WORKER_MIN_BYTES)
        return Promise.resolve(segments.map((ofFile) => ofFile.map(encodeFrame)));
      if (failure !== undefined) return Promise.reject(failure);
      const target = started();
      return new Promise((resolve, reject) => {
        waiting.push({ resolve, reject });
        target.postMessage(segments);
      });
    },
    async close() {
      if (worker !== undefined) await worker.terminate();
    },
  };
}
