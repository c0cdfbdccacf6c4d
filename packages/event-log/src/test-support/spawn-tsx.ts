/** Test helpers: run a TypeScript script of this folder in a child process (through tsx). */
import { spawn } from 'node:child_process';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** Spawn `node --import tsx <test-support/script> ...args` with the workspace source condition. */
export function spawnTsx(script: string, args: readonly string[]): ChildProcessWithoutNullStreams {
  const file = fileURLToPath(new URL(`./${script}`, import.meta.url));
  return spawn(
    process.execPath,
    ['--conditions=@sessions-db/source', '--import', 'tsx', file, ...args],
    { stdio: 'pipe' },
  );
}

/** Resolve with the first stdout line of `child` that `match` accepts. */
export function waitForLine(
  child: ChildProcessWithoutNullStreams,
  match: (line: string) => boolean,
): Promise<string> {
  return new Promise((resolve, reject) => {
    let buffered = '';
    let stderr = '';
    const onData = (chunk: Buffer): void => {
      buffered += chunk.toString('utf8');
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      const hit = lines.find(match);
      if (hit !== undefined) {
        child.stdout.off('data', onData);
        child.off('exit', onExit);
        resolve(hit);
      }
    };
    const onExit = (code: number | null, signal: string | null): void => {
      reject(new Error(`child exited (code ${code}, signal ${signal}) before the line: ${stderr}`));
    };
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
    });
    child.stdout.on('data', onData);
    child.on('exit', onExit);
  });
}

/** Resolve when `child` exits, with its exit code and signal. */
export function waitForExit(
  child: ChildProcessWithoutNullStreams,
): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  if (child.exitCode !== null || child.signalCode !== null) {
    return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  }
  return new Promise((resolve) => {
    child.on('exit', (code, signal) => resolve({ code, signal }));
  });
}
