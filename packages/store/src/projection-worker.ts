import type { Worker } from 'node:worker_threads';
import { escapeJsonControls } from '@sessions-db/event-log';
import type { ProjectionMeta } from '@sessions-db/projection';

import { projectionHeader } from './export-json.js';
import { createProjectionText } from './projection-text.js';

/** Sessions per message to the worker. */
const BATCH_SESSIONS = 256;

/** Batches the rebuild may have sent that the worker has not written yet (bounds the memory). */
const MAX_OUTSTANDING = 8;

/** How long the rebuild waits for the worker to take a batch before it gives up (ms). */
const STALL_LIMIT_MS = 120_000;

/** Where the rebuild sends each folded session for `sessions-db.json`. */
export interface ProjectionSink {
  /** Once, after the first pass: the final `_meta` of the document. */
  begin(meta: ProjectionMeta): void;
  /** The next session in creation order, its record as `JSON.stringify(record)`. */
  session(stableId: string, recordJson: string): void;
  /** After the last session. */
  end(): void;
}

/** A {@link ProjectionSink} whose text a worker thread writes; see {@link startProjectionWorker}. */
export interface ProjectionWorker extends ProjectionSink {
  /** Resolves with the number of sessions written once the worker wrote the whole document. */
  finished(): Promise<number>;
  /** Stop the worker (if it still runs) and wait until it can no longer write. */
  close(): Promise<void>;
}

/**
 * The worker's body (run from its source text: it refers to nothing outside its arguments). Each
 * message is a batch `[id, recordJson, id, recordJson, …]`, or null for the end; every message
 * taken lowers the shared count of outstanding batches and wakes the rebuild.
 */
function projectionWorkerMain(
  port: {
    on(event: 'message', listener: (message: string[] | null) => void): void;
    postMessage(value: unknown): void;
    close(): void;
  },
  data: { readonly fd: number; readonly header: string; readonly control: SharedArrayBuffer },
  writeFileSync: (fd: number, text: string) => void,
  escape: (json: string) => string,
  createText: typeof createProjectionText,
): void {
  const control = new Int32Array(data.control);
  const text = createText(escape, data.header);
  let failure: { message: string; code: unknown; syscall: unknown } | null = null;
  port.on('message', (message) => {
    if (failure === null) {
      try {
        if (message === null) text.end();
        else
          for (let i = 0; i + 1 < message.length; i += 2)
            text.addSession(message[i] ?? '', JSON.parse(message[i + 1] ?? 'null') as unknown);
        const chunk = text.take();
        if (chunk !== undefined) writeFileSync(data.fd, chunk);
      } catch (error) {
        const { code, syscall } = (error ?? {}) as { code?: unknown; syscall?: unknown };
        const message = error instanceof Error ? error.message : String(error);
        failure = { message, code, syscall };
      }
    }
    Atomics.sub(control, 0, 1);
    Atomics.notify(control, 0);
    if (message === null) {
      port.postMessage(
        failure === null ? { ok: true, count: text.count() } : { ok: false, ...failure },
      );
      port.close();
    }
  });
}

/** What the worker reports when it has written the end, or failed. */
type WorkerOutcome =
  | { readonly ok: true; readonly count: number }
  | {
      readonly ok: false;
      readonly message: string;
      readonly code: unknown;
      readonly syscall: unknown;
    };

/**
 * The worker's failure as an error of the rebuild: a file-system error keeps its `code` and
 * `syscall` (ENOSPC, EIO, …), so the atomic write reports it as such.
 */
function workerFailure(outcome: Extract<WorkerOutcome, { ok: false }>): Error {
  const error = new Error(`writing sessions-db.json failed: ${outcome.message}`);
  return typeof outcome.code === 'string'
    ? Object.assign(error, { code: outcome.code, syscall: outcome.syscall })
    : error;
}

/** The worker's source: its body with the two functions it runs, from their own source text. */
function workerSource(): string {
  return `'use strict';
const { parentPort, workerData } = require('node:worker_threads');
const { writeFileSync } = require('node:fs');
(${projectionWorkerMain.toString()})(parentPort, workerData, writeFileSync, (${escapeJsonControls.toString()}), (${createProjectionText.toString()}));
`;
}

/**
 * Write `sessions-db.json` to the open file `fd` from a worker thread while the rebuild goes on
 * (the text is the export's, `createProjectionText`, `_meta.updated` set to `updated`): the rebuild
 * hands over each record's JSON, which it has for the index anyway, and the worker parses,
 * pretty-prints, escapes and writes it on the other core. At most {@link MAX_OUTSTANDING} batches
 * wait for the worker (the rebuild blocks until it catches up). Await `finished()` before the file
 * is synced and renamed, and always `close()`.
 */
export function startProjectionWorker(fd: number, updated: string): ProjectionWorker {
  const control = new Int32Array(new SharedArrayBuffer(4));
  let worker: Worker | undefined;
  let result: Promise<number> | undefined;
  let batch: string[] = [];

  const send = (message: string[] | null): void => {
    if (worker === undefined) throw new Error('the projection writer was not started');
    let waitedSince = performance.now();
    for (;;) {
      const outstanding = Atomics.load(control, 0);
      if (outstanding < MAX_OUTSTANDING) break;
      if (Atomics.wait(control, 0, outstanding, 1000) !== 'timed-out')
        waitedSince = performance.now();
      else if (performance.now() - waitedSince > STALL_LIMIT_MS)
        throw new Error('the worker writing sessions-db.json stopped taking sessions');
    }
    Atomics.add(control, 0, 1);
    worker.postMessage(message);
  };

  return {
    begin(meta) {
      // Loaded here: the hook, which never writes this file, does not load worker_threads.
      const { Worker: WorkerThread } = process.getBuiltinModule('node:worker_threads');
      const started: Worker = new WorkerThread(workerSource(), {
        eval: true,
        workerData: { fd, header: projectionHeader(meta, updated), control: control.buffer },
      });
      worker = started;
      result = new Promise<number>((resolve, reject) => {
        started.once('message', (message: WorkerOutcome) => {
          if (message.ok) resolve(message.count);
          else reject(workerFailure(message));
        });
        started.once('error', reject);
        started.once('exit', (code) =>
          reject(new Error(`the worker writing sessions-db.json exited (code ${code})`)),
        );
      });
      // Awaited through finished(); a rebuild that fails first never asks.
      result.catch(() => undefined);
    },
    session(stableId, recordJson) {
      batch.push(stableId, recordJson);
      if (batch.length === 2 * BATCH_SESSIONS) {
        send(batch);
        batch = [];
      }
    },
    end() {
      if (batch.length > 0) send(batch);
      batch = [];
      send(null);
    },
    finished() {
      return result ?? Promise.reject(new Error('the projection writer was not started'));
    },
    async close() {
      if (worker !== undefined) await worker.terminate();
    },
  };
}
