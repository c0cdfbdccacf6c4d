/**
 * The floor of `rebuild`: the least work any rebuild into this index layout must do, measured
 * (issue 17). Two parts, each timed alone in this process:
 *
 * 1. **parse**: read the log in 1 MiB chunks, split it on newline bytes and `JSON.parse` every
 *    line once (nothing kept, nothing validated);
 * 2. **insert**: write the rows the index holds (read beforehand, untimed, from the store's own
 *    index, which the last rebuild wrote, in their insertion order) into an empty database file
 *    with the same schema and indexes, in one transaction, as the rebuild writes them: the same
 *    connection settings and page cache, 256 rows per `INSERT`, indexes built after the load,
 *    `COMMIT` (which checkpoints the WAL into the file).
 *
 * Nothing else (no validation, no fold, no `sessions-db.json`, no lookups): any rebuild does at
 * least this. Prints `{ ok, events, sessions, logBytes, parseMs, loadMs, indexMs, commitMs,
 * insertMs, floorMs, eventsPerS }` as JSON.
 *
 * Usage: rebuild-floor.ts <store dir> <scratch dir>. The store's index must be current (the
 * harness rebuilds it first); the scratch directory receives the empty database and is left for
 * the caller to remove.
 */
import { closeSync, openSync, readSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import Database from 'better-sqlite3';
import { STORE_FILENAMES } from '@sessions-db/store';
import { rowInserter } from './row-inserter.js';

/** The rebuild's read chunk and page cache, and its rows per `INSERT` (packages/store). */
const READ_CHUNK_BYTES = 1024 * 1024;
const CACHE_KIB = 32 * 1024;
const ROWS_PER_STATEMENT = 256;

type Row = unknown[];

/** Split the log on newline bytes and parse every line once; returns the number of lines parsed. */
function parseLog(path: string): number {
  const fd = openSync(path, 'r');
  try {
    const chunk = Buffer.allocUnsafe(READ_CHUNK_BYTES);
    let carry: Buffer = Buffer.alloc(0);
    let lines = 0;
    let position = 0;
    for (;;) {
      const read = readSync(fd, chunk, 0, chunk.length, position);
      if (read === 0) break;
      position += read;
      const bytes =
        carry.length === 0
          ? chunk.subarray(0, read)
          : Buffer.concat([carry, chunk.subarray(0, read)]);
      let start = 0;
      for (let end = bytes.indexOf(0x0a, start); end !== -1; end = bytes.indexOf(0x0a, start)) {
        if (end > start) {
          JSON.parse(bytes.toString('utf8', start, end));
          lines += 1;
        }
        start = end + 1;
      }
      carry = Buffer.from(bytes.subarray(start));
    }
    if (carry.length > 0) {
      JSON.parse(carry.toString('utf8'));
      lines += 1;
    }
    return lines;
  } finally {
    closeSync(fd);
  }
}

interface TableRows {
  readonly name: string;
  readonly columns: readonly string[];
  readonly rows: Row[];
}

/** Every table's creating SQL, rows (insertion order) and the indexes' SQL of the index at `path`. */
function readIndex(path: string): {
  readonly tables: readonly { readonly sql: string; readonly data: TableRows }[];
  readonly indexes: readonly string[];
} {
  const db = new Database(path, { readonly: true });
  try {
    const schema = db
      .prepare<[], { type: string; name: string; sql: string | null }>(
        `SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY rowid`,
      )
      .all();
    const tables = schema
      .filter((entry) => entry.type === 'table' && entry.sql !== null)
      .map((entry) => {
        const statement = db.prepare(`SELECT * FROM "${entry.name}"`).raw(true);
        const columns = statement.columns().map((column) => column.name);
        return {
          sql: entry.sql ?? '',
          data: { name: entry.name, columns, rows: statement.all() as Row[] },
        };
      });
    const indexes = schema
      .filter((entry) => entry.type === 'index' && entry.sql !== null)
      .map((entry) => entry.sql ?? '');
    return { tables, indexes };
  } finally {
    db.close();
  }
}

/** Insert `table`'s rows, {@link ROWS_PER_STATEMENT} per statement. */
function insertRows(db: Database.Database, table: TableRows): void {
  const inserter = rowInserter(db, table.name, table.columns, ROWS_PER_STATEMENT);
  for (const row of table.rows) inserter.add(row);
  inserter.flush();
}

function main(storeDir: string, scratch: string): void {
  const logPath = join(storeDir, STORE_FILENAMES.events);
  const parseStart = performance.now();
  const events = parseLog(logPath);
  const parseMs = performance.now() - parseStart;

  const { tables, indexes } = readIndex(join(storeDir, STORE_FILENAMES.index));
  const target = join(scratch, 'floor.sqlite');
  for (const suffix of ['', '-wal', '-shm']) rmSync(target + suffix, { force: true });
  const db = new Database(target);
  try {
    const insertStart = performance.now();
    db.pragma('page_size = 8192');
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma(`cache_size = -${CACHE_KIB}`);
    db.exec('BEGIN IMMEDIATE');
    for (const { sql } of tables) db.exec(sql);
    for (const { data } of tables) insertRows(db, data);
    const loaded = performance.now();
    for (const sql of indexes) db.exec(sql);
    const indexed = performance.now();
    db.exec('COMMIT');
    const committed = performance.now();
    const insertMs = committed - insertStart;
    const floorMs = parseMs + insertMs;
    const sessions = tables.find((t) => t.data.name === 'sessions')?.data.rows.length ?? 0;
    const round = (ms: number): number => Math.round(ms);
    process.stdout.write(
      `${JSON.stringify({
        ok: true,
        events,
        sessions,
        parseMs: round(parseMs),
        loadMs: round(loaded - insertStart),
        indexMs: round(indexed - loaded),
        commitMs: round(committed - indexed),
        insertMs: round(insertMs),
        floorMs: round(floorMs),
        eventsPerS: Math.round(events / (floorMs / 1000)),
      })}\n`,
    );
  } finally {
    db.close();
  }
}

const [storeDir, scratch] = process.argv.slice(2);
if (storeDir === undefined || scratch === undefined) {
  process.stderr.write('usage: rebuild-floor.ts <store dir> <scratch dir>\n');
  process.exitCode = 2;
} else {
  main(storeDir, scratch);
}
