import {
  appendFileSync,
  copyFileSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { foldEvents, serializeProjection } from '@sessions-db/projection';
import { escapeJsonControls, parseLog } from '@sessions-db/event-log';

import Database from 'better-sqlite3';

import { openStore } from './open-store.js';
import { INDEX_SCHEMA_VERSION } from './schema.js';
import { storePathsIn } from './paths.js';
import type { SessionsStore, StorePaths } from './types.js';
import { csid, seenPayload, startFacts, uuid } from './test-support/fixtures.js';
import { tempDir } from './test-support/temp-dir.js';
import { snapshotIndex } from './test-support/snapshot.js';

const PROJECTION_FIXTURES = new URL('../../projection/src/fixtures/', import.meta.url).pathname;

/** What `exportProjection` writes, as text. */
async function exportText(store: ReturnType<typeof openStore>): Promise<string> {
  const chunks: string[] = [];
  const sink = {
    write: (c: string) => (chunks.push(c), true),
    once: () => undefined,
  } as unknown as NodeJS.WritableStream;
  await store.exportProjection(sink);
  return chunks.join('');
}

function storeDir(): string {
  const dir = tempDir();
  return join(dir, 'store');
}

/** A store on disk holding one recorded session, still open. */
function openWithOneSession(): {
  dir: string;
  paths: StorePaths;
  store: SessionsStore;
  id: string;
} {
  const dir = storeDir();
  const paths = storePathsIn(dir, 'arg');
  const store = openStore(paths);
  const id = csid();
  store.recordSessionSeen({ facts: startFacts(id), payload: seenPayload(id) });
  return { dir, paths, store, id };
}

/** A store on disk holding one recorded session (closed again). */
function storeWithOneSession(): { dir: string; paths: StorePaths; id: string } {
  const { store, ...stored } = openWithOneSession();
  store.close();
  return stored;
}

/** How many sessions an index file holds (opened read-only). */
function sessionsIn(indexFile: string): number | undefined {
  const db = new Database(indexFile, { readonly: true });
  const n = db.prepare<[], { n: number }>('SELECT count(*) AS n FROM sessions').get()?.n;
  db.close();
  return n;
}

function withoutUpdated(text: string): unknown {
  const value = JSON.parse(text) as { _meta: Record<string, unknown> };
  value._meta['updated'] = '<updated>';
  return value;
}

describe('rebuild and export', () => {
  for (const name of ['original-ops', 'additive-ops']) {
    it(`a log of ${name} rebuilds into the expected sessions-db.json (same text as the pure fold)`, async () => {
      const dir = storeDir();
      mkdirSync(dir, { recursive: true });
      copyFileSync(
        join(PROJECTION_FIXTURES, `${name}.jsonl`),
        join(dir, 'sessions-db-events.jsonl'),
      );
      const paths = storePathsIn(dir, 'arg');
      const store = openStore(paths);
      const result = await store.rebuild();
      expect(result).toMatchObject({ ok: true, toleratedCorruptions: 0 });
      const written = readFileSync(paths.projectionPath, 'utf8');
      const expected = readFileSync(join(PROJECTION_FIXTURES, `${name}.expected.json`), 'utf8');
      expect(withoutUpdated(written)).toEqual(withoutUpdated(expected));
      const folded = foldEvents(parseLog(readFileSync(paths.eventsPath, 'utf8')).events).projection;
      const pure = serializeProjection(folded);
      expect(written.replace(/"updated": "[^"]*"/, '"updated": ""')).toBe(
        pure.replace(/"updated": "[^"]*"/, '"updated": ""'),
      );
      store.close();
    });
  }

  it('our own log read back by rebuild equals the live index, and export equals the pure fold', async () => {
    const dir = storeDir();
    const paths = storePathsIn(dir, 'arg');
    const store = openStore(paths);
    const ids: string[] = [];
    for (let i = 0; i < 20; i += 1) {
      const id = csid();
      const r = store.recordSessionSeen({
        facts: startFacts(id, {
          cwd: `/repo/${i % 3}`,
          firstUuid: uuid('r', i),
          lastUuid: uuid('r', i + 100),
        }),
        payload: seenPayload(id, {
          cwd: `/repo/${i % 3}`,
          transcript_file: {
            path: `/t/${id}.jsonl`,
            first_uuid: uuid('r', i),
            last_uuid: uuid('r', i + 100),
            size: 10,
            mtime: '2026-05-10T09:00:00.000Z',
            status: 'ok',
          },
        }),
      });
      if (!r.ok) throw new Error(r.error.message);
      ids.push(r.stableId);
    }
    store.setAlias(ids[0]!, 'first');
    store.linkSession(ids[1]!, { tasks: ['T-1'], projects: ['p'] });
    store.unlinkSession(ids[1]!, { projects: ['p'] });
    store.setParent(ids[2]!, ids[0]!);
    store.closeSession(ids[3]!, { outcome: 'merged', reason: 'done' });
    store.reopenSession(ids[3]!);
    store.runSweep({ now: Date.parse('2027-01-01T00:00:00.000Z') });
    const live = snapshotIndex(paths.indexPath);
    const liveExport = readFileSync(paths.eventsPath, 'utf8');
    const exported = await exportText(store);
    const rebuilt = await store.rebuild();
    expect(rebuilt).toMatchObject({ ok: true, sessionCount: 20 });
    expect(snapshotIndex(paths.indexPath)).toEqual(live);
    const pure = serializeProjection(foldEvents(parseLog(liveExport).events).projection);
    expect(exported.replace(/"updated": "[^"]*"/, '')).toBe(pure.replace(/"updated": "[^"]*"/, ''));
    store.close();
  });

  it('writes every session of sessions-db.json in creation order, whatever its id, across batches', async () => {
    const dir = storeDir();
    mkdirSync(dir, { recursive: true });
    // Ids an object would reorder (array indexes) or treat specially, among ordinary ones, and
    // more sessions than one pretty-printed batch holds.
    const odd = ['7', '__proto__', '0', '4294967295', 'constructor', '12', 'sess_\u2028x'];
    const ids = Array.from(
      { length: 600 },
      (_, i) => (i % 80 === 0 && odd[i / 80]) || `sess_${600 - i}`,
    );
    const lines = ids.map((id, i) =>
      JSON.stringify({
        ts: new Date(Date.UTC(2026, 4, 10, 9, 0, i)).toISOString(),
        event_id: `evt_${String(i).padStart(6, '0')}`,
        op: 'alias_set',
        stable_id: id,
        payload: { alias: `a\u202e${i}` },
      }),
    );
    writeFileSync(join(dir, 'sessions-db-events.jsonl'), `${lines.join('\n')}\n`);
    const paths = storePathsIn(dir, 'arg');
    const store = openStore(paths);
    expect(await store.rebuild()).toMatchObject({ ok: true, sessionCount: 600 });
    const written = readFileSync(paths.projectionPath, 'utf8');
    // The layout of JSON.stringify(projection, null, 2), each session in its place.
    const { sessions } = foldEvents(parseLog(lines.join('\n')).events).projection;
    const entries = ids.map((id) => {
      const record = Object.getOwnPropertyDescriptor(sessions, id)?.value as unknown;
      const pretty = JSON.stringify(record, null, 2).replace(/\n/g, '\n    ');
      return `\n    ${JSON.stringify(id)}: ${pretty}`;
    });
    const body = escapeJsonControls(`  "sessions": {${entries.join(',')}\n  }\n}`);
    expect(written.slice(written.indexOf('\n  "sessions": {') + 1)).toBe(body);
    expect(written).not.toMatch(/[\u2028\u202e]/);
    const exported = await exportText(store);
    expect(exported.replace(/"updated": "[^"]*"/, '')).toBe(
      written.replace(/"updated": "[^"]*"/, ''),
    );
    store.close();
  });

  it('keeps apart interleaved sessions whose ids differ by a letter case, a digit or one UTF-16 unit, and reads a line longer than 64 KiB', async () => {
    const dir = storeDir();
    mkdirSync(dir, { recursive: true });
    const minted = 'sess_01941f2a-76bc-708c-b38a-5ec25c7970b2';
    const ids = [
      minted,
      minted.toUpperCase(),
      `${minted.slice(0, -1)}3`,
      'sess_\ud800',
      'sess_\udc00',
      'sess_\ufffd',
      'sess_\u0161',
      'sess_a\u0001',
    ];
    const lines: string[] = [];
    for (let round = 0; round < 3; round += 1) {
      ids.forEach((id, k) => {
        const i = lines.length;
        // One alias far longer than a 16-bit line length, in the middle of the log.
        const alias = round === 1 && k === 2 ? 'x'.repeat(70_000) : `a${round}-${k}`;
        lines.push(
          JSON.stringify({
            ts: new Date(Date.UTC(2026, 4, 10, 9, 0, i)).toISOString(),
            event_id: `evt_${String(i).padStart(6, '0')}`,
            op: 'alias_set',
            stable_id: id,
            payload: { alias },
          }),
        );
      });
    }
    writeFileSync(join(dir, 'sessions-db-events.jsonl'), `${lines.join('\n')}\n`);
    const paths = storePathsIn(dir, 'arg');
    const store = openStore(paths);
    expect(await store.rebuild()).toMatchObject({ ok: true, sessionCount: ids.length });
    const written = readFileSync(paths.projectionPath, 'utf8');
    const pure = serializeProjection(foldEvents(parseLog(lines.join('\n')).events).projection);
    expect(written.replace(/"updated": "[^"]*"/, '')).toBe(pure.replace(/"updated": "[^"]*"/, ''));
    const db = new Database(paths.indexPath, { readonly: true });
    const rows = db
      .prepare<[], { stable_id: string; alias: string }>(
        'SELECT stable_id, alias FROM sessions ORDER BY seq',
      )
      .all();
    db.close();
    // (SQLite's text is UTF-8: a lone surrogate is stored replaced, so those ids are compared above.)
    expect(rows.map((row) => row.stable_id).filter((id) => ids.includes(id))).toEqual(
      ids.filter((id) => !/[\ud800-\udfff]/.test(id)),
    );
    expect(rows.map((row) => row.alias)).toEqual(ids.map((_, k) => `a2-${k}`));
    store.close();
  });

  it("reads a line whose head our writer's layout shows, but which repeats an envelope key further on, as JSON.parse does (live open and rebuild)", async () => {
    const dir = storeDir();
    mkdirSync(dir, { recursive: true });
    const head = (i: number, id: string, op = 'alias_set'): string =>
      `{"ts":"2026-05-10T09:00:0${i}.000Z","event_id":"evt_${i}","op":"${op}","stable_id":"${id}"`;
    const lines = [
      `${head(1, 'sess_a')},"payload":{"alias":"a1"}}`,
      // The last stable_id wins: spelled plainly, then with an escape.
      `${head(2, 'sess_a')},"payload":{"alias":"b2"},"stable_id":"sess_b"}`,
      `${head(3, 'sess_a')},"payload":{"alias":"c3"},"st\\u0061ble_id":"sess_c"}`,
      // A later event_id: the replay guard and _meta follow it.
      `${head(4, 'sess_a')},"payload":{"alias":"a4"},"event_id":"evt_9"}`,
      `${head(5, 'sess_a')},"payload":{"alias":"a5"},"ts":7,"op":"session_link"}`,
      `${head(6, 'sess_d')},"payload":{"alias":"d6"}}`,
    ];
    writeFileSync(join(dir, 'sessions-db-events.jsonl'), `${lines.join('\n')}\n`);
    const paths = storePathsIn(dir, 'arg');
    // No index yet: opening rebuilds it (without sessions-db.json).
    const store = openStore(paths);
    const opened = snapshotIndex(paths.indexPath);
    expect(await store.rebuild()).toMatchObject({ ok: true, sessionCount: 4 });
    expect(snapshotIndex(paths.indexPath)).toEqual(opened);
    const written = readFileSync(paths.projectionPath, 'utf8');
    const folded = foldEvents(parseLog(lines.join('\n')).events).projection;
    expect(Object.keys(folded.sessions)).toEqual(['sess_a', 'sess_b', 'sess_c', 'sess_d']);
    expect(folded._meta.last_event_id).toBe('evt_6');
    const pure = serializeProjection(folded);
    expect(written.replace(/"updated": "[^"]*"/, '')).toBe(pure.replace(/"updated": "[^"]*"/, ''));
    expect(store.getSession('sess_b')).toMatchObject({ ok: true, session: { alias: 'b2' } });
    store.close();
  });

  it('refuses a middle line that starts as an event but is not JSON, as when every line is parsed', async () => {
    const { dir, paths, store } = openWithOneSession();
    appendFileSync(
      paths.eventsPath,
      '{"ts":"2026-05-10T09:00:00.000Z","event_id":"evt_x","op":"alias_set","stable_id":"sess_x","payload":{"alias":}}\n',
    );
    const b = csid();
    store.recordSessionSeen({ facts: startFacts(b), payload: seenPayload(b) });
    const before = snapshotIndex(paths.indexPath);
    const filesBefore = readdirSync(dir).sort();
    const result = await store.rebuild();
    expect(result).toMatchObject({
      ok: false,
      error: { code: 'LOG_CORRUPTED', message: expect.stringContaining('line 2') },
    });
    expect(snapshotIndex(paths.indexPath)).toEqual(before);
    // Neither attempt left a sessions-db.json (temp file or not) behind.
    expect(readdirSync(dir).sort()).toEqual(filesBefore);
    store.close();
  });

  it('refuses to rebuild over a middle corruption, naming the line, and leaves the index and sessions-db.json untouched', async () => {
    const { dir, paths, store } = openWithOneSession();
    expect(await store.rebuild()).toMatchObject({ ok: true, sessionCount: 1 });
    const projectionBefore = readFileSync(paths.projectionPath, 'utf8');
    const filesBefore = readdirSync(dir).sort();
    appendFileSync(paths.eventsPath, '{"ts":"2026-05-10T09:00:00.000Z","op":"alias_se\n');
    const b = csid();
    store.recordSessionSeen({ facts: startFacts(b), payload: seenPayload(b) });
    const before = snapshotIndex(paths.indexPath);
    expect(store.stats().logIssues).toMatchObject([{ kind: 'middle_corruption', line: 2 }]);
    const result = await store.rebuild();
    expect(result).toMatchObject({
      ok: false,
      error: { code: 'LOG_CORRUPTED', message: expect.stringContaining('line 2') },
    });
    expect(snapshotIndex(paths.indexPath)).toEqual(before);
    expect(store.hasClaudeSession(b)).toBe(true);
    // The projection's temp file is gone and the old file is as it was.
    expect(readFileSync(paths.projectionPath, 'utf8')).toBe(projectionBefore);
    expect(readdirSync(dir).sort()).toEqual(filesBefore);
    store.close();
  });

  it('tolerates a tail fragment left by a dead writer: the next write repairs it and rebuild succeeds', async () => {
    const { paths, store } = openWithOneSession();
    appendFileSync(
      paths.eventsPath,
      '{"ts":"2026-05-10T09:00:00.000Z","event_id":"evt_x","op":"sess',
    );
    const b = csid();
    expect(store.recordSessionSeen({ facts: startFacts(b), payload: seenPayload(b) }).ok).toBe(
      true,
    );
    const result = await store.rebuild();
    expect(result).toMatchObject({
      ok: true,
      sessionCount: 2,
      corruptions: [{ kind: 'repaired_fragment', tolerated: true }],
    });
    store.close();
  });

  it('replaces an index of an older layout by a rebuild from the log', () => {
    const { paths, id } = storeWithOneSession();
    const old = new Database(paths.indexPath);
    old.exec('DROP TABLE claude_ids; CREATE TABLE claude_ids (csid TEXT, stable_id TEXT)');
    old.pragma('user_version = 1');
    old.close();
    const reopened = openStore(paths);
    expect(reopened.getSession(id)).toMatchObject({ ok: true, matchedBy: 'claude_session_id' });
    expect(reopened.health().schemaVersion).toBe(INDEX_SCHEMA_VERSION);
    reopened.close();
  });

  it('rebuilds by itself when the index is deleted, the log is replaced, or the log is truncated', () => {
    const dir = storeDir();
    const paths = storePathsIn(dir, 'arg');
    let store = openStore(paths);
    const ids = [csid(), csid(), csid()];
    for (const id of ids)
      store.recordSessionSeen({ facts: startFacts(id), payload: seenPayload(id) });
    store.close();
    const log = readFileSync(paths.eventsPath, 'utf8');
    const lines = log.trimEnd().split('\n');

    writeFileSync(paths.eventsPath, `${lines[0]}\n${lines[1]}\n`);
    store = openStore(paths);
    expect(store.stats()).toMatchObject({ sessions: 2, events: 2 });
    expect(store.indexRecovery?.reason).toMatch(/no longer holds the 3 event/);
    store.close();

    writeFileSync(paths.eventsPath, `${lines[2]}\n${lines[1]}\n`);
    store = openStore(paths);
    expect(store.hasClaudeSession(ids[2]!)).toBe(true);
    expect(store.hasClaudeSession(ids[0]!)).toBe(false);
    expect(store.indexRecovery).not.toBeNull();
    store.close();

    // Each index the log no longer described was kept aside, whole.
    const aside = readdirSync(dir).filter((name) => name.includes('.sqlite.replaced-'));
    expect(aside).toHaveLength(2);
    const counts = aside.map((name) => sessionsIn(join(dir, name)));
    expect(counts.sort()).toEqual([2, 3]);
    store = openStore(paths);
    expect(store.indexRecovery).toBeNull();
    store.close();
  });

  it('an emptied log never silently empties the index: the old index is kept aside', () => {
    const { paths } = storeWithOneSession();
    writeFileSync(paths.eventsPath, '');
    const emptied = openStore(paths);
    expect(emptied.stats().sessions).toBe(0);
    expect(emptied.indexRecovery).toMatchObject({
      movedTo: expect.stringContaining('sessions-db.sqlite.replaced-'),
      reason: expect.stringMatching(/emptied, truncated or replaced/),
    });
    const movedTo = emptied.indexRecovery?.movedTo ?? '';
    emptied.close();
    expect(sessionsIn(movedTo)).toBe(1);
  });
});
