// Running the BUILT `sessions-db` (dist/bin.cjs) from end-to-end tests.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { expect } from 'vitest';

/** The built binary the end-to-end tests spawn (the test task runs after the build). */
export const BUILT_CLI = join(import.meta.dirname, '..', '..', 'dist', 'bin.cjs');

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
  json: <T>(...args: string[]) => T;
} {
  const cli = (...args: string[]): CliRun => {
    const result = spawnSync(process.execPath, [BUILT_CLI, ...args], {
      cwd: cwd(),
      env: env(),
      encoding: 'utf8',
    });
    return { status: result.status, stdout: result.stdout, stderr: result.stderr };
  };
  const json = <T>(...args: string[]): T => {
    const result = cli(...args, '--json');
    expect(result.status, result.stderr).toBe(0);
    return JSON.parse(result.stdout) as T;
  };
  return { cli, json };
}
