import {
  closeSync,
  constants,
  fstatSync,
  lstatSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeSync,
} from 'node:fs';
import Module, { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { Script } from 'node:vm';

/**
 * The global (`globalThis[IMPORT_MODULE]`) through which a bundle run by {@link runBundle} loads an
 * ES module: `(specifier) => import(specifier)`, resolved from the launcher's directory. On Node
 * 20 a script compiled from a code cache cannot call `import()` itself.
 */
export const IMPORT_MODULE: unique symbol = Symbol.for('sessions-db.import-module');

/** How the bundle's code was compiled. */
export type CodeCacheState =
  /** No cache directory: compiled from source, nothing written. */
  | 'off'
  /** The runtime's own compile cache (`module.enableCompileCache`, Node >= 22.1). */
  | 'native'
  /** Compiled from the cached code of an earlier run. */
  | 'hit'
  /** No usable cache yet: compiled from source; {@link RunBundleResult.writeCache} writes one. */
  | 'miss'
  /** A cache file existed but V8 refused it (another V8 build or flags): compiled from source. */
  | 'rejected';

/** Options of {@link runBundle}. */
export interface RunBundleOptions {
  /** Directory for the code cache (created `0700`); `undefined` turns caching off. */
  readonly cacheDir: string | undefined;
  /**
   * What identifies the bundle's content (the builds pass a hash of it, computed at build time).
   * It names the cache file: V8 itself only checks that the source has the same length, and npm
   * gives every packed file the same mtime, so size and mtime could not tell two builds apart.
   */
  readonly key: string;
  /**
   * The runtime's compile cache switch; defaults to `module.enableCompileCache` where it exists.
   * Passed in by tests; `null` forces the portable path.
   */
  readonly enableCompileCache?: ((dir: string) => unknown) | null;
}

/** What {@link runBundle} did, and the way to save the compiled code for the next run. */
export interface RunBundleResult {
  readonly state: CodeCacheState;
  /** The bundle's `module.exports`. */
  readonly exports: unknown;
  /**
   * Save the code compiled so far (call it at exit, so functions compiled lazily during the run
   * are in it). Does nothing unless the state is `miss` or `rejected`; never throws: a cache that
   * cannot be written only means the next start compiles from source again.
   */
  writeCache(): void;
}

type CompileCacheSwitch = (dir: string) => unknown;

/**
 * Where the code caches of this user live: `$SESSIONS_DB_CODE_CACHE_DIR`, else the per-user cache
 * directory (`$XDG_CACHE_HOME` or `~/.cache` on Linux, `~/Library/Caches` on macOS,
 * `%LOCALAPPDATA%` on Windows) + `sessions-db/v8`. `SESSIONS_DB_CODE_CACHE=0` turns caching off
 * (`undefined`).
 */
export function codeCacheDir(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
  home: () => string = homedir,
): string | undefined {
  const flag = env['SESSIONS_DB_CODE_CACHE']?.trim().toLowerCase();
  if (flag === '0' || flag === 'false' || flag === 'off') return undefined;
  const explicit = env['SESSIONS_DB_CODE_CACHE_DIR'];
  if (explicit !== undefined && explicit !== '') return explicit;
  try {
    if (platform === 'win32') {
      const base = env['LOCALAPPDATA'] ?? join(home(), 'AppData', 'Local');
      return join(base, 'sessions-db', 'Cache', 'v8');
    }
    if (platform === 'darwin') return join(home(), 'Library', 'Caches', 'sessions-db', 'v8');
    const xdg = env['XDG_CACHE_HOME'];
    const base = xdg !== undefined && xdg.startsWith('/') ? xdg : join(home(), '.cache');
    return join(base, 'sessions-db', 'v8');
  } catch {
    return undefined;
  }
}

/**
 * Load and run the CommonJS file `bundlePath` as `require` would, but compiled with a V8 code
 * cache kept in `options.cacheDir`, so later starts skip parsing and compiling it. On runtimes
 * with `module.enableCompileCache` that cache is used instead. A cache file is read only when it
 * is a regular file owned by this user (never through a symlink), is keyed by the bundle's size
 * content key and the runtime's version, and V8 checks it again before using it.
 */
export function runBundle(bundlePath: string, options: RunBundleOptions): RunBundleResult {
  const { cacheDir } = options;
  (globalThis as { [IMPORT_MODULE]?: unknown })[IMPORT_MODULE] ??= (specifier: string) =>
    import(specifier) as Promise<unknown>;
  const enable =
    options.enableCompileCache === undefined
      ? nativeCompileCacheSwitch()
      : (options.enableCompileCache ?? undefined);
  if (cacheDir === undefined || enable !== undefined) {
    if (cacheDir !== undefined && enable !== undefined && ensurePrivateDir(cacheDir))
      enable(cacheDir);
    const exports = createRequire(bundlePath)(bundlePath) as unknown;
    return {
      state: cacheDir === undefined ? 'off' : 'native',
      exports,
      writeCache: () => undefined,
    };
  }

  const source = readFileSync(bundlePath, 'utf8');
  const cacheFile = join(cacheDir, cacheFileName(bundlePath, options.key));
  const cachedData = readOwnedFile(cacheFile);
  const script = new Script(Module.wrap(source), {
    filename: bundlePath,
    // No importModuleDynamically: on Node 20 it is lost when the script comes from the cache (and
    // warns that it is experimental when it does not); ES modules load through IMPORT_MODULE.
    ...(cachedData === undefined ? {} : { cachedData }),
  });
  const state: CodeCacheState =
    cachedData === undefined ? 'miss' : script.cachedDataRejected === true ? 'rejected' : 'hit';
  const module = { exports: {} as unknown, filename: bundlePath, id: bundlePath, loaded: false };
  const wrapper = script.runInThisContext() as (
    exports: unknown,
    require: NodeJS.Require,
    module: unknown,
    filename: string,
    dirname: string,
  ) => void;
  wrapper.call(
    module.exports,
    module.exports,
    createRequire(bundlePath),
    module,
    bundlePath,
    dirname(bundlePath),
  );
  module.loaded = true;
  let written = false;
  return {
    state,
    exports: module.exports,
    writeCache() {
      if (written || state === 'hit') return;
      written = true;
      try {
        writeCacheFile(cacheDir, cacheFile, `${basename(bundlePath)}-`, script.createCachedData());
      } catch {
        // An optimisation only: the next start compiles from source.
      }
    },
  };
}

function nativeCompileCacheSwitch(): CompileCacheSwitch | undefined {
  const candidate = (Module as unknown as { enableCompileCache?: unknown }).enableCompileCache;
  return typeof candidate === 'function' ? (candidate as CompileCacheSwitch) : undefined;
}

/** `<bundle>-<runtime>-<arch>-<key>.v8`: a changed bundle or runtime gets a new file. */
function cacheFileName(bundlePath: string, key: string): string {
  const runtime = `${process.version}-${process.versions.v8}`.replace(/[^\w.-]/g, '_');
  return `${basename(bundlePath)}-${runtime}-${process.arch}-${key.replace(/[^\w.-]/g, '_')}.v8`;
}

const uid = typeof process.getuid === 'function' ? process.getuid() : undefined;

/** Owned by this user (where the platform has uids). */
function ownedByMe(stats: { uid: number }): boolean {
  return uid === undefined || stats.uid === uid;
}

/** The bytes of `path` when it is a regular file of this user, not a symlink; else undefined. */
function readOwnedFile(path: string): Buffer | undefined {
  let fd: number | undefined;
  try {
    fd = openSync(path, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0));
    const stats = fstatSync(fd);
    if (!stats.isFile() || !ownedByMe(stats) || stats.size === 0) return undefined;
    return readFileSync(fd);
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** Create `dir` (`0700`) when missing; true when it is a real directory of this user. */
function ensurePrivateDir(dir: string): boolean {
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const stats = lstatSync(dir);
    return stats.isDirectory() && ownedByMe(stats) && (stats.mode & 0o022) === 0;
  } catch {
    return false;
  }
}

/** Write the cache atomically (`0600` temp file, rename) and drop older caches of the bundle. */
function writeCacheFile(dir: string, file: string, prefix: string, data: Buffer): void {
  if (data.length === 0 || !ensurePrivateDir(dir)) return;
  const temp = `${file}.${process.pid}.tmp`;
  const fd = openSync(
    temp,
    constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | (constants.O_NOFOLLOW ?? 0),
    0o600,
  );
  try {
    writeSync(fd, data);
  } finally {
    closeSync(fd);
  }
  renameSync(temp, file);
  for (const name of readdirSync(dir)) {
    if (name !== basename(file) && name.startsWith(prefix) && name.endsWith('.v8'))
      rmSync(join(dir, name), { force: true });
  }
}
