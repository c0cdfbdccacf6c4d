import type { SessionRecord } from '@sessions-db/projection';

import { lookupRows, SESSION_COLUMN_NAMES, sessionColumns } from './index-rows.js';
import type { SqlSink, SqlValue } from './sql-sink.js';

/** Rows per multi-row `INSERT` (3 columns × 256 rows stays far below SQLite's 32766 parameters). */
const ROWS_PER_STATEMENT = 256;

/**
 * Appends rows to one table through multi-row `INSERT … VALUES (…), (…), …` statements: one call
 * into SQLite for every {@link ROWS_PER_STATEMENT} rows instead of one per row (the rebuild writes
 * over a million lookup rows). Values are buffered flat; `flush()` writes what is left. Runs inside
 * the sink's transaction.
 */
class BulkRows {
  private readonly full: string;
  private buffer: SqlValue[] = [];
  private readonly perRow: number;
  private readonly insertHead: string;
  private readonly rowSql: string;

  constructor(
    private readonly sink: SqlSink,
    table: string,
    columns: readonly string[],
  ) {
    this.perRow = columns.length;
    this.insertHead = `INSERT INTO ${table} (${columns.join(', ')}) VALUES `;
    this.rowSql = `(${columns.map(() => '?').join(', ')})`;
    this.full = this.sqlFor(ROWS_PER_STATEMENT);
  }

  /** Buffer one row (its values in column order); writes a full statement's worth when reached. */
  add(...values: SqlValue[]): void {
    for (const value of values) this.buffer.push(value);
    if (this.buffer.length === ROWS_PER_STATEMENT * this.perRow) {
      this.sink.run(this.full, this.buffer);
      this.buffer = [];
    }
  }

  /** Write the buffered rows. */
  flush(): void {
    if (this.buffer.length === 0) return;
    this.sink.run(this.sqlFor(this.buffer.length / this.perRow), this.buffer);
    this.buffer = [];
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
  private readonly session: string;
  private readonly csids: BulkRows;
  private readonly uuids: BulkRows;
  private readonly fingerprints: BulkRows;
  private readonly links: BulkRows;
  private readonly events: BulkRows;

  constructor(private readonly sink: SqlSink) {
    const columns = ['seq', 'stable_id', 'record', ...SESSION_COLUMN_NAMES];
    this.session = `INSERT INTO sessions (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`;
    this.csids = new BulkRows(sink, 'claude_ids', ['csid', 'seq']);
    this.uuids = new BulkRows(sink, 'transcript_uuids', ['uuid', 'seq', 'role']);
    this.fingerprints = new BulkRows(sink, 'fingerprints', ['name', 'value', 'seq']);
    this.links = new BulkRows(sink, 'links', ['kind', 'name', 'seq']);
    this.events = new BulkRows(sink, 'events', ['seq', 'offset']);
  }

  /** Append session `seq` with its record text (`JSON.stringify(record)`) and lookup rows. */
  addSession(seq: number, record: SessionRecord, recordJson: string): void {
    const derived = sessionColumns(record);
    const values: SqlValue[] = [seq, record.stable_id, recordJson];
    for (const name of SESSION_COLUMN_NAMES) values.push(derived[name]);
    this.sink.run(this.session, values);
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
