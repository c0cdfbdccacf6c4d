import { mkdirSync, rmSync } from 'node:fs';

import { BENCH_DIR, runnerScript } from '../bench-paths.js';
import { runProcess } from '../process/run-process.js';
import type { ProcessOutcome } from '../process/run-process.js';
import { isolatedEnv, TSX_FLAGS } from '../process/targets.js';

/** What a floor runner printed (its JSON, `null` when it printed none), and how it ended. */
export interface FloorRun<T> {
  readonly outcome: ProcessOutcome;
  readonly report: T | null;
}

/**
 * Runs the floor runner `runners/<name>.ts` once in a fresh tsx process with `args` and
 * `scratch` (created first, removed after) and parses the JSON it prints.
 */
export async function runFloor<T>(
  name: string,
  args: readonly string[],
  scratch: string,
  timeoutMs: number,
): Promise<FloorRun<T>> {
  mkdirSync(scratch, { recursive: true, mode: 0o700 });
  const outcome = await runProcess({
    command: process.execPath,
    args: [...TSX_FLAGS, runnerScript(name), ...args, scratch],
    cwd: BENCH_DIR,
    env: isolatedEnv(),
    timeoutMs,
  });
  rmSync(scratch, { recursive: true, force: true });
  try {
    return { outcome, report: JSON.parse(outcome.stdout) as T };
  } catch {
    return { outcome, report: null };
  }
}
