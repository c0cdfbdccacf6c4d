// Bundle the hook with esbuild so it starts fast: `dist/bin.cjs` (+ `dist/hook.cjs`) is the executable and
// `dist/index.js` the library entry. Workspace packages are bundled from their TypeScript sources;
// better-sqlite3 stays external in the library entry, and only its native addon in the executables. The library entry gets declarations from tsc.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { build } from 'esbuild';
import { assertAsciiBundle } from '../../tooling/launcher/src/ascii-bundle.mjs';
import { bundledSqliteAlias } from '../../tooling/launcher/src/bundle-sqlite.mjs';

const here = import.meta.dirname;
const dist = join(here, 'dist');
rmSync(dist, { recursive: true, force: true });

const shared = {
  absWorkingDir: here,
  bundle: true,
  platform: 'node',
  target: 'node20',
  conditions: ['@sessions-db/source'],
  external: ['better-sqlite3'],
  legalComments: 'none',
  logLevel: 'warning',
};
// The executables (hook.cjs, index-content.cjs) carry better-sqlite3's JavaScript too: it then
// loads with the bundle (from the code cache) instead of as a dozen files resolved and compiled
// on every run (~10 ms). Only its compiled addon stays in the installed package, which is why the
// dependency is pinned to the bundled version (checked here). They are read whole on every start,
// so they are written without comments and layout; names are kept, so stack traces still name
// every function.
const executable = {
  ...shared,
  external: [],
  alias: bundledSqliteAlias(here),
  minifyWhitespace: true,
  minifySyntax: true,
};

// The binary: `bin.cjs`, a small launcher, starts `hook.cjs`, the hook in one CommonJS file (Node
// starts CommonJS faster than an ES module graph, and only a script can be compiled from a V8
// code cache on Node 20). The store and everything under it sit behind the entry's dynamic
// import, which esbuild turns into a lazy initializer: parsed with the file, evaluated only when
// the hook has work to do.
await build({
  ...executable,
  entryPoints: ['src/main.ts'],
  outfile: join(dist, 'hook.cjs'),
  format: 'cjs',
  // import.meta.url of bundled ES modules (the store finds better-sqlite3's addon with it).
  define: { 'import.meta.url': '__sdbImportMetaUrl' },
  banner: { js: "const __sdbImportMetaUrl = require('node:url').pathToFileURL(__filename).href;" },
});
// A script compiled from a V8 code cache cannot run import() on Node 20: built-ins come through
// process.getBuiltinModule(), everything else is bundled.
assertAsciiBundle(join(dist, 'hook.cjs'));
const hookBundle = readFileSync(join(dist, 'hook.cjs'), 'utf8');
if (/(?<![\w$.])import\(\s*["'`]/.test(hookBundle))
  throw new Error('dist/hook.cjs: a dynamic import() would fail under the code cache');
await build({
  ...shared,
  entryPoints: ['src/bin.ts'],
  outfile: join(dist, 'bin.cjs'),
  format: 'cjs', // src/bin.ts's shebang line is kept by esbuild
  // The code cache is keyed by the bundle's content (see @sessions-db/launcher).
  define: {
    __SDB_BUNDLE_KEY__: JSON.stringify(
      createHash('sha256').update(hookBundle).digest('hex').slice(0, 32),
    ),
  },
});
chmodSync(join(dist, 'bin.cjs'), 0o755);

// The background content indexer a SessionEnd starts (detached): its own bundle, so the hook's
// stays small.
await build({
  ...executable,
  entryPoints: ['src/index-content.ts'],
  outfile: join(dist, 'index-content.cjs'),
  format: 'cjs',
  define: { 'import.meta.url': '__sdbImportMetaUrl' },
  banner: { js: "const __sdbImportMetaUrl = require('node:url').pathToFileURL(__filename).href;" },
});

// The library entry (parsing helpers, the Claude-process finder) for programmatic use.
await build({
  ...shared,
  entryPoints: ['src/index.ts'],
  outfile: join(dist, 'index.js'),
  format: 'esm',
  banner: {
    // Bundled CommonJS code may call require(); give the ES module one.
    js: "import { createRequire as __sdbCreateRequire } from 'node:module';\nconst require = __sdbCreateRequire(import.meta.url);",
  },
});

const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
execFileSync(process.execPath, [tsc, '-p', join(here, 'tsconfig.build.json')], {
  stdio: 'inherit',
});
