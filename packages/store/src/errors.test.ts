import { describe, expect, it } from 'vitest';

import { isSqliteBusy, toOperationError } from './errors.js';

/** An error as better-sqlite3 throws it: its `code` is SQLite's extended result code. */
function sqliteError(code: string): Error {
  return Object.assign(new Error(`${code} from SQLite`), { code });
}

describe('SQLite lock failures', () => {
  it.each(['SQLITE_BUSY', 'SQLITE_BUSY_RECOVERY', 'SQLITE_BUSY_SNAPSHOT', 'SQLITE_BUSY_TIMEOUT'])(
    '%s is a busy store: the caller waits and tries again',
    (code) => {
      expect(isSqliteBusy(sqliteError(code))).toBe(true);
      expect(toOperationError(sqliteError(code)).code).toBe('STORE_BUSY');
    },
  );

  it.each(['SQLITE_LOCKED', 'SQLITE_LOCKED_SHAREDCACHE'])('%s is a busy store too', (code) => {
    expect(isSqliteBusy(sqliteError(code))).toBe(true);
  });

  it.each(['SQLITE_IOERR', 'SQLITE_READONLY', 'SQLITE_BUSYNESS', 'EBUSY'])(
    '%s is not a lock held by another connection',
    (code) => {
      expect(isSqliteBusy(sqliteError(code))).toBe(false);
    },
  );

  it('nothing without a code is busy', () => {
    expect(isSqliteBusy(new Error('busy'))).toBe(false);
    expect(isSqliteBusy(null)).toBe(false);
    expect(isSqliteBusy('SQLITE_BUSY')).toBe(false);
  });
});
