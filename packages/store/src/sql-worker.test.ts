import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';

import { connectionPragmas } from './schema.js';
import type { SqlValue } from './sql-sink.js';
import { sqliteModulePath, sqliteOpenOptions } from './sqlite-addon.js';
import { startSqlWorker } from './sql-worker.js';
import { tempDir } from './test-support/temp-dir.js';

/** A worker sink on a new database file in a temp directory (busy timeout `busyMs`). */
function workerOn(busyMs = 5000): {
  readonly path: string;
  readonly start: () => ReturnType<typeof startSqlWorker>;
} {
  const path = join(tempDir('sdb-sql-worker-'), 'index.sqlite');
  const start = (): ReturnType<typeof startSqlWorker> =>
    startSqlWorker({
      path,
      module: sqliteModulePath(),
      options: sqliteOpenOptions(),
      setup: connectionPragmas(busyMs).map((pragma) => `PRAGMA ${pragma}`),
    });
  return { path, start };
}

/** A worker sink that began, created table `t (a, b)` and inserted one row, not committed. */
function begunWithOneRow(): {
  readonly path: string;
  readonly sink: ReturnType<typeof startSqlWorker>;
} {
  const { path, start } = workerOn();
  const sink = start();
  sink.begin();
  sink.exec('CREATE TABLE t (a, b)');
  sink.run('INSERT INTO t (a, b) VALUES (?, ?)', [1, 'one']);
  return { path, sink };
}

/** Every row of table `t` of the database at `path`, in rowid order (null when it has no `t`). */
function rowsOf(path: string): unknown[][] | null {
  const db = new Database(path, { readonly: true });
  try {
    const exists = db.prepare(`SELECT 1 FROM sqlite_master WHERE name = 't'`).get();
    return exists === undefined
      ? null
      : (db.prepare('SELECT a, b FROM t ORDER BY rowid').raw(true).all() as unknown[][]);
  } finally {
    db.close();
  }
}

const value: fc.Arbitrary<SqlValue> = fc.oneof(
  fc.constant(null),
  // SQLite stores text as UTF-8: a lone surrogate does not survive any connection.
  fc.string({ unit: 'binary' }).filter((s) => !/\p{Cs}/u.test(s)),
  fc.string(),
  fc.integer(),
  fc.maxSafeInteger(),
  fc.double({ noNaN: true, noDefaultInfinity: true }).filter((n) => !Object.is(n, -0)),
);

describe('startSqlWorker', () => {
  it('runs statements in order on its own connection and commits their values unchanged', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(value, value), { maxLength: 3000 }),
        fc.integer({ min: 1, max: 300 }),
        (rows, perStatement) => {
          const { path, start } = workerOn();
          const sink = start();
          sink.begin();
          sink.exec('CREATE TABLE t (a, b)');
          for (let i = 0; i < rows.length; i += perStatement) {
            const chunk = rows.slice(i, i + perStatement);
            sink.run(
              `INSERT INTO t (a, b) VALUES ${chunk.map(() => '(?, ?)').join(', ')}`,
              chunk.flat(),
            );
          }
          sink.commit();
          expect(rowsOf(path)).toEqual(rows);
        },
      ),
      { numRuns: 15 },
    );
  });

  it('rolls back when a statement fails, reports SQLite’s error at the commit and releases the lock', () => {
    const { path, sink } = begunWithOneRow();
    sink.run('INSERT INTO missing (a) VALUES (?)', [2]);
    expect(() => sink.commit()).toThrow(expect.objectContaining({ code: 'SQLITE_ERROR' }));
    expect(rowsOf(path)).toBeNull();
    const other = new Database(path);
    try {
      other.exec('BEGIN IMMEDIATE');
      other.exec('ROLLBACK');
    } finally {
      other.close();
    }
  });

  it('writes nothing when rolled back', () => {
    const { path, sink } = begunWithOneRow();
    sink.rollback();
    expect(rowsOf(path)).toBeNull();
  });

  it('fails to begin with SQLITE_BUSY while another connection holds the write lock', () => {
    const { path, start } = workerOn(50);
    const holder = new Database(path);
    try {
      holder.pragma('journal_mode = WAL');
      holder.exec('BEGIN IMMEDIATE');
      expect(() => start().begin()).toThrow(expect.objectContaining({ code: 'SQLITE_BUSY' }));
      holder.exec('ROLLBACK');
    } finally {
      holder.close();
    }
  });
});
