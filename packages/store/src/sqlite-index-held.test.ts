/**
 * The held row of `SqliteIndex` (a fold's last session row, not yet written): every reader sees it
 * as if it were written, and no reader is handed the fold's own record.
 */
import { newEvent } from '@sessions-db/event-log';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';

import { configureConnection, ensureSchema } from './schema.js';
import { createSqliteIdentityIndex } from './sqlite-identity-index.js';
import { SqliteIndex } from './sqlite-index.js';
import type { IndexState, LoggedLine } from './sqlite-index.js';

const CSID = '5b1c9e2a-0d4f-4c31-9a7e-000000000001';
const [A, B] = [
  'sess_01970000-0000-7000-8000-00000000000a',
  'sess_01970000-0000-7000-8000-00000000000b',
];

let offset = 0;
/** A `session_seen` of `stableId` holding Claude session id `csid`, as a parsed log line. */
function seen(stableId: string, csid: string, extra: object = {}): LoggedLine {
  offset += 100;
  const value = newEvent({
    op: 'session_seen',
    stable_id: stableId,
    payload: { claude_session_id: csid, ...extra },
    ts: '2026-05-10T10:00:00.000Z',
  });
  return { value, offset, lineOf: () => offset / 100 };
}

const open: Database.Database[] = [];
afterEach(() => {
  for (const db of open.splice(0)) db.close();
});

function indexes(): { rows: SqliteIndex; state: IndexState; count: () => number } {
  const db = new Database(':memory:');
  open.push(db);
  configureConnection(db, 0);
  ensureSchema(db);
  const rows = new SqliteIndex(db);
  const count = (): number => db.prepare('SELECT count(*) FROM sessions').pluck().get() as number;
  return { rows, state: rows.readState(), count };
}

describe('the held row', () => {
  it('is read as a copy, written once, and what the exact lookup finds until another session holds the id', () => {
    const { rows, state, count } = indexes();
    const identity = createSqliteIdentityIndex(rows.db, rows);
    rows.applyLogged([seen(A, CSID)], state, true);
    expect(count()).toBe(0);
    expect(identity.findByClaudeSessionId(CSID).map((c) => c.stable_id)).toEqual([A]);

    const copy = rows.getRecord(A);
    expect(copy?.claude_session_ids).toEqual([CSID]);
    if (copy !== undefined) copy.claude_session_ids = ['mutated'];
    expect(rows.getRecord(A)?.claude_session_ids).toEqual([CSID]);

    // The next fold goes on with the held session; the row is written once, at the end.
    rows.applyLogged([seen(A, CSID, { cwd: '/home/dev/api' })], state, false);
    expect(count()).toBe(1);
    expect(rows.getRecord(A)).toMatchObject({ claude_session_ids: [CSID], cwd: '/home/dev/api' });

    // B, held, holds the same id as the written A: the lookup writes B and answers both.
    rows.applyLogged([seen(B, CSID)], state, true);
    expect(identity.findByClaudeSessionId(CSID).map((c) => c.stable_id)).toEqual([A, B]);
    expect(count()).toBe(2);
  });

  it('is written before any other lookup or read of the rows, and dropped without a write', () => {
    const { rows, state, count } = indexes();
    const identity = createSqliteIdentityIndex(rows.db, rows);
    rows.applyLogged([seen(A, CSID)], state, true);
    expect(identity.findByFingerprint('first_human_prompt_v1', 'fp')).toEqual([]);
    expect(count()).toBe(1);
    rows.applyLogged([seen(B, 'other')], state, true);
    expect(rows.dropHeld()).toBe(true);
    expect(rows.getRecord(B)).toBeUndefined();
    expect(count()).toBe(1);
  });
});
