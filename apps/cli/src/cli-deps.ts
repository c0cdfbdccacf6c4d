/**
 * What a `sessions-db` run needs from the outside world. `createDeps()` builds the real ones;
 * tests pass their own (a memory store, a fixed clock, a fixed width).
 *
 * @packageDocumentation
 */
import type { SessionsStore, StorePaths } from '@sessions-db/store';

/** Which store the global flags name (`--store` wins over `--root`; both unset: the chain). */
export interface StoreLocation {
  /** `--store DIR`: the storage directory itself. */
  readonly store?: string | undefined;
  /** `--root DIR`: the legacy workspace form (`<DIR>/tickets/_logs`). */
  readonly root?: string | undefined;
}

/** An open store and how to let go of it once the command is done. */
export interface OpenedStore {
  readonly store: SessionsStore;
  /** Called once when the command has finished (closes the SQLite handle of a real store). */
  release(): void;
}

/** Options of {@link CliDeps.openStore}. */
export interface OpenStoreOptions {
  /** Create the storage directory and its empty files when missing (write commands, import). */
  readonly create: boolean;
}

/** The command the `hook install` default writes, and where it came from. */
export interface HookCommandInfo {
  /** The command line written into `settings.json`. */
  readonly command: string;
  /** The hook binary's absolute path when the `@sessions-db/hook` package was found. */
  readonly binPath: string | null;
}

/** The outside world of one CLI run. */
export interface CliDeps {
  /**
   * Open the store named by `location` (resolved from `env` and `cwd`).
   *
   * @throws when the store cannot be opened (reported as a business error, exit 1).
   */
  openStore(location: StoreLocation, options: OpenStoreOptions): Promise<OpenedStore>;
  /** Where the store of `location` lives, without opening it; `null` for a store with no files (memory). */
  locateStore(location: StoreLocation): Promise<StorePaths | null>;
  /** The default command of `hook install` (see {@link HookCommandInfo}). */
  resolveHookCommand(): HookCommandInfo;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
  /** Current time, epoch milliseconds. */
  now(): number;
  readonly isTTY: { readonly stdout: boolean; readonly stderr: boolean };
  /** Terminal width for tables and trees; `undefined` when stdout is not a terminal. */
  readonly columns: number | undefined;
  /** A terminal stream for live progress bars (stderr on a TTY), or `undefined` for none. */
  readonly progressStream?: NodeJS.WritableStream | undefined;
  /**
   * Where a document too large to hold as one string (`export` of a big store) is streamed page
   * by page — stdout, in the real composition root. When absent (tests, in-process use) the
   * document is returned in `stdout` like any other output.
   */
  readonly documentSink?: NodeJS.WritableStream | undefined;
  /**
   * Run `program` with `args` in `cwd` with the terminal handed over (stdio inherited) and
   * resolve with its exit code (`resume`). Absent where a run may not start programs (tests).
   */
  readonly runAttached?:
    ((program: string, args: readonly string[], cwd: string) => Promise<number>) | undefined;
  /**
   * Serve the MCP protocol on this process's stdin and stdout, reading the store of `location`,
   * until the client goes away (`mcp`). Absent where a run may not own stdio (tests, in-process
   * use).
   */
  readonly serveMcp?: ((location: StoreLocation) => Promise<void>) | undefined;
  /**
   * The process's terminal when stdin and stdout are both terminals, else `undefined` (`browse`
   * refuses then). Absent where a run may not take over the terminal (tests).
   */
  readonly openTerminal?: (() => InteractiveTerminal | undefined) | undefined;
}

/** The terminal an interactive command (`browse`) draws on and reads keys from. */
export interface InteractiveTerminal {
  readonly stdin: NodeJS.ReadStream;
  readonly stdout: NodeJS.WriteStream;
  /**
   * Load an ES module the CLI bundle cannot hold (Ink, React: ES-module-only with top-level
   * await), resolved from the installed CLI package.
   */
  importModule(specifier: string): Promise<unknown>;
  /**
   * The URL of the bundle holding React and Ink (`dist/browse-ui.mjs`), or `undefined` when the CLI
   * runs from its sources (the installed `ink` and `react` are loaded then).
   */
  readonly uiModule: string | undefined;
  /**
   * Stop reading keys, so that a program started next (`resume` from `browse`) gets every key
   * typed; the terminal itself stays open.
   */
  release(): void;
}

/** What a run produced: the exact text for stdout and stderr, and the exit code. */
export interface CliResult {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
}
