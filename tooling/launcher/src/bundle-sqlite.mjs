// Build-time helper of apps/cli/build.mjs and apps/hook/build.mjs: the esbuild alias that lets an
// executable bundle carry better-sqlite3's JavaScript, after checking that the app depends on
// exactly the version it bundles (the installed addon must match the bundled JavaScript).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

/**
 * esbuild `alias` entries for a bundle that includes better-sqlite3 (its `bindings` lookup goes
 * through ./sqlite-bindings.cts). Throws when `appDir`'s package.json does not pin the version
 * that resolves from it.
 */
export function bundledSqliteAlias(appDir) {
  const manifest = JSON.parse(readFileSync(join(appDir, 'package.json'), 'utf8'));
  const wanted = manifest.dependencies?.['better-sqlite3'];
  const resolved = createRequire(join(appDir, 'package.json')).resolve(
    'better-sqlite3/package.json',
  );
  const bundled = JSON.parse(readFileSync(resolved, 'utf8')).version;
  if (wanted !== bundled)
    throw new Error(
      `${manifest.name}: the bundle carries better-sqlite3 ${bundled}'s JavaScript, so its ` +
        `dependency must be exactly "${bundled}" (the addon installed with it), not "${wanted}"`,
    );
  return { bindings: join(import.meta.dirname, 'sqlite-bindings.cts') };
}
