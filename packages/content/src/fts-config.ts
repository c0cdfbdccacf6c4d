import type Database from 'better-sqlite3';

/** The content index's FTS5 tables (both written by indexing). */
const FTS_TABLES = ['content_text', 'content_chunks'] as const;

/** FTS5's own `hashsize` when its `*_config` table has none (1 MiB). */
const DEFAULT_FTS_HASH_BYTES = 1024 * 1024;

/**
 * FTS5's `hashsize` while indexing in bulk (16 MiB): the bytes of pending terms past which FTS5
 * flushes them to a new segment in the middle of a transaction. At the default 1 MiB a 32 MB
 * batch was flushed as many small segments that FTS5 then merged; at 16 MiB a batch's pending
 * terms are flushed once, at its `COMMIT` (2000 transcripts / 423 MB: 13 → 5 segments in
 * `content_text`, 10 → 5 in `content_chunks`, the same CPU and peak RSS).
 */
export const BULK_FTS_HASH_BYTES = 16 * 1024 * 1024;

/** The `hashsize` of FTS5 table `table` (its `*_config` row, or FTS5's default). */
function hashSizeOf(db: Database.Database, table: string): number {
  const row = db.prepare(`SELECT v FROM ${table}_config WHERE k = 'hashsize'`).get() as
    { v: unknown } | undefined;
  return typeof row?.v === 'number' && Number.isInteger(row.v) ? row.v : DEFAULT_FTS_HASH_BYTES;
}

/** Sets `hashsize` of FTS5 table `table` (a persistent setting: a row of its `*_config`). */
function setHashSize(db: Database.Database, table: string, bytes: number): void {
  // FTS5 takes the value only as an integer literal (a bound number arrives as a real)
  db.exec(
    `INSERT INTO ${table} (${table}, rank) VALUES ('hashsize', ${String(Math.trunc(bytes))})`,
  );
}

/**
 * Sets the `hashsize` of the content index's FTS5 tables to `bytes` (each in its own write, so
 * outside any transaction) and returns what puts back the values they had. The setting is
 * persistent (in each table's `*_config`): a process killed before putting it back leaves it for
 * every later writer, which is harmless: pending terms are flushed at every commit whatever the
 * setting, so it changes nothing for the small transactions of the hook or a search's catch-up,
 * and a large transaction holds at most this many bytes of them.
 */
export function setFtsHashSize(db: Database.Database, bytes: number): () => void {
  const before = FTS_TABLES.map((table) => [table, hashSizeOf(db, table)] as const);
  for (const [table, size] of before) if (size !== bytes) setHashSize(db, table, bytes);
  return () => {
    for (const [table, size] of before) if (size !== bytes) setHashSize(db, table, size);
  };
}
