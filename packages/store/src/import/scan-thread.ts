/**
 * Starting the scan worker's thread, alone: no transcript reader and no store is loaded here, so
 * the CLI's executable can start the thread for `import` before it loads the command's bundle
 * (`@sessions-db/store/scan-thread`), and the import takes it over ({@link takeStartedScanThread}).
 */
import type { MessagePort, Worker } from 'node:worker_threads';
import type { AgentName } from '@sessions-db/git-transcript';
import { CONTROL_BYTES } from './scan-jobs.js';
import type { ScanWorkerData } from './scan-jobs.js';

/** A scan worker's thread, started and waiting for its jobs. */
export interface ScanThread {
  /** The agent whose adapter the thread reads through. */
  readonly agent: AgentName;
  readonly worker: Worker;
  /** The main thread's end of the thread's channel (jobs out, results in). */
  readonly port: MessagePort;
  readonly control: Int32Array;
}

/**
 * Start the scan worker `script` as a thread reading through `agent`'s adapter; it loads its code
 * while the caller goes on, and waits for its jobs. `null` when it cannot be started.
 */
export function startScanThread(agent: AgentName, script: URL | string): ScanThread | null {
  // Loaded here: the hook, which never imports, does not load worker_threads.
  const { MessageChannel, Worker: WorkerThread } = process.getBuiltinModule('node:worker_threads');
  const channel = new MessageChannel();
  const control = new Int32Array(new SharedArrayBuffer(CONTROL_BYTES));
  try {
    const data: ScanWorkerData = {
      agent,
      control: control.buffer as SharedArrayBuffer,
      port: channel.port2,
    };
    const worker = new WorkerThread(script, {
      workerData: data,
      transferList: [channel.port2],
      // The worker writes nothing: by default its output would be piped into this thread's
      // process.stdout and stderr, made for it (for a pipe Node loads `net`: ~5 ms before the
      // command's bundle loads).
      stdout: true,
      stderr: true,
      // Nor does it run the preloads given on node's command line: a preload module (such as a
      // benchmark's probe) would set up the ES module loader on its thread first (it listened
      // after ~40-48 ms with one against ~28 ms, medians of 11). A NODE_OPTIONS preload still
      // runs there (Node applies it to every thread).
      execArgv: withoutPreloads(process.execArgv),
    });
    // A worker that fails only leaves its jobs to the main thread (see read-metas).
    worker.on('error', () => undefined);
    // Never holds the process open: one started for nothing (no import after all) just ends with it.
    worker.unref();
    return { agent, worker, port: channel.port1, control };
  } catch {
    channel.port1.close();
    return null;
  }
}

/** Node options that load code into every thread before its script (each takes a value). */
const PRELOAD_OPTIONS = new Set([
  '--require',
  '-r',
  '--import',
  '--loader',
  '--experimental-loader',
]);

/** `execArgv` without its preload options and their values (`--import x`, `--import=x`). */
function withoutPreloads(execArgv: readonly string[]): string[] {
  const kept: string[] = [];
  for (let index = 0; index < execArgv.length; index += 1) {
    const option = execArgv[index] ?? '';
    const equals = option.indexOf('=');
    if (!PRELOAD_OPTIONS.has(equals === -1 ? option : option.slice(0, equals))) {
      kept.push(option);
    } else if (equals === -1) {
      index += 1; // its value
    }
  }
  return kept;
}

/** Where a thread started ahead waits for the import to take it (one per process). */
const STARTED = Symbol.for('sessions-db.started-scan-thread');

/** The process's global object, holding a thread started ahead under {@link STARTED}. */
type HoldingGlobal = typeof globalThis & { [STARTED]?: ScanThread | null };

/**
 * Start the scan worker's thread ahead of the import that will use it (the CLI's executable, for
 * `sessions-db import`, before it loads the command), for {@link takeStartedScanThread}. Nothing
 * when `script` does not exist. A thread nobody takes ends with the process.
 */
export function startScanThreadAhead(agent: AgentName, script: string): void {
  const { existsSync } = process.getBuiltinModule('node:fs');
  if (!existsSync(script)) return;
  (globalThis as HoldingGlobal)[STARTED] = startScanThread(agent, script);
}

/**
 * The thread {@link startScanThreadAhead} started for `agent` (handed out once), else `null`.
 */
export function takeStartedScanThread(agent: AgentName): ScanThread | null {
  const holder = globalThis as HoldingGlobal;
  const started = holder[STARTED];
  if (started === undefined || started === null || started.agent !== agent) return null;
  holder[STARTED] = null;
  return started;
}
