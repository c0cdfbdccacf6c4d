// Bundle the hook with esbuild so it starts fast: `dist/bin.js` is a tiny entry that loads the
// rest (a split chunk) only when it has work to do. Workspace packages are bundled from their
// TypeScript sources; better-sqlite3 (a native addon) stays external. The library entry
// (`dist/index.js`) gets declarations from tsc.
import { execFileSync } from 'node:child_process';
import { chmodSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { build } from 'esbuild';

const here = import.meta.dirname;
const dist = join(here, 'dist');
rmSync(dist, { recursive: true, force: true });

await build({
  absWorkingDir: here,
  entryPoints: { bin: 'src/bin.ts', index: 'src/index.ts' },
  outdir: 'dist',
  chunkNames: 'chunks/[name]-[hash]',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  conditions: ['@sessions-db/source'],
  external: ['better-sqlite3'],
  banner: {
    // Bundled CommonJS code may call require(); give ES modules one.
    js: "import { createRequire as __sdbCreateRequire } from 'node:module';\nconst require = __sdbCreateRequire(import.meta.url);",
  },
  legalComments: 'none',
  logLevel: 'warning',
});
chmodSync(join(dist, 'bin.js'), 0o755);

const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
execFileSync(process.execPath, [tsc, '-p', join(here, 'tsconfig.build.json')], {
  stdio: 'inherit',
});
