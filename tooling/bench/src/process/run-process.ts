/**
 * Spawn one child process, feed it stdin, time it from spawn to exit and collect its output.
 * Every live child is tracked so the harness can kill them all (its own children only) when it
 * is interrupted; a child that outlives its timeout is killed with SIGKILL.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { performance } from 'node:perf_hooks';

/** What to run. */
export interface RunProcessOptions {
  readonly command: string;
  readonly args: readonly string[];
  readonly env?: NodeJS.ProcessEnv;
  readonly cwd?: string;
  /** Written to stdin, which is then closed (stdin is closed at once when absent). */
  readonly input?: string;
  /** Kill the child after this many ms (default 60 000). */
  readonly timeoutMs?: number;
}

/** How the child ended. */
export interface ProcessOutcome {
  /** Wall time from spawn to exit, in ms. */
  readonly ms: number;
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly timedOut: boolean;
}

const MAX_CAPTURE_BYTES = 32 * 1024 * 1024;
const live = new Set<ChildProcess>();

function capture(stream: NodeJS.ReadableStream | null, into: Buffer[]): void {
  let size = 0;
  stream?.on('data', (chunk: Buffer) => {
    size += chunk.length;
    if (size <= MAX_CAPTURE_BYTES) into.push(chunk);
  });
}

/**
 * Run a child to completion. Never rejects on a non-zero exit (the outcome says how it ended).
 *
 * @throws Error when the command cannot be spawned at all (e.g. ENOENT).
 */
export function runProcess(options: RunProcessOptions): Promise<ProcessOutcome> {
  return new Promise((resolve, reject) => {
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    const started = performance.now();
    const child = spawn(options.command, [...options.args], {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    live.add(child);
    let exitedAt: number | null = null;
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, options.timeoutMs ?? 60_000);
    capture(child.stdout, stdout);
    capture(child.stderr, stderr);
    child.stdin?.on('error', () => undefined); // a child that exits before reading its stdin
    child.stdin?.end(options.input ?? '');
    child.on('exit', () => {
      exitedAt = performance.now();
    });
    child.on('error', (error) => {
      clearTimeout(timer);
      live.delete(child);
      reject(error);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      live.delete(child);
      resolve({
        ms: (exitedAt ?? performance.now()) - started,
        code,
        signal,
        stdout: Buffer.concat(stdout).toString('utf8'),
        stderr: Buffer.concat(stderr).toString('utf8'),
        timedOut,
      });
    });
  });
}

/** SIGKILL every child this module started that is still running. */
export function killLiveChildren(): void {
  for (const child of live) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
}
