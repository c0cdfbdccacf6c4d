// Bundles the CLI into dist/ with esbuild: `bin.js` (the `sessions-db` executable) and `index.js`
// (createCli for programmatic use), sharing chunks. Workspace packages are bundled from their
// TypeScript sources; better-sqlite3 stays external (a native module). Heavy modules are loaded
// with dynamic import() inside handlers, so splitting keeps `--help` from loading them.
import { chmodSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';

const root = import.meta.dirname;
const outdir = join(root, 'dist');

rmSync(outdir, { recursive: true, force: true });
await build({
  absWorkingDir: root,
  entryPoints: { bin: 'src/bin.ts', index: 'src/index.ts' },
  outdir,
  bundle: true,
  splitting: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  conditions: ['@sessions-db/source'],
  external: ['better-sqlite3'],
  // yargs' help layout uses string-width, which costs ~20 ms to load; ours measures the same.
  alias: { 'string-width': './src/format/string-width-compat.ts' },
  chunkNames: 'chunks/[name]-[hash]',
  banner: {
    // CommonJS dependencies (cli-progress, picocolors) call require() for Node built-ins.
    js: "import { createRequire as __sdbCreateRequire } from 'node:module';\nconst require = __sdbCreateRequire(import.meta.url);",
  },
  legalComments: 'none',
  logLevel: 'warning',
});
// The shebang goes on the executable only (a banner would put it on every chunk).
const { readFileSync, writeFileSync } = await import('node:fs');
const binPath = join(outdir, 'bin.js');
writeFileSync(binPath, `#!/usr/bin/env node\n${readFileSync(binPath, 'utf8')}`);
chmodSync(binPath, 0o755);

// Declarations for the library entry (`createCli` and friends), against the built workspace types.
const { execFileSync } = await import('node:child_process');
const { createRequire } = await import('node:module');
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
execFileSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json')], {
  stdio: 'inherit',
});
