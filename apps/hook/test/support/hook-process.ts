// Spawning the BUILT hook binary the way Claude Code does: a JSON payload on stdin, nothing
// expected back. Every helper here resolves paths relative to this file.
import { spawn } from 'node:child_process';
import type { ChildProcess, IOType } from 'node:child_process';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';

/** The built binary under test (`pnpm build` makes it; the test task runs after build). */
export const HOOK_BIN = fileURLToPath(new URL('../../dist/bin.cjs', import.meta.url));

/** A helper process that runs the hook as its own child (for "same Claude process" tests). */
export const RELAY_SCRIPT = fileURLToPath(new URL('./relay.mjs', import.meta.url));

/** Fail with a clear message when the binary has not been built. */
export function assertBuilt(): void {
  if (!existsSync(HOOK_BIN)) {
    throw new Error(
      `${HOOK_BIN} is missing: build the hook first (pnpm --filter @sessions-db/hook build)`,
    );
  }
}

/** What one hook process did. */
export interface HookExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Options of {@link runHookProcess}. */
export interface RunHookProcessOptions {
  /** The environment of the hook (the caller builds it completely; nothing is inherited). */
  readonly env: Readonly<Record<string, string>>;
  /** Working directory of the process (default: the system temp directory). */
  readonly cwd?: string;
  /** Run through `sh -c '<node> <bin>; true'`, so the hook's parent is a shell. */
  readonly viaShell?: boolean;
  /** Run through the relay process, which registers itself as a running Claude session. */
  readonly viaRelay?: { readonly registryDir: string };
  /** Arguments after the hook binary (as an installed command line carries them). */
  readonly args?: readonly string[];
  /** Called with the child right after it started (e.g. to kill it). */
  readonly onSpawn?: (child: ChildProcess) => void;
}

function commandFor(options: RunHookProcessOptions): { command: string; args: string[] } {
  if (options.viaShell === true) {
    const quote = (text: string): string => `'${text.replace(/'/g, `'\\''`)}'`;
    return { command: 'sh', args: ['-c', `${quote(process.execPath)} ${quote(HOOK_BIN)}; true`] };
  }
  if (options.viaRelay !== undefined) {
    return {
      command: process.execPath,
      args: [RELAY_SCRIPT, options.viaRelay.registryDir, HOOK_BIN],
    };
  }
  return { command: process.execPath, args: [HOOK_BIN, ...(options.args ?? [])] };
}

/**
 * Run the hook with `input` on stdin (`null`: stdin is `/dev/null`; a number: that file
 * descriptor) and collect its exit and output.
 */
export function runHookProcess(
  input: string | Buffer | number | null,
  options: RunHookProcessOptions,
): Promise<HookExit> {
  const { command, args } = commandFor(options);
  const stdin: IOType | number =
    input === null ? 'ignore' : typeof input === 'number' ? input : 'pipe';
  return new Promise((resolve, reject) => {
    const child: ChildProcess = spawn(command, args, {
      env: { ...options.env },
      cwd: options.cwd ?? tmpdir(),
      stdio: [stdin, 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code: number | null, signal: NodeJS.Signals | null) =>
      resolve({ code, signal, stdout, stderr }),
    );
    if (child.stdin !== null && (typeof input === 'string' || Buffer.isBuffer(input))) {
      // The hook may stop reading early (a complete object, or an oversized payload): ignore EPIPE.
      child.stdin.on('error', () => undefined);
      child.stdin.end(input);
    }
    options.onSpawn?.(child);
  });
}

/** Script that holds a store's SQLite write lock until its stdin closes. */
export const HOLD_LOCK_SCRIPT = fileURLToPath(new URL('./hold-lock.mjs', import.meta.url));

/** Hold the write lock of the SQLite index at `indexPath` in another process; call the result to release it. */
export async function holdWriteLock(indexPath: string): Promise<() => Promise<void>> {
  const child = spawn(process.execPath, [HOLD_LOCK_SCRIPT, indexPath], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve, reject) => {
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
      if (out.includes('locked\n')) resolve();
    });
    child.on('error', reject);
    child.on('exit', (code) => reject(new Error(`the lock holder exited early (${String(code)})`)));
  });
  return () =>
    new Promise<void>((resolve) => {
      child.removeAllListeners('exit');
      child.on('exit', () => resolve());
      child.stdin.end();
    });
}
