// Bundles the CLI into dist/ with esbuild: `bin.cjs` + `cli-<command>.cjs` for each command +
// `cli.cjs` (the `sessions-db` executable), `mcp.cjs` (the MCP server, loaded only by
// `sessions-db mcp`) and `index.js` (createCli for programmatic use). Workspace packages are bundled from their
// TypeScript sources; better-sqlite3 stays external in the library entry (index.js), and only its
// native addon in the executables. Heavy modules are loaded
// with dynamic import() inside handlers, so `--help` does not run them.
import { createHash } from 'node:crypto';
import { chmodSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { assertAsciiBundle } from '../../tooling/launcher/src/ascii-bundle.mjs';
import { bundledSqliteAlias } from '../../tooling/launcher/src/bundle-sqlite.mjs';

const root = import.meta.dirname;
const outdir = join(root, 'dist');

/** The launcher's cache key: a hash of the bundle's content. */
function bundleKey(text) {
  return createHash('sha256').update(text).digest('hex').slice(0, 32);
}

rmSync(outdir, { recursive: true, force: true });
const shared = {
  absWorkingDir: root,
  bundle: true,
  platform: 'node',
  target: 'node20',
  conditions: ['@sessions-db/source'],
  external: ['better-sqlite3'],
  // Light stand-ins for what yargs loads on every run (see src/bundle/): string-width (~20 ms)
  // and node:assert (~5 ms).
  alias: {
    'string-width': './src/bundle/string-width-compat.ts',
    assert: './src/bundle/assert-compat.ts',
  },
  legalComments: 'none',
  logLevel: 'warning',
};
// Two dependencies look at `process.stdout` as they load, which makes Node's stdout stream (for a
// pipe it loads `net` and `stream`: milliseconds of every run) although the CLI writes with
// fs.writeSync (src/run-main.ts) and sets yargs' width itself (`.wrap()`). In the executables the
// same tests are made without the stream: yargs' shim reads the width only if asked (a getter:
// it never is once the width is set), and picocolors' default (unused: the CLI asks for colour
// explicitly, src/format/colors.ts) asks whether fd 1 is a terminal, which is what
// `process.stdout.isTTY` says.
// Checked: the build fails when a dependency no longer holds the expression it replaces.
const NO_STDOUT_STREAM = [
  {
    file: /[\\/]yargs[\\/]lib[\\/]platform-shims[\\/]esm\.mjs$/,
    from: "stdColumns: typeof process.stdout.columns !== 'undefined' ? process.stdout.columns : null",
    to: "get stdColumns() { return typeof process.stdout.columns !== 'undefined' ? process.stdout.columns : null; }",
  },
  {
    file: /[\\/]picocolors[\\/]picocolors\.js$/,
    from: '((p.stdout || {}).isTTY && env.TERM !== "dumb")',
    to: '(isStdoutTerminal() && env.TERM !== "dumb")',
    // as src/is-terminal.ts: node:tty (net, stream) only for a character device
    prelude:
      'function isStdoutTerminal() { try { return require("node:fs").fstatSync(1).isCharacterDevice() && require("node:tty").isatty(1); } catch { return false; } }\n',
  },
];
// yargs' factory registers `--version` with a version it guesses by walking up from the current
// directory (or from above the installed package's `node_modules`), listing every directory on
// the way until one holds a `package.json`, which it reads and parses: a user's project
// manifest, on every run. The CLI replaces that option with its own version straight away
// (`.version(CLI_VERSION)` in src/run-cli.ts), so the executables skip the guess.
const NO_VERSION_GUESS = [
  {
    file: /[\\/]yargs[\\/]build[\\/]lib[\\/]yargs-factory\.js$/,
    from: 'yargs.help();\n        yargs.version();\n',
    to: 'yargs.help();\n',
  },
];
const dependencyPatches = {
  name: 'dependency-patches',
  setup(pluginBuild) {
    for (const { file, from, to, prelude = '' } of [...NO_STDOUT_STREAM, ...NO_VERSION_GUESS])
      pluginBuild.onLoad({ filter: file }, (args) => {
        const text = readFileSync(args.path, 'utf8');
        if (!text.includes(from))
          throw new Error(`build.mjs: ${args.path} no longer holds ${from}`);
        return { contents: prelude + text.replace(from, to), loader: 'js' };
      });
  },
};

// The CommonJS executables (cli.cjs, mcp.cjs) carry better-sqlite3's JavaScript too: it then
// loads with the bundle (from the code cache) instead of as a dozen files resolved and compiled
// on every run (~10 ms). Only its compiled addon stays in the installed package, which is why the
// dependency is pinned to the bundled version (checked here). They are read whole on every start,
// so they are written without comments and layout (a quarter smaller); names are kept, so stack
// traces still name every function.
const executable = {
  ...shared,
  external: [],
  alias: { ...shared.alias, ...bundledSqliteAlias(root) },
  minifyWhitespace: true,
  minifySyntax: true,
  plugins: [dependencyPatches],
};

// The MCP server (`sessions-db mcp`): its own bundle, so the SDK (~1.4 MB) is loaded and compiled
// only by that command; cli.cjs loads it from beside itself through the launcher's code cache
// (src/create-deps.ts), keyed by a hash of its content. Built first, so that key can be defined.
await build({
  ...executable,
  entryPoints: { mcp: 'src/mcp-main.ts' },
  outdir,
  outExtension: { '.js': '.cjs' },
  format: 'cjs',
  define: { 'import.meta.url': '__sdbImportMetaUrl' },
  banner: { js: "const __sdbImportMetaUrl = require('node:url').pathToFileURL(__filename).href;" },
});

assertAsciiBundle(join(outdir, 'mcp.cjs'));
const mcpBundleKey = JSON.stringify(bundleKey(readFileSync(join(outdir, 'mcp.cjs'), 'utf8')));

// The executables: `bin.cjs`, a small launcher, starts the bundle of the command the command line
// names, `cli-<command>.cjs` (that command, yargs, the store and what the command uses), or
// `cli.cjs`, the whole CLI, for any other command line (help, --version, unknown commands,
// completion). Each is one CommonJS file (Node loads one CommonJS file faster than a graph of ES
// modules, and only a script can be compiled from a V8 code cache on Node 20) with a code cache of
// its own: `find` reads and deserialises its own code, not browse's, import's or the content
// archive's. Dynamic import()s of bundled modules become lazy initializers: parsed with the file,
// run only by the command that needs them.
// A script compiled from a V8 code cache cannot run import() on Node 20 (the launcher compiles
// them with vm.Script): load Node built-ins with process.getBuiltinModule(), bundle what can be
// bundled, and load an ES-module-only package that cannot (top-level await) through the launcher:
// globalThis[Symbol.for('sessions-db.import-module')](name) (see @sessions-db/launcher).
async function buildCliBundle(name, entry) {
  await build({
    ...executable,
    ...entry,
    outfile: join(outdir, name),
    format: 'cjs',
    define: { 'import.meta.url': '__sdbImportMetaUrl', __SDB_MCP_BUNDLE_KEY__: mcpBundleKey },
    banner: {
      js: "const __sdbImportMetaUrl = require('node:url').pathToFileURL(__filename).href;",
    },
  });
  assertAsciiBundle(join(outdir, name));
  const text = readFileSync(join(outdir, name), 'utf8');
  const dynamicImport = /(?<![\w$.])import\(\s*["'`]/.exec(text);
  if (dynamicImport !== null) {
    const line = text.slice(0, dynamicImport.index).split('\n').length;
    throw new Error(
      `dist/${name}:${line}: a dynamic import() would fail under the code cache (Node 20): bundle ` +
        'the module, load a Node built-in with process.getBuiltinModule(), or load an ES-module-only ' +
        "package through globalThis[Symbol.for('sessions-db.import-module')](name)",
    );
  }
  return bundleKey(text);
}

// The commands, as src/command-registry.ts imports them: `import { findCommand } from
// './commands/find/find-command.js'` — the directory is the command's word (checked by the
// end-to-end tests, which run every command's help through bin.cjs).
const registry = readFileSync(join(root, 'src', 'command-registry.ts'), 'utf8');
const commands = [
  ...registry.matchAll(/import \{ (\w+) \} from '\.\/(commands\/([\w-]+)\/[\w-]+\.js)';/g),
].map(([, symbol, path, word]) => ({ symbol, path, word }));
if (commands.length === 0)
  throw new Error('build.mjs: no command found in src/command-registry.ts');

const cliKey = await buildCliBundle('cli.cjs', { entryPoints: ['src/main.ts'] });
const commandKeys = {};
for (const { symbol, path, word } of commands) {
  commandKeys[word] = await buildCliBundle(`cli-${word}.cjs`, {
    stdin: {
      contents: [
        `import { ${symbol} } from './src/${path}';`,
        "import { runMain } from './src/run-main.js';",
        `void runMain([${symbol}]);`,
      ].join('\n'),
      resolveDir: root,
      sourcefile: `cli-${word}.ts`,
      loader: 'ts',
    },
  });
}
await build({
  ...shared,
  entryPoints: { bin: 'src/bin.ts' },
  outdir,
  outExtension: { '.js': '.cjs' },
  format: 'cjs', // src/bin.ts's shebang line is kept by esbuild
  // The code caches are keyed by each bundle's content (see @sessions-db/launcher).
  define: {
    __SDB_BUNDLE_KEY__: JSON.stringify(cliKey),
    __SDB_COMMAND_BUNDLE_KEYS__: JSON.stringify(commandKeys),
  },
});
chmodSync(join(outdir, 'bin.cjs'), 0o755);

// The import's scan worker (`@sessions-db/store/scan-worker`): an ES module of the transcript
// readers alone, started as a worker thread by `import` to read half of the transcripts on the
// other core. The store finds it beside the module that starts it: `dist/` for the executables,
// `dist/chunks/` for the library entry's chunks. And the same worker as one CommonJS script,
// `scan-worker.cjs`: `bin.cjs` starts it for `import` before the command's bundle loads
// (src/bin.ts). A worker thread loads a CommonJS script sooner than an ES module (it listens ~29
// ms after it is started against ~35-44 ms, medians of 11 at load ~5): the ES module loader is not
// set up for it.
for (const [dir, format] of [
  [outdir, 'esm'],
  [join(outdir, 'chunks'), 'esm'],
  [outdir, 'cjs'],
])
  await build({
    ...shared,
    entryPoints: { 'scan-worker': '@sessions-db/store/scan-worker' },
    outdir: dir,
    ...(format === 'cjs' ? { outExtension: { '.js': '.cjs' } } : {}),
    format,
    minifyWhitespace: true,
    minifySyntax: true,
  });

// `browse`'s user interface: React and Ink in one ES module (Ink has top-level await, so it
// cannot join cli.cjs), loaded by that command only, through the launcher's import(). One file
// loads in a fraction of the time of Ink's graph of modules (the first-screen budget).
await build({
  ...shared,
  entryPoints: { 'browse-ui': 'src/browse-ui.ts' },
  outdir,
  outExtension: { '.js': '.mjs' },
  format: 'esm',
  minify: true,
  define: { 'process.env.NODE_ENV': '"production"' },
  // Ink measures every line it draws with string-width: the CLI's stand-in gives the same widths
  // (format/text-width.test.ts) without loading the grapheme segmenter's data for the usual
  // non-ASCII of the screen (`›`, `…`, `─`, `↑↓`), which cost Ink's first render ~60 ms.
  alias: {
    'react-devtools-core': './src/bundle/react-devtools-stub.ts',
    'string-width': './src/bundle/string-width-compat.ts',
  },
  banner: {
    // CommonJS dependencies (react, signal-exit) call require() for their own modules.
    js: "import { createRequire as __sdbCreateRequire } from 'node:module';\nconst require = __sdbCreateRequire(import.meta.url);",
  },
});

// The library entry (`createCli` and friends) for programmatic use, as ES modules sharing chunks.
await build({
  ...shared,
  entryPoints: { index: 'src/index.ts' },
  outdir,
  define: { __SDB_MCP_BUNDLE_KEY__: mcpBundleKey },
  splitting: true,
  format: 'esm',
  chunkNames: 'chunks/[name]-[hash]',
  banner: {
    // CommonJS dependencies (cli-progress, picocolors) call require() for Node built-ins.
    js: "import { createRequire as __sdbCreateRequire } from 'node:module';\nconst require = __sdbCreateRequire(import.meta.url);",
  },
});

// Declarations for the library entry (`createCli` and friends), against the built workspace types.
const { execFileSync } = await import('node:child_process');
const { createRequire } = await import('node:module');
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
execFileSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json')], {
  stdio: 'inherit',
});
