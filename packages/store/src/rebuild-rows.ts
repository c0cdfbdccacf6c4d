import type Database from 'better-sqlite3';
import type { SessionRecord } from '@sessions-db/projection';

import { lookupRows, SESSION_COLUMN_NAMES, sessionColumns } from './index-rows.js';

/** Rows per multi-row `INSERT` (3 columns × 256 rows stays far below SQLite's 32766 parameters). */
const ROWS_PER_STATEMENT = 256;

/**
 * Appends rows to one table through multi-row `INSERT … VALUES (…), (…), …` statements: one call
 * into SQLite for every {@link ROWS_PER_STATEMENT} rows instead of one per row (the rebuild writes
 * over a million lookup rows). Values are buffered flat; `flush()` writes what is left. Runs inside
 * the caller's transaction.
 */
class BulkRows {
  private readonly full: Database.Statement;
  private readonly buffer: (string | number | null)[] = [];
  private readonly perRow: number;
  private readonly insertHead: string;
  private readonly rowSql: string;

  constructor(
    private readonly db: Database.Database,
    table: string,
    columns: readonly string[],
  ) {
    this.perRow = columns.length;
    this.insertHead = `INSERT INTO ${table} (${columns.join(', ')}) VALUES `;
    this.rowSql = `(${columns.map(() => '?').join(', ')})`;
    this.full = db.prepare(this.sqlFor(ROWS_PER_STATEMENT));
  }

  /** Buffer one row (its values in column order); writes a full statement's worth when reached. */
  add(...values: (string | number | null)[]): void {
    for (const value of values) this.buffer.push(value);
    if (this.buffer.length === ROWS_PER_STATEMENT * this.perRow) {
      this.full.run(this.buffer);
      this.buffer.length = 0;
    }
  }

  /** Write the buffered rows. */
  flush(): void {
    if (this.buffer.length === 0) return;
    this.db.prepare(this.sqlFor(this.buffer.length / this.perRow)).run(this.buffer);
    this.buffer.length = 0;
  }

  private sqlFor(rows: number): string {
    return this.insertHead + Array.from({ length: rows }, () => this.rowSql).join(', ');
  }
}

/**
 * The rebuild's writer: appends each folded session's row, its lookup rows and its event rows to
 * freshly emptied tables (no index yet; the rebuild builds them after), many rows per statement.
 * Call `finish()` before building the indexes. Runs inside the rebuild's transaction.
 */
export class RebuildRows {
  private readonly session: Database.Statement;
  private readonly csids: BulkRows;
  private readonly uuids: BulkRows;
  private readonly fingerprints: BulkRows;
  private readonly links: BulkRows;
  private readonly events: BulkRows;

  constructor(db: Database.Database) {
    const columns = ['seq', 'stable_id', 'record', ...SESSION_COLUMN_NAMES];
    this.session = db.prepare(
      `INSERT INTO sessions (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`,
    );
    this.csids = new BulkRows(db, 'claude_ids', ['csid', 'seq']);
    this.uuids = new BulkRows(db, 'transcript_uuids', ['uuid', 'seq', 'role']);
    this.fingerprints = new BulkRows(db, 'fingerprints', ['name', 'value', 'seq']);
    this.links = new BulkRows(db, 'links', ['kind', 'name', 'seq']);
    this.events = new BulkRows(db, 'events', ['seq', 'offset']);
  }

  /** Append session `seq` with its record text (`JSON.stringify(record)`) and lookup rows. */
  addSession(seq: number, record: SessionRecord, recordJson: string): void {
    const derived = sessionColumns(record);
    const values: (string | number | null)[] = [seq, record.stable_id, recordJson];
    for (const name of SESSION_COLUMN_NAMES) values.push(derived[name]);
    this.session.run(values);
    const rows = lookupRows(record);
    for (const csid of rows.csids) this.csids.add(csid, seq);
    for (const [uuid, role] of rows.uuids) this.uuids.add(uuid, seq, role);
    for (const [name, value] of rows.fingerprints) this.fingerprints.add(name, value, seq);
    for (const [kind, name] of rows.links) this.links.add(kind, name, seq);
  }

  /** Append that the event at `offset` belongs to session `seq`. */
  addEvent(seq: number, offset: number): void {
    this.events.add(seq, offset);
  }

  /** Write every buffered row. */
  finish(): void {
    for (const rows of [this.csids, this.uuids, this.fingerprints, this.links, this.events])
      rows.flush();
  }
}
