import type { MessagePort, Worker } from 'node:worker_threads';

import type { SqlSink, SqlValue } from './sql-sink.js';

/** Values (about) per message to the worker: a few hundred session rows, thousands of lookups. */
const BATCH_VALUES = 4096;

/** Messages sent that the worker has not run yet (bounds the memory between the threads). */
const MAX_OUTSTANDING = 2;

/** The worker's young generation, MB (Node's default is several times this). */
const YOUNG_GENERATION_MB = 4;

/** `control[1]`: the worker's connection holds the write lock. */
const BEGUN = 1;
/** `control[1]`: committed or rolled back, connection closed. */
const DONE = 2;
/** `control[1]`: a statement failed (rolled back, connection closed); the error is on the port. */
const FAILED = 3;

/** How long `begin` waits for the worker to take the lock, beyond the connection's busy timeout. */
const START_LIMIT_MS = 120_000;

/**
 * One message to the worker: commands packed into numbers and one text (a structured clone of
 * millions of small values cost the sending thread seconds; a `Float64Array` is transferred and one
 * string copied). `numbers` holds, per command, its kind (0 `exec`, 1 `run`, 2 end), the index of
 * its SQL in `sqls` (for an end: 1 commit, 0 roll back) and, for `run`, the count of values, then
 * per value a tag (0 null, 1 number, 2 string) and the number, or the string's length in `text`.
 */
interface Batch {
  readonly sqls: readonly string[];
  readonly numbers: Float64Array<ArrayBuffer>;
  readonly text: string;
}

/** Packs commands into a {@link Batch}. */
class BatchWriter {
  private sqls: string[] = [];
  private sqlIndex = new Map<string, number>();
  private numbers: number[] = [];
  private parts: string[] = [];

  /** Numbers and strings held (how full the batch is). */
  size = 0;

  exec(sql: string): void {
    this.numbers.push(0, this.indexOf(sql));
    this.size += 1;
  }

  run(sql: string, values: readonly SqlValue[]): void {
    const numbers = this.numbers;
    numbers.push(1, this.indexOf(sql), values.length);
    for (const value of values) {
      if (value === null) numbers.push(0);
      else if (typeof value === 'number') numbers.push(1, value);
      else {
        numbers.push(2, value.length);
        this.parts.push(value);
      }
    }
    this.size += values.length + 1;
  }

  end(commit: boolean): void {
    this.numbers.push(2, commit ? 1 : 0);
    this.size += 1;
  }

  /** The batch so far; starts a new one. */
  take(): Batch {
    const batch = {
      sqls: this.sqls,
      numbers: Float64Array.from(this.numbers),
      text: this.parts.join(''),
    };
    this.sqls = [];
    this.sqlIndex = new Map();
    this.numbers = [];
    this.parts = [];
    this.size = 0;
    return batch;
  }

  private indexOf(sql: string): number {
    let index = this.sqlIndex.get(sql);
    if (index === undefined) {
      index = this.sqls.length;
      this.sqls.push(sql);
      this.sqlIndex.set(sql, index);
    }
    return index;
  }
}

/** What the worker reports on its reply port when it fails. */
interface WorkerFailure {
  readonly message: string;
  readonly code: unknown;
}

/**
 * The worker's body (run from its source text: it refers to nothing outside its arguments). Opens
 * the database, runs the setup pragmas and `BEGIN IMMEDIATE`, then runs each message's commands in
 * order. `control[0]` counts the messages not yet run, `control[1]` is the state; a failure rolls
 * back, closes and posts `{ message, code }` on `reply` before the state says so.
 */
function sqlWorkerMain(
  port: {
    on(event: 'message', listener: (message: Batch) => void): void;
    close(): void;
  },
  data: {
    readonly path: string;
    readonly module: string;
    readonly options: object;
    readonly setup: readonly string[];
    readonly control: SharedArrayBuffer;
    readonly reply: { postMessage(value: unknown): void };
  },
  load: (id: string) => unknown,
): void {
  interface Connection {
    exec(sql: string): unknown;
    prepare(sql: string): { run(values: unknown[]): unknown };
    close(): unknown;
    readonly inTransaction: boolean;
  }
  const control = new Int32Array(data.control);
  const setState = (state: number): void => {
    Atomics.store(control, 1, state);
    Atomics.notify(control, 1);
  };
  let db: Connection | null = null;
  let over = false;
  const statements = new Map<string, { run(values: unknown[]): unknown }>();
  const fail = (error: unknown): void => {
    over = true;
    try {
      if (db?.inTransaction === true) db.exec('ROLLBACK');
    } catch {
      // closing rolls back too
    }
    try {
      db?.close();
    } catch {
      // nothing more to do
    }
    db = null;
    const { code } = (error ?? {}) as { code?: unknown };
    data.reply.postMessage({
      message: error instanceof Error ? error.message : String(error),
      code,
    });
    setState(3);
  };
  try {
    const Database = load(data.module) as new (path: string, options: object) => Connection;
    db = new Database(data.path, data.options);
    for (const sql of data.setup) db.exec(sql);
    db.exec('BEGIN IMMEDIATE');
    setState(1);
  } catch (error) {
    fail(error);
  }
  const run = (sql: string, values: unknown[]): void => {
    let statement = statements.get(sql);
    if (statement === undefined) {
      statement = (db as Connection).prepare(sql);
      statements.set(sql, statement);
    }
    statement.run(values);
  };
  port.on('message', ({ sqls, numbers, text }) => {
    let ended = false;
    let at = 0;
    let cursor = 0;
    while (at < numbers.length) {
      const kind = numbers[at++];
      const sql = numbers[at++] ?? 0;
      const values: unknown[] = [];
      if (kind === 1) {
        const count = numbers[at++] ?? 0;
        for (let i = 0; i < count; i += 1) {
          const tag = numbers[at++];
          if (tag === 0) values.push(null);
          else if (tag === 1) values.push(numbers[at++]);
          else {
            const length = numbers[at++] ?? 0;
            values.push(text.slice(cursor, cursor + length));
            cursor += length;
          }
        }
      }
      if (kind === 2) ended = true;
      if (over || db === null) continue;
      try {
        if (kind === 0) db.exec(sqls[sql] ?? '');
        else if (kind === 1) run(sqls[sql] ?? '', values);
        else {
          if (sql === 1) db.exec('COMMIT');
          else if (db.inTransaction) db.exec('ROLLBACK');
          db.close();
          db = null;
          over = true;
          setState(2);
        }
      } catch (error) {
        fail(error);
      }
    }
    Atomics.sub(control, 0, 1);
    Atomics.notify(control, 0);
    if (ended) port.close();
  });
}

/** The worker's source: its body, better-sqlite3 loaded from where the store resolves it. */
function workerSource(): string {
  return `'use strict';
const { parentPort, workerData } = require('node:worker_threads');
(${sqlWorkerMain.toString()})(parentPort, workerData, require);
`;
}

/** The worker's failure as an error of the rebuild, with SQLite's `code` (`SQLITE_BUSY`, …). */
function failureError(failure: WorkerFailure | undefined): Error {
  const error = new Error(failure?.message ?? 'the rebuild worker failed');
  return typeof failure?.code === 'string' ? Object.assign(error, { code: failure.code }) : error;
}

/**
 * A {@link SqlSink} whose statements a worker thread runs on its own connection to the index file
 * at `path` (opened with better-sqlite3 from `module` and `options`, then the `setup` SQL), so
 * SQLite's work runs on the other core while the caller parses and folds. Statements are sent in
 * batches and run in order; at most {@link MAX_OUTSTANDING} batches wait for the worker (the
 * caller blocks until it catches up). `begin`, `commit` and `rollback` wait for the worker
 * (`Atomics.wait`), so the caller stays synchronous; a statement that failed surfaces as an error
 * of a later call (`run`, `exec` or `commit`), with SQLite's code, after the worker rolled back.
 * The write lock is the worker connection's: the caller's own connection must not write meanwhile.
 */
export function startSqlWorker(options: {
  readonly path: string;
  readonly module: string;
  readonly options: object;
  readonly setup: readonly string[];
}): SqlSink {
  const threads = process.getBuiltinModule('node:worker_threads');
  const control = new Int32Array(new SharedArrayBuffer(8));
  const channel = new threads.MessageChannel();
  const reply: MessagePort = channel.port1;
  let worker: Worker | undefined;
  const pending = new BatchWriter();
  let finished = false;

  const failure = (): Error => {
    finished = true;
    const received = threads.receiveMessageOnPort(reply);
    return failureError(received?.message as WorkerFailure | undefined);
  };
  const stop = (): void => {
    finished = true;
    reply.close();
    void worker?.terminate().catch(() => undefined);
  };
  /** Wait until `control[1]` leaves `state`; returns the new state. */
  const waitWhile = (state: number, limitMs: number): number => {
    const since = performance.now();
    for (;;) {
      const now = Atomics.load(control, 1);
      if (now !== state) return now;
      if (performance.now() - since > limitMs)
        throw new Error('the rebuild worker stopped answering');
      Atomics.wait(control, 1, state, 1000);
    }
  };
  const post = (): void => {
    if (worker === undefined || finished) throw new Error('the rebuild worker is not running');
    for (;;) {
      if (Atomics.load(control, 1) === FAILED) throw failure();
      const outstanding = Atomics.load(control, 0);
      if (outstanding < MAX_OUTSTANDING) break;
      Atomics.wait(control, 0, outstanding, 1000);
    }
    Atomics.add(control, 0, 1);
    const batch = pending.take();
    worker.postMessage(batch, [batch.numbers.buffer]);
  };
  const posted = (): void => {
    if (pending.size >= BATCH_VALUES) post();
  };
  /** Send the end command and wait until the worker closed its connection. */
  const end = (how: 'commit' | 'rollback'): void => {
    pending.end(how === 'commit');
    post();
    let state = Atomics.load(control, 1);
    while (state === BEGUN) state = waitWhile(BEGUN, Number.POSITIVE_INFINITY);
    if (state !== DONE) throw failure();
  };

  return {
    begin() {
      const started: Worker = new threads.Worker(workerSource(), {
        eval: true,
        // Its allocations are each message's values, garbage once run: a small young generation.
        resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB },
        workerData: {
          path: options.path,
          module: options.module,
          options: options.options,
          setup: options.setup,
          control: control.buffer,
          reply: channel.port2,
        },
        transferList: [channel.port2],
      });
      worker = started;
      started.unref();
      // An error of the thread itself (not of a statement) ends the wait below as a failure.
      started.on('error', () => undefined);
      const state = waitWhile(0, START_LIMIT_MS);
      if (state !== BEGUN) {
        const error = failure();
        stop();
        throw error;
      }
    },
    exec(sql) {
      pending.exec(sql);
      posted();
    },
    run(sql, values) {
      pending.run(sql, values);
      posted();
    },
    commit() {
      try {
        end('commit');
      } finally {
        stop();
      }
    },
    rollback() {
      if (worker === undefined || finished) return;
      try {
        end('rollback');
      } catch {
        // rolled back by the failure
      } finally {
        stop();
      }
    },
  };
}
