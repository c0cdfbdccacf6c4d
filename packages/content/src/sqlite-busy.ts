/**
 * Whether SQLite failed because another connection holds a lock it needs: `SQLITE_BUSY` or
 * `SQLITE_LOCKED` with any extended code (better-sqlite3 reports extended codes, e.g.
 * `SQLITE_BUSY_RECOVERY` while another process rebuilds the WAL index after opening the database,
 * or `SQLITE_BUSY_SNAPSHOT`). Such a failure passes; waiting and trying again is the answer.
 *
 * Its own entry point (`@sessions-db/content/sqlite-busy`): the store, which shares it, loads
 * this file alone, not the content layer.
 */
export function isSqliteBusy(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^SQLITE_(BUSY|LOCKED)(_|$)/.test(code);
}
