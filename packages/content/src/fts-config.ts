import type Database from 'better-sqlite3';
import { isSqliteBusy } from './sqlite-busy.js';

/** The content index's FTS5 tables (both written by indexing). */
export const FTS_TABLES = ['content_text', 'content_chunks'] as const;

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

/**
 * Pages of merge work per step of {@link mergeFtsSegments}, each step its own transaction (2 GB
 * index: 80 steps for `content_text`, each 30–80 ms of CPU, so no writer waits long on the lock).
 */
const MERGE_PAGES_PER_STEP = 500;
/** Most steps {@link mergeFtsSegments} runs per table (against writers that keep adding segments). */
const MAX_MERGE_STEPS = 100_000;

/** The number of segments of FTS5 table `table` (every segment has a row in its `*_idx`). */
export function ftsSegmentCount(db: Database.Database, table: string): number {
  return (db.prepare(`SELECT count(DISTINCT segid) AS n FROM ${table}_idx`).get() as { n: number })
    .n;
}

/**
 * Merges each of the content index's FTS5 tables into one segment, in steps of
 * {@link MERGE_PAGES_PER_STEP} pages of FTS5's incremental `merge`, each step a transaction of
 * its own (outside any transaction of the caller's), `between` awaited after each: a search or
 * the hook waits at most one step for the lock, and a process killed between or in steps leaves a
 * usable index (FTS5's writes are transactional; a later merge goes on from there). A search's
 * `MATCH` opens every segment of its table, so one segment is the least work for each search; the
 * merge rewrites each table once (2 GB index: ~3.9 s of CPU, about 4 % of importing it). Every
 * query's results are the same (bm25 does not depend on segments). Stops early, leaving the
 * segments as they are, when another writer holds the index past the busy timeout.
 */
export async function mergeFtsSegments(
  db: Database.Database,
  between: () => Promise<void>,
): Promise<void> {
  try {
    for (const table of FTS_TABLES)
      for (let step = 0; step < MAX_MERGE_STEPS && ftsSegmentCount(db, table) > 1; step += 1) {
        // negative: the segments of every level are merged together, each call going on with
        // the merge the one before began
        db.exec(
          `INSERT INTO ${table} (${table}, rank) VALUES ('merge', ${String(-MERGE_PAGES_PER_STEP)})`,
        );
        await between();
      }
  } catch (error) {
    if (!isSqliteBusy(error)) throw error;
  }
}
