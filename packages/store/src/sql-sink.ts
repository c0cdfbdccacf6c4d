import type Database from 'better-sqlite3';

/** A value bound to a statement of the rebuild. */
export type SqlValue = string | number | null;

/**
 * Where the rebuild's writes go, all inside one transaction: the store's own connection
 * ({@link localSqlSink}), or a worker thread's connection to the same file (`sql-worker.ts`), which
 * runs SQLite on the other core while this thread parses and folds. Statements run in the order
 * they are given; a sink may run them later, so a failure may surface at a later call.
 */
export interface SqlSink {
  /** Take the write lock (`BEGIN IMMEDIATE`); returns once it is held. */
  begin(): void;
  /** Run SQL text (no parameters, no result). */
  exec(sql: string): void;
  /** Run one statement with positional `values` (the sink may keep the array: do not reuse it). */
  run(sql: string, values: SqlValue[]): void;
  /** Commit everything; returns once committed. */
  commit(): void;
  /** Roll back whatever was written (nothing when the lock was never taken); never throws. */
  rollback(): void;
}

/** A {@link SqlSink} on `db` itself, statements prepared once per SQL text. */
export function localSqlSink(db: Database.Database): SqlSink {
  const statements = new Map<string, Database.Statement>();
  return {
    begin() {
      db.exec('BEGIN IMMEDIATE');
    },
    exec(sql) {
      db.exec(sql);
    },
    run(sql, values) {
      let statement = statements.get(sql);
      if (statement === undefined) {
        statement = db.prepare(sql);
        statements.set(sql, statement);
      }
      statement.run(values);
    },
    commit() {
      db.exec('COMMIT');
    },
    rollback() {
      if (db.inTransaction) db.exec('ROLLBACK');
    },
  };
}
