// Running the BUILT `sessions-db` (dist/bin.cjs) from end-to-end tests.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { expect } from 'vitest';

/** The built binary the end-to-end tests spawn (the test task runs after the build). */
export const BUILT_CLI = join(import.meta.dirname, '..', '..', 'dist', 'bin.cjs');

/** The built hook (`sessions-db-hook`) of apps/hook. */
export const BUILT_HOOK = join(import.meta.dirname, '..', '..', '..', 'hook', 'dist', 'bin.cjs');

/** What one run printed and how it exited. */
export interface CliRun {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** A runner of the built CLI in `cwd` with exactly the environment `env` (nothing inherited). */
export function builtCli(
  cwd: () => string,
  env: () => Record<string, string>,
): {
  cli: (...args: string[]) => CliRun;
  cliIn: (dir: string, ...args: string[]) => CliRun;
  json: <T>(...args: string[]) => T;
} {
  const cliIn = (dir: string, ...args: string[]): CliRun => {
    const result = spawnSync(process.execPath, [BUILT_CLI, ...args], {
      cwd: dir,
      env: env(),
      encoding: 'utf8',
    });
    return { status: result.status, stdout: result.stdout, stderr: result.stderr };
  };
  const cli = (...args: string[]): CliRun => cliIn(cwd(), ...args);
  const json = <T>(...args: string[]): T => {
    const result = cli(...args, '--json');
    expect(result.status, result.stderr).toBe(0);
    return JSON.parse(result.stdout) as T;
  };
  return { cli, cliIn, json };
}

/**
 * Runs the built hook with a SessionStart `startup` payload for `sessionId` in `cwd` (its
 * transcript path under `<claudeDir>/projects/x/`), with exactly the environment `env`, and
 * expects it to exit 0 (as a hook always does).
 */
export function hookStartup(
  sessionId: string,
  options: { cwd: string; claudeDir: string; env: Record<string, string> },
): void {
  const payload = {
    session_id: sessionId,
    transcript_path: join(options.claudeDir, 'projects', 'x', `${sessionId}.jsonl`),
    cwd: options.cwd,
    hook_event_name: 'SessionStart',
    source: 'startup',
  };
  const result = spawnSync(process.execPath, [BUILT_HOOK], {
    cwd: options.cwd,
    env: options.env,
    input: JSON.stringify(payload),
    encoding: 'utf8',
  });
  expect(result.status, result.stderr).toBe(0);
}
