import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

let found: string | null | undefined;

/**
 * Where better-sqlite3's compiled addon is when npm built it in place, so opening a database can
 * name it (`nativeBinding`) instead of letting the `bindings` package search a dozen candidate
 * paths on every start; null when it is elsewhere (better-sqlite3 then searches as usual).
 */
export function sqliteAddonPath(): string | null {
  if (found !== undefined) return found;
  try {
    const manifest = createRequire(import.meta.url).resolve('better-sqlite3/package.json');
    const addon = join(dirname(manifest), 'build', 'Release', 'better_sqlite3.node');
    found = existsSync(addon) ? addon : null;
  } catch {
    found = null;
  }
  return found;
}

/** better-sqlite3's options for opening a database with the addon found above, if any. */
export function sqliteOpenOptions(): { nativeBinding?: string } {
  const addon = sqliteAddonPath();
  return addon === null ? {} : { nativeBinding: addon };
}
