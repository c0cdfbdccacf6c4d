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
 * With `--parts`, also what each part of the layout costs: each table's `INSERT`s and each index's
 * build timed alone in the run above (`tableMs`, `indexEachMs`, file `bytes`, `rows`), then the
 * same load into variants of the layout without a table, without the record column's text or
 * without the secondary indexes (`variants`: each one's insert time, file size and floor rate).
 *
 * Usage: rebuild-floor.ts <store dir> [--parts] <scratch dir>. The store's index must be current (the
 * harness rebuilds it first); the scratch directory receives the empty database and is left for
 * the caller to remove.
 */
import { closeSync, openSync, readSync, rmSync, statSync } from 'node:fs';
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

/** The steps of inserting the rows into a fresh file, ms. */
interface StepTimes {
  readonly loadMs: number;
  readonly indexMs: number;
  readonly commitMs: number;
  readonly insertMs: number;
  /** Per table, the time of its rows' `INSERT`s. */
  readonly tableMs: Record<string, number>;
  /** Per index, the time of its `CREATE INDEX`. */
  readonly indexEachMs: Record<string, number>;
}

/** What inserting the rows into a fresh file cost, step by step (wall time). */
interface InsertCost extends StepTimes {
  /** Size of the file after the commit. */
  readonly bytes: number;
  /**
   * The same steps in CPU time of this process (user + system; a loaded machine stretches wall
   * times, much less these).
   */
  readonly cpu: StepTimes;
}

/** CPU time of this process so far, ms. */
function cpuNow(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

/** The name an index's `CREATE … INDEX … name ON` statement gives it. */
function indexName(sql: string): string {
  return /INDEX\s+(?:IF NOT EXISTS\s+)?"?(\w+)"?/i.exec(sql)?.[1] ?? sql;
}

/** Insert `tables`' rows into a new file at `target`, build `indexes`, commit; each step timed. */
function insertInto(
  target: string,
  tables: readonly { readonly sql: string; readonly data: TableRows }[],
  indexes: readonly string[],
): InsertCost {
  for (const suffix of ['', '-wal', '-shm']) rmSync(target + suffix, { force: true });
  const db = new Database(target);
  try {
    const insertStart = performance.now();
    const cpuStart = cpuNow();
    db.pragma('page_size = 8192');
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma(`cache_size = -${CACHE_KIB}`);
    db.exec('BEGIN IMMEDIATE');
    for (const { sql } of tables) db.exec(sql);
    const tableMs: Record<string, number> = {};
    const tableCpuMs: Record<string, number> = {};
    for (const { data } of tables) {
      const start = performance.now();
      const cpu = cpuNow();
      insertRows(db, data);
      tableMs[data.name] = Math.round(performance.now() - start);
      tableCpuMs[data.name] = Math.round(cpuNow() - cpu);
    }
    const loaded = performance.now();
    const loadedCpu = cpuNow();
    const indexEachMs: Record<string, number> = {};
    const indexEachCpuMs: Record<string, number> = {};
    for (const sql of indexes) {
      const start = performance.now();
      const cpu = cpuNow();
      db.exec(sql);
      indexEachMs[indexName(sql)] = Math.round(performance.now() - start);
      indexEachCpuMs[indexName(sql)] = Math.round(cpuNow() - cpu);
    }
    const indexed = performance.now();
    const indexedCpu = cpuNow();
    db.exec('COMMIT');
    const committed = performance.now();
    const committedCpu = cpuNow();
    return {
      cpu: {
        loadMs: Math.round(loadedCpu - cpuStart),
        indexMs: Math.round(indexedCpu - loadedCpu),
        commitMs: Math.round(committedCpu - indexedCpu),
        insertMs: Math.round(committedCpu - cpuStart),
        tableMs: tableCpuMs,
        indexEachMs: indexEachCpuMs,
      },
      loadMs: Math.round(loaded - insertStart),
      indexMs: Math.round(indexed - loaded),
      commitMs: Math.round(committed - indexed),
      insertMs: Math.round(committed - insertStart),
      tableMs,
      indexEachMs,
      bytes: statSync(target).size,
    };
  } finally {
    db.close();
  }
}

/**
 * A variant of the index's layout for `--parts`: what it leaves out, and what that part serves.
 */
interface LayoutVariant {
  readonly name: string;
  /** Tables left out (with their indexes). */
  readonly withoutTables?: readonly string[];
  /** Indexes left out. */
  readonly withoutIndexes?: readonly string[];
  /** The sessions' `record` column stored empty (the record kept elsewhere). */
  readonly emptyRecord?: boolean;
}

/** The `sessions` table's secondary indexes (queries: find's orders and filters, tree, clear pairing). */
const SESSIONS_SECONDARY_INDEXES = [
  'sessions_by_progress',
  'sessions_by_created',
  'sessions_by_parent',
  'sessions_by_alias',
  'sessions_by_clear_end',
];

/** The variants `--parts` measures, each against the whole layout. */
const VARIANTS: readonly LayoutVariant[] = [
  { name: 'without transcript_uuids', withoutTables: ['transcript_uuids'] },
  { name: 'without events', withoutTables: ['events'] },
  { name: 'without fingerprints', withoutTables: ['fingerprints'] },
  { name: 'record column empty', emptyRecord: true },
  {
    name: 'without the 5 secondary sessions indexes',
    withoutIndexes: SESSIONS_SECONDARY_INDEXES,
  },
  {
    name: 'all of the above left out',
    withoutTables: ['transcript_uuids', 'events', 'fingerprints'],
    emptyRecord: true,
    withoutIndexes: SESSIONS_SECONDARY_INDEXES,
  },
];

/** The tables and indexes of `variant`. */
function variantLayout(
  tables: readonly { readonly sql: string; readonly data: TableRows }[],
  indexes: readonly string[],
  variant: LayoutVariant,
): {
  readonly tables: readonly { readonly sql: string; readonly data: TableRows }[];
  readonly indexes: readonly string[];
} {
  const leftOut = new Set(variant.withoutTables ?? []);
  const kept = tables
    .filter(({ data }) => !leftOut.has(data.name))
    .map((table) => {
      if (variant.emptyRecord !== true || table.data.name !== 'sessions') return table;
      const at = table.data.columns.indexOf('record');
      const rows = table.data.rows.map((row) => row.map((value, i) => (i === at ? '' : value)));
      return { sql: table.sql, data: { ...table.data, rows } };
    });
  const droppedIndexes = new Set(variant.withoutIndexes ?? []);
  const keptIndexes = indexes.filter((sql) => {
    const on = /\bON\s+"?(\w+)"?/i.exec(sql)?.[1] ?? '';
    return !leftOut.has(on) && !droppedIndexes.has(indexName(sql));
  });
  return { tables: kept, indexes: keptIndexes };
}

function main(storeDir: string, scratch: string, parts: boolean): void {
  const logPath = join(storeDir, STORE_FILENAMES.events);
  const parseStart = performance.now();
  const parseCpu = cpuNow();
  const events = parseLog(logPath);
  const parseMs = performance.now() - parseStart;
  const parseCpuMs = Math.round(cpuNow() - parseCpu);

  const { tables, indexes } = readIndex(join(storeDir, STORE_FILENAMES.index));
  const target = join(scratch, 'floor.sqlite');
  const cost = insertInto(target, tables, indexes);
  const round = (ms: number): number => Math.round(ms);
  const rate = (insertMs: number): number => Math.round(events / ((parseMs + insertMs) / 1000));
  const floorMs = parseMs + cost.insertMs;
  const sessions = tables.find((t) => t.data.name === 'sessions')?.data.rows.length ?? 0;
  const variants = parts
    ? VARIANTS.map((variant) => {
        const layout = variantLayout(tables, indexes, variant);
        const { insertMs, loadMs, indexMs, commitMs, bytes, cpu } = insertInto(
          target,
          layout.tables,
          layout.indexes,
        );
        return {
          name: variant.name,
          insertMs,
          loadMs,
          indexMs,
          commitMs,
          bytes,
          eventsPerS: rate(insertMs),
          cpuInsertMs: cpu.insertMs,
        };
      })
    : undefined;
  process.stdout.write(
    `${JSON.stringify({
      ok: true,
      events,
      sessions,
      parseMs: round(parseMs),
      loadMs: cost.loadMs,
      indexMs: cost.indexMs,
      commitMs: cost.commitMs,
      insertMs: cost.insertMs,
      floorMs: round(floorMs),
      eventsPerS: rate(cost.insertMs),
      ...(parts
        ? {
            bytes: cost.bytes,
            parseCpuMs,
            cpu: cost.cpu,
            tableMs: cost.tableMs,
            indexEachMs: cost.indexEachMs,
            rows: Object.fromEntries(tables.map(({ data }) => [data.name, data.rows.length])),
            variants,
          }
        : {}),
    })}\n`,
  );
}

const args = process.argv.slice(2);
const [storeDir, scratch] = args.filter((arg) => !arg.startsWith('--'));
if (storeDir === undefined || scratch === undefined) {
  process.stderr.write('usage: rebuild-floor.ts <store dir> [--parts] <scratch dir>\n');
  process.exitCode = 2;
} else {
  main(storeDir, scratch, args.includes('--parts'));
}
