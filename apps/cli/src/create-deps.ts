import { dirname, join } from 'node:path';
import { existsSync, openSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { codeCacheDir, runBundle } from '@sessions-db/launcher';
// Imported by name, not with import(): each command's bundle then holds only what these reach
// (a dynamic import keeps the whole package: ~45 KB more to read on every `find`).
import {
  createMemoryStore,
  initStore,
  openStore,
  resolveStore,
  storeExists,
} from '@sessions-db/store';
import type { CliDeps, InteractiveTerminal, StoreLocation } from './cli-deps.js';
import { resolveHookCommand } from './hook-settings/hook-command.js';
import { isTerminal } from './is-terminal.js';

/**
 * The terminal width: the TTY's, else a positive `COLUMNS`, else none (no fitting). Only a
 * terminal makes `process.stdout` (the width is the stream's): for a pipe or file the stream,
 * which loads `net` and `stream`, is never made (see run-main.ts).
 */
function terminalColumns(env: Readonly<Record<string, string | undefined>>): number | undefined {
  if (isTerminal(1)) return process.stdout.columns;
  const fromEnv = Number(env['COLUMNS']);
  return Number.isInteger(fromEnv) && fromEnv > 0 ? fromEnv : undefined;
}

/** Start `program` with stdio inherited; its exit code (128 + signal number when killed). */
function runAttached(
  program: string,
  args: readonly string[],
  cwd: string,
  env: Readonly<Record<string, string | undefined>>,
): Promise<number> {
  // Built-ins on demand (no import() under the code cache): only `resume` starts a program.
  const { spawn } = process.getBuiltinModule('node:child_process');
  const { constants } = process.getBuiltinModule('node:os');
  return new Promise((resolvePromise, reject) => {
    const child = spawn(program, args, { cwd, env, stdio: 'inherit' });
    // The agent owns the terminal now: Ctrl-C goes to it, not to us.
    const ignore = (): void => undefined;
    process.on('SIGINT', ignore);
    child.once('error', (error) => {
      process.off('SIGINT', ignore);
      reject(error);
    });
    child.once('exit', (code, signal) => {
      process.off('SIGINT', ignore);
      resolvePromise(code ?? 128 + (signal === null ? 0 : (constants.signals[signal] ?? 0)));
    });
  });
}

/** What `dist/mcp.cjs` (src/mcp-main.ts) exports. */
interface McpBundle {
  serveMcpStdio(location: StoreLocation): Promise<void>;
}

/** A hash of `dist/mcp.cjs`'s content, written in by the build (absent when run from source). */
declare const __SDB_MCP_BUNDLE_KEY__: string | undefined;

/**
 * The MCP server's own bundle beside this one (`dist/mcp.cjs`), loaded on demand so that only
 * `sessions-db mcp` loads and compiles the SDK, through the launcher's V8 code cache as the CLI's
 * own bundle is (the compiled code is saved when the server exits).
 */
function loadMcpBundle(dir: string, env: CliDeps['env']): McpBundle {
  const path = join(dir, 'mcp.cjs');
  const key = typeof __SDB_MCP_BUNDLE_KEY__ === 'string' ? __SDB_MCP_BUNDLE_KEY__ : undefined;
  if (key === undefined) {
    const { createRequire } = process.getBuiltinModule('node:module');
    return createRequire(path)(path) as McpBundle;
  }
  const run = runBundle(path, { cacheDir: codeCacheDir(env), key });
  process.once('exit', () => run.writeCache());
  return run.exports as McpBundle;
}

/** The key through which the launcher lends its `import()` (see @sessions-db/launcher). */
const IMPORT_MODULE = Symbol.for('sessions-db.import-module');

/**
 * Load an ES module: through the launcher when the CLI runs from its code-cached bundle (a script
 * compiled from a code cache cannot call `import()` on Node 20), else with `import()`.
 */
function importModule(specifier: string): Promise<unknown> {
  const lent = (globalThis as { [IMPORT_MODULE]?: (name: string) => Promise<unknown> })[
    IMPORT_MODULE
  ];
  return lent === undefined ? (import(specifier) as Promise<unknown>) : lent(specifier);
}

/**
 * stdin and stdout when both are terminals (`browse`), else `undefined`. Keys are read from a
 * stream of its own on `/dev/tty` where there is one: destroying it on release stops all reading,
 * while fd 0 stays open for the program `browse` may hand the terminal to (process.stdin would
 * keep reading, and take keys from that program).
 */
function openTerminal(here: string): InteractiveTerminal | undefined {
  if (!isTerminal(1) || !isTerminal(0)) return undefined;
  let fd: number | undefined;
  try {
    fd = openSync('/dev/tty', 'r');
  } catch {
    fd = undefined;
  }
  const { ReadStream } = process.getBuiltinModule('node:tty');
  const own = fd === undefined ? undefined : new ReadStream(fd);
  const stdin = own ?? process.stdin;
  return {
    stdin,
    stdout: process.stdout,
    importModule,
    uiModule: existsSync(join(here, 'browse-ui.mjs'))
      ? pathToFileURL(join(here, 'browse-ui.mjs')).href
      : undefined,
    release() {
      if (own === undefined) stdin.pause();
      else own.destroy();
    },
  };
}

/**
 * The composition root: real deps for a `sessions-db` process (its env, cwd, clock, terminal and
 * the store chosen by `--store` / `--root` / the resolution chain; the width of a TTY, else
 * `COLUMNS`). Any field can be overridden.
 * A read of a store that does not exist yet uses an empty in-memory stand-in, so reading never
 * creates files; `import` (and `create: true`) initialises the directory.
 */
export function createDeps(overrides: Partial<CliDeps> = {}): CliDeps {
  const env = overrides.env ?? process.env;
  const cwd = overrides.cwd ?? process.cwd();
  const here = dirname(fileURLToPath(import.meta.url));
  return {
    env,
    cwd,
    now: () => Date.now(),
    // isTerminal(n) rather than process.stdout.isTTY / process.stderr.isTTY: making either
    // stream costs milliseconds (for a pipe it loads `net` and `stream`), and run-main.ts writes
    // the output with fs.writeSync; stderr's stream is made only when a progress bar asks for it.
    isTTY: { stdout: isTerminal(1), stderr: isTerminal(2) },
    columns: terminalColumns(env),
    get progressStream() {
      return isTerminal(2) ? process.stderr : undefined;
    },
    // Asynchronous as the interface is: a failure is a rejection, never a synchronous throw.
    async locateStore(location) {
      return resolveStore({ ...location, cwd, env });
    },
    async openStore(location, options) {
      const paths = resolveStore({ ...location, cwd, env });
      if (!options.create && !storeExists(paths)) {
        const empty = createMemoryStore();
        return { store: empty, release: () => empty.close() };
      }
      if (options.create) {
        const init = initStore(paths);
        if (!init.ok) throw new Error(init.error.message);
      }
      const opened = openStore(paths);
      return { store: opened, release: () => opened.close() };
    },
    resolveHookCommand: () => resolveHookCommand(here),
    runAttached: (program, args, dir) => runAttached(program, args, dir, env),
    serveMcp: (location) => loadMcpBundle(here, env).serveMcpStdio(location),
    openTerminal: () => openTerminal(here),
    ...overrides,
  };
}
