import type Database from 'better-sqlite3';

/** Rows of one table inserted many per `INSERT` (see {@link rowInserter}). */
export interface RowInserter {
  /** Queues one row (its values in the order of the columns); runs a full statement when due. */
  add(row: readonly unknown[]): void;
  /** Inserts the rows still queued. */
  flush(): void;
}

/**
 * Inserts rows into `table` (`columns`), `perStatement` rows per `INSERT` (the rebuild's way of
 * loading rows; the floors load theirs the same way).
 */
export function rowInserter(
  db: Database.Database,
  table: string,
  columns: readonly string[],
  perStatement: number,
): RowInserter {
  const head = `INSERT INTO "${table}" (${columns.map((c) => `"${c}"`).join(', ')}) VALUES `;
  const one = `(${columns.map(() => '?').join(', ')})`;
  const sqlFor = (rows: number): string =>
    head + Array.from({ length: rows }, () => one).join(', ');
  const full = db.prepare(sqlFor(perStatement));
  const values: unknown[] = [];
  let pending = 0;
  return {
    add(row) {
      for (const value of row) values.push(value);
      pending += 1;
      if (pending === perStatement) {
        full.run(values);
        values.length = 0;
        pending = 0;
      }
    },
    flush() {
      if (pending > 0) db.prepare(sqlFor(pending)).run(values);
      values.length = 0;
      pending = 0;
    },
  };
}
