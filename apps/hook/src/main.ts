// sessions-db-hook: the process Claude Code runs on SessionStart and SessionEnd (dist/hook.cjs,
// started by dist/bin.cjs).
// Contract: exit 0 on every path, nothing on stdout or stderr, done by one deadline.
// This entry stays tiny: it imports only small modules, and loads the store only when it must.

import type { HookOutcome } from './diagnostics-log.js';
import {
  appendDiagnostics,
  createRunReport,
  describeError,
  toDiagnosticsEntry,
} from './diagnostics-log.js';
import { parseHookArgs } from './hook-args.js';
import { parseHookEnv } from './hook-env.js';

/** The process cwd, or the file system root when it is gone (deleted directory). */
function currentDir(): string {
  try {
    return process.cwd();
  } catch {
    return '/';
  }
}

const report = createRunReport();
let logPath: string | null = null;
let finished = false;

/** Write the run's diagnostics line (when asked for) and exit 0. Runs once. */
function finish(outcome: HookOutcome | null, error?: unknown): never {
  if (!finished) {
    finished = true;
    if (outcome !== null && (report.outcome === null || outcome === 'timeout')) {
      report.outcome = outcome;
    }
    if (error !== undefined) report.error = describeError(error);
    report.timings['total'] = Math.round(performance.now() * 10) / 10;
    if (logPath !== null)
      appendDiagnostics(logPath, toDiagnosticsEntry(report, new Date(), process.pid));
  }
  process.exit(0);
}

process.on('uncaughtException', (error) => finish('error', error));
process.on('unhandledRejection', (error) => finish('error', error));
process.on('SIGTERM', () => {
  report.detail = 'terminated by SIGTERM';
  finish('timeout');
});

// Silence: SessionStart stdout goes into the model's context, and stderr is shown to the user.
const swallow = (...args: unknown[]): boolean => {
  const callback = args.find((arg) => typeof arg === 'function') as (() => void) | undefined;
  if (callback !== undefined) queueMicrotask(callback);
  return true;
};
/**
 * Make `process[name]` a stream whose `write` swallows everything, created only if something
 * asks for it: the hook itself never writes, and creating the stream of a pipe loads Node's `net`
 * and `stream` (milliseconds of every run). Where the property cannot be redefined, the stream is
 * created now and silenced the same way.
 */
function silence(name: 'stdout' | 'stderr'): void {
  const descriptor = Object.getOwnPropertyDescriptor(process, name);
  const create = descriptor?.get;
  const silenced = (stream: NodeJS.WriteStream): NodeJS.WriteStream => {
    stream.write = swallow as typeof stream.write;
    return stream;
  };
  if (descriptor?.configurable !== true || create === undefined) {
    silenced(process[name]);
    return;
  }
  let stream: NodeJS.WriteStream | undefined;
  Object.defineProperty(process, name, {
    configurable: true,
    enumerable: descriptor.enumerable ?? true,
    get: () => (stream ??= silenced(create.call(process) as NodeJS.WriteStream)),
  });
}
silence('stdout');
silence('stderr');
process.removeAllListeners('warning');
process.on('warning', () => undefined);

async function main(): Promise<void> {
  try {
    const settings = parseHookEnv(process.env);
    logPath = settings.logPath;
    if (settings.disabled) {
      report.detail = 'SESSIONS_DB_DISABLED is set';
      finish('disabled');
    }
    // One monotonic clock for every deadline: performance.now() counts from process start and
    // never jumps with the wall clock (Date only stamps events). The global `performance` is
    // node:perf_hooks' object; importing that module would load four more built-ins.
    let timer: NodeJS.Timeout | undefined;
    const armDeadline = (at: number): void => {
      if (timer !== undefined) clearTimeout(timer);
      timer = setTimeout(
        () => {
          report.detail ??= 'deadline reached';
          finish('timeout');
        },
        Math.max(0, at - performance.now()),
      );
      timer.unref();
    };
    armDeadline(settings.deadlines.stdin);

    const loadStart = performance.now();
    const { runHook } = await import('./run-hook.js');
    report.timings['load'] = Math.round((performance.now() - loadStart) * 10) / 10;
    await runHook({
      env: process.env,
      settings,
      // fd 0 is read directly; process.stdin (a stream) only for a terminal or another device.
      stdin: { fd: 0, stream: () => process.stdin },
      deadlines: settings.deadlines,
      armDeadline,
      ...parseHookArgs(process.argv.slice(2)),
      parentPid: process.ppid,
      processCwd: currentDir(),
      report,
    });
    finish(null);
  } catch (error) {
    finish('error', error);
  }
}

// No top-level await: the binary is bundled as CommonJS, which starts faster than an ES module.
void main();
