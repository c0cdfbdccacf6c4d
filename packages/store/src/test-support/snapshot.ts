import { cpSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { expect } from 'vitest';
import { openStore } from '../open-store.js';
import { storePathsIn } from '../paths.js';
import { REBUILT_TABLES } from '../schema.js';

/** Every table of an index as sorted rows, for "index equals rebuild" comparisons. */
export function snapshotIndex(indexPath: string): Record<string, unknown[]> {
  const db = new Database(indexPath, { readonly: true });
  try {
    const out: Record<string, unknown[]> = {};
    // Every rebuilt table; the bookkeeping in `meta` is compared below, and log issues carry the
    // line numbers of the run that met them.
    for (const table of REBUILT_TABLES.filter((t) => t !== 'meta' && t !== 'log_issues')) {
      // Rows as written, seq included: live writes and a rebuild must assign the same seqs.
      const rows = db.prepare(`SELECT * FROM ${table}`).all() as Record<string, unknown>[];
      out[table] = rows.map((row) => JSON.stringify(row)).sort();
    }
    const meta = db
      .prepare(`SELECT key, value FROM meta WHERE key IN ('log_offset', 'last_event_offset')`)
      .all();
    out['meta'] = meta.map((m) => JSON.stringify(m)).sort();
    const projectionMeta = db
      .prepare(`SELECT value FROM meta WHERE key = 'projection_meta'`)
      .get() as { value: string } | undefined;
    if (projectionMeta !== undefined) out['projection_meta'] = [projectionMeta.value];
    const order = db.prepare('SELECT stable_id FROM sessions ORDER BY seq').all();
    out['order'] = order.map((r) => JSON.stringify(r));
    return out;
  } finally {
    db.close();
  }
}

/**
 * Copy the event log at `eventsPath` into `<scratch>/rebuilt` and let `openStore` build a fresh
 * index from it; returns that index's {@link snapshotIndex}.
 */
export function rebuiltSnapshot(eventsPath: string, scratch: string): Record<string, unknown[]> {
  const copy = join(scratch, 'rebuilt');
  cpSync(eventsPath, join(copy, 'sessions-db-events.jsonl'));
  openStore(storePathsIn(copy, 'arg')).close();
  return snapshotIndex(join(copy, 'sessions-db.sqlite'));
}

/**
 * Assert that the stores `<root>/<a>` and `<root>/<b>` hold the same log, byte for byte, and the
 * same index, and that this index equals what a rebuild of the log gives.
 */
export function expectSameStores(root: string, a: string, b: string): void {
  const log = (name: string) => readFileSync(join(root, name, 'sessions-db-events.jsonl'));
  expect(log(a)).toEqual(log(b));
  const live = snapshotIndex(join(root, a, 'sessions-db.sqlite'));
  expect(live).toEqual(snapshotIndex(join(root, b, 'sessions-db.sqlite')));
  expect(rebuiltSnapshot(join(root, a, 'sessions-db-events.jsonl'), root)).toEqual(live);
}
