import type Database from 'better-sqlite3';

const cache = new WeakMap<Database.Database, Map<string, Database.Statement>>();

/**
 * The prepared statement of `sql` on `db`, prepared once per connection (indexing runs the same
 * few statements for every transcript; preparing them each time cost more than running them).
 */
export function statement(db: Database.Database, sql: string): Database.Statement {
  let statements = cache.get(db);
  if (statements === undefined) {
    statements = new Map();
    cache.set(db, statements);
  }
  let prepared = statements.get(sql);
  if (prepared === undefined) {
    prepared = db.prepare(sql);
    statements.set(sql, prepared);
  }
  return prepared;
}

/**
 * The `CREATE` statement SQLite keeps for table or index `name` of `db` (`''` for one it made
 * itself), or `undefined` when there is none: how an index's layout is told.
 */
export function schemaSql(
  db: Database.Database,
  type: 'table' | 'index',
  name: string,
): string | undefined {
  const row = statement(db, 'SELECT sql FROM sqlite_master WHERE type = ? AND name = ?').get(
    type,
    name,
  ) as { sql: string | null } | undefined;
  return row === undefined ? undefined : (row.sql ?? '');
}
