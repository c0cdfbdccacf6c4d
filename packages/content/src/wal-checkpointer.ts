import { createRequire } from 'node:module';
import type { Worker } from 'node:worker_threads';

/** What one checkpoint of the worker saw: SQLite's `wal_checkpoint` row, or its failure. */
interface CheckpointReport {
  readonly seq: number;
  /** Frames in the WAL when it ran (committed so far; the WAL is reused once all are copied). */
  readonly log: number;
  /** Frames copied into the database file, of `log`. */
  readonly checkpointed: number;
  readonly error?: string;
}

/**
 * Checkpoints one SQLite database's WAL on a worker thread with a connection of its own, so the
 * copy into the database file and its `fsync`s are not waited for by the connection that writes
 * (whose automatic checkpoint runs inside `COMMIT`). See {@link startWalCheckpointer}.
 */
export interface WalCheckpointer {
  /** Asks for a `wal_checkpoint(PASSIVE)` of everything committed so far (queued behind any other). */
  request(): void;
  /**
   * Frames in the WAL at the last checkpoint that finished after the last {@link settled} (0 if
   * none has): how far the WAL had grown without being reused.
   */
  framesSinceSettled(): number;
  /**
   * Resolves once every checkpoint asked for so far has run: after a request made after a commit,
   * the whole WAL is in the database file, and the writer's next transaction starts the WAL over.
   */
  settled(): Promise<void>;
  /** False once the worker failed or exited: the caller checkpoints as it did without it. */
  working(): boolean;
  /** Runs what was asked, closes the worker's connection and ends the worker. */
  close(): Promise<void>;
}

/**
 * The worker's body (run from its source text: it refers to nothing outside its arguments). Each
 * message is a sequence number (checkpoint once, report) or null (close and end).
 */
function checkpointWorkerMain(
  port: {
    on(event: 'message', listener: (message: number | null) => void): void;
    postMessage(value: unknown): void;
    close(): void;
  },
  data: { readonly sqlite: string; readonly path: string },
  load: (path: string) => unknown,
): void {
  type Connection = {
    pragma(sql: string): unknown;
    close(): void;
  };
  const Database = load(data.sqlite) as new (path: string, options: object) => Connection;
  const db = new Database(data.path, { fileMustExist: true });
  // as the content index's own connection (openContentIndex): a checkpoint syncs the WAL, then
  // the database file
  db.pragma('synchronous = NORMAL');
  port.on('message', (seq) => {
    if (seq === null) {
      db.close();
      port.close();
      return;
    }
    try {
      const [row] = db.pragma('wal_checkpoint(PASSIVE)') as {
        log: number;
        checkpointed: number;
      }[];
      port.postMessage({ seq, log: row?.log ?? 0, checkpointed: row?.checkpointed ?? 0 });
    } catch (error) {
      port.postMessage({ seq, log: 0, checkpointed: 0, error: String(error) });
    }
  });
}

/** The worker's source: its body, given `require` (better-sqlite3's JavaScript and addon only). */
function workerSource(): string {
  return `'use strict';
const { parentPort, workerData } = require('node:worker_threads');
(${checkpointWorkerMain.toString()})(parentPort, workerData, require);
`;
}

/**
 * Starts a worker thread that checkpoints the WAL of the database at `dbPath` (in WAL mode) when
 * asked: it loads only better-sqlite3 (the installed package beside this module; the CLI's
 * bundles carry their own copy of its JavaScript, which a worker cannot share) and opens its own
 * connection. Null when it cannot be started (better-sqlite3 not found): the caller checkpoints
 * as before. A crash at any point leaves a valid database: SQLite's checkpoint copies pages the
 * WAL still holds and the next open recovers.
 */
export function startWalCheckpointer(dbPath: string): WalCheckpointer | null {
  let sqlite: string;
  try {
    sqlite = createRequire(import.meta.url).resolve('better-sqlite3');
  } catch {
    return null;
  }
  // Loaded here: the hook, which never indexes in bulk, does not load worker_threads.
  const { Worker: WorkerThread } = process.getBuiltinModule('node:worker_threads');
  let worker: Worker;
  try {
    worker = new WorkerThread(workerSource(), {
      eval: true,
      workerData: { sqlite, path: dbPath },
    });
  } catch {
    return null;
  }
  let requested = 0;
  let done = 0;
  let frames = 0;
  let alive = true;
  let waiters: (() => void)[] = [];
  const wake = (): void => {
    const ready = waiters;
    waiters = [];
    for (const resolve of ready) resolve();
  };
  const stop = (): void => {
    alive = false;
    wake();
  };
  worker.on('message', (report: CheckpointReport) => {
    done = report.seq;
    if (report.error !== undefined) stop();
    else frames = Math.max(frames, report.log);
    if (done === requested) wake();
  });
  worker.on('error', stop);
  worker.on('exit', stop);
  return {
    request() {
      if (!alive) return;
      requested += 1;
      worker.postMessage(requested);
    },
    framesSinceSettled: () => frames,
    async settled() {
      if (alive && done < requested)
        await new Promise<void>((resolve) => {
          waiters.push(resolve);
        });
      frames = 0;
    },
    working: () => alive,
    async close() {
      if (!alive) return;
      const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
      worker.postMessage(null);
      await exited;
    },
  };
}
