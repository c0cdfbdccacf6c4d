import {
  appendFileSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { archiveKey } from './archive.js';
import {
  extractTranscript,
  openContentIndex,
  openContentIndexReadOnly,
  writeExtracted,
} from './content-index.js';
import { ContentQueryError, searchContent } from './search-content.js';
import { makeTempDir } from './test-support/temp-dir.js';
import {
  assistantLine,
  bashLines,
  codexMessage,
  internalLines,
  jsonl,
  userLine,
} from './test-support/transcript.js';
import { updateContent } from './update-content.js';
import { readMessagePage } from './message-page.js';

function store() {
  const dir = makeTempDir();
  const index = openContentIndex(join(dir, 'content.db'));
  return { dir, archiveDir: join(dir, 'archive'), index };
}

describe('searchContent', () => {
  it('finds a phrase said deep inside a long transcript, an assistant sentence and a Bash command', () => {
    const { dir, archiveDir, index } = store();
    const path = join(dir, 'long.jsonl');
    const lines: string[] = [];
    for (let i = 0; i < 3000; i += 1)
      lines.push(userLine('c1', `ordinary filler prompt number ${String(i)}`));
    lines.push(userLine('c1', 'please fix the OAuth redirect loop on logout'));
    lines.push(assistantLine('c1', 'The callback URL was registered without a trailing slash.'));
    lines.push(
      ...bashLines(
        'c1',
        'pnpm prisma migrate deploy --schema db/schema.prisma',
        'applied 3 migrations',
      ),
    );
    lines.push(...internalLines('c1'));
    writeFileSync(path, jsonl(lines));
    updateContent([{ path, claudeSessionId: 'c1', stableId: 'ses_a' }], { archiveDir, index });

    const deep = searchContent(index, '"OAuth redirect loop"');
    expect(deep).toHaveLength(1);
    expect(deep[0]).toMatchObject({ stable_id: 'ses_a', claude_session_id: 'c1', role: 'user' });
    expect(deep[0]?.snippet).toBe('please fix the [OAuth redirect loop] on logout');

    const sentence = searchContent(index, '"registered without a trailing slash"');
    expect(sentence[0]?.role).toBe('assistant');

    const bash = searchContent(index, '"prisma migrate deploy"', { role: 'tool' });
    expect(bash[0]?.snippet).toBe(
      'Bash pnpm [prisma migrate deploy] --schema db/schema.prisma run it',
    );
    expect(searchContent(index, 'migrate', { role: 'user' })).toEqual([]);

    for (const word of ['internalcaveatword', 'snapshotword', 'summaryword']) {
      expect(searchContent(index, word)).toEqual([]);
    }
    expect(statSync(join(dir, 'content.db')).mode & 0o777).toBe(0o600);
  });

  it('gives one hit per logical session across a legacy resume, with how many more matched', () => {
    const { dir, archiveDir, index } = store();
    const first = join(dir, 'first.jsonl');
    const resumed = join(dir, 'resumed.jsonl');
    const other = join(dir, 'other.jsonl');
    writeFileSync(first, jsonl([userLine('c1', 'tune the flaky websocket test')]));
    writeFileSync(
      resumed,
      jsonl([
        userLine('c2', 'tune the flaky websocket test'),
        assistantLine('c2', 'websocket retries added'),
      ]),
    );
    writeFileSync(
      other,
      jsonl([userLine('c3', 'websocket server in another project', '2026-11-02T00:00:00Z')]),
    );
    updateContent(
      [
        { path: first, claudeSessionId: 'c1', stableId: 'ses_logical' },
        { path: resumed, claudeSessionId: 'c2', stableId: 'ses_logical' },
        { path: other, claudeSessionId: 'c3', stableId: 'ses_other' },
      ],
      { archiveDir, index },
    );
    const hits = searchContent(index, 'websocket');
    expect(hits.map((h) => h.stable_id).sort()).toEqual(['ses_logical', 'ses_other']);
    expect(hits.find((h) => h.stable_id === 'ses_logical')?.more_matches).toBe(2);
    expect(searchContent(index, 'websocket', { stableIds: ['ses_other'] })).toHaveLength(1);
    expect(searchContent(index, 'websocket', { since: '2026-11-02T00:00:00Z' })).toHaveLength(1);
    expect(searchContent(index, 'websocket', { limit: 1 })).toHaveLength(1);
  });

  it('still finds and pages sessions after the original transcripts are deleted', () => {
    const { dir, archiveDir, index } = store();
    const path = join(dir, 's.jsonl');
    writeFileSync(path, jsonl([userLine('c1', 'kubernetes ingress annotations')]));
    const ref = { path, claudeSessionId: 'c1', stableId: 'ses_k' };
    updateContent([ref], { archiveDir, index });
    rmSync(path);
    const again = updateContent([ref], { archiveDir, index });
    expect(again.missing).toBe(1);
    expect(searchContent(index, 'kubernetes')).toHaveLength(1);
    const page = readMessagePage(archiveDir, archiveKey(path));
    expect(page.total).toBe(1);
    expect(page.rows[0]?.text).toBe('kubernetes ingress annotations');
  });

  it('indexes only what is new, and only complete lines', () => {
    const { dir, archiveDir, index } = store();
    const path = join(dir, 's.jsonl');
    const ref = { path, claudeSessionId: 'c1', stableId: 'ses_i' };
    writeFileSync(
      path,
      `${userLine('c1', 'alphaword')}\n${userLine('c1', 'betaword').slice(0, 30)}`,
    );
    expect(updateContent([ref], { archiveDir, index }).indexedRows).toBe(1);
    expect(searchContent(index, 'betaword')).toEqual([]);
    writeFileSync(path, jsonl([userLine('c1', 'alphaword'), userLine('c1', 'betaword')]));
    // rewritten file: a new archive version, indexed from scratch, old rows replaced
    updateContent([ref], { archiveDir, index });
    expect(searchContent(index, 'alphaword')[0]?.more_matches).toBe(0);
    appendFileSync(path, jsonl([userLine('c1', 'gammaword')]));
    expect(updateContent([ref], { archiveDir, index }).indexedRows).toBe(1);
    expect(searchContent(index, 'betaword OR gammaword')[0]?.more_matches).toBe(1);
  });

  it('with archiving off, creates nothing in the archive for a transcript it never archived', () => {
    const { dir, archiveDir, index } = store();
    const path = join(dir, 's.jsonl');
    writeFileSync(path, jsonl([userLine('c1', 'deltaword')]));
    const gone = { path: join(dir, 'gone.jsonl'), claudeSessionId: 'c2', stableId: 'ses_g' };
    const seen: number[] = [];
    const result = updateContent([{ path, claudeSessionId: 'c1', stableId: 'ses_o' }, gone], {
      archiveDir,
      index,
      archive: false,
      onFile: (done) => seen.push(done),
    });
    expect(result).toEqual({ archivedBytes: 0, indexedRows: 0, skippedLocked: 0, missing: 1 });
    expect(seen).toEqual([1, 2]);
    expect(readdirSync(archiveDir)).toEqual([]);
    expect(searchContent(index, 'deltaword')).toEqual([]);
  });

  it('rejects malformed queries with a ContentQueryError that says what is wrong', () => {
    const { index } = store();
    for (const bad of ['"unterminated', 'AND', 'foo AND', 'nosuchcolumn:foo', '(', '   ']) {
      expect(() => searchContent(index, bad)).toThrow(ContentQueryError);
    }
    expect(() => searchContent(index, '"unterminated')).toThrow(/malformed search query/);
    expect(() => searchContent(index, 'text:foo')).toThrow(/quote it, e\.g\. "a:b", or use --role/);
  });
});

describe('openContentIndexReadOnly', () => {
  it('is null for a store that indexed nothing yet, and creates no file', () => {
    const dir = makeTempDir();
    expect(openContentIndexReadOnly(join(dir, 'content.db'))).toBeNull();
    expect(readdirSync(dir)).toEqual([]);
  });

  it('searches what a writer indexed, sees its later commits, and cannot write', () => {
    const { dir, archiveDir, index } = store();
    const path = join(dir, 's.jsonl');
    const ref = { path, claudeSessionId: 'c1', stableId: 'ses_r' };
    writeFileSync(path, jsonl([userLine('c1', 'readonlyalpha')]));
    updateContent([ref], { archiveDir, index });
    index.close();
    const bytes = readFileSync(join(dir, 'content.db'));

    const reader = openContentIndexReadOnly(join(dir, 'content.db'));
    if (reader === null) throw new Error('expected the index to open');
    try {
      expect(searchContent(reader, 'readonlyalpha').map((h) => h.stable_id)).toEqual(['ses_r']);
      expect(() => reader.db.exec('DELETE FROM content_rows')).toThrow(/readonly/i);
      expect(readFileSync(join(dir, 'content.db')).equals(bytes)).toBe(true);

      const writer = openContentIndex(join(dir, 'content.db'));
      appendFileSync(path, jsonl([userLine('c1', 'readonlybeta')]));
      updateContent([ref], { archiveDir, index: writer });
      expect(searchContent(reader, 'readonlybeta')).toHaveLength(1);
      writer.close();
    } finally {
      reader.close();
    }
  });
});

describe('readMessagePage', () => {
  it('pages a Codex rollout in its own format, from the archive', () => {
    const { dir, archiveDir, index } = store();
    const path = join(
      dir,
      'rollout-2026-11-02T09-00-00-019a3c10-0a00-7000-8000-00000000000a.jsonl',
    );
    writeFileSync(
      path,
      jsonl([
        codexMessage('user', 'Add a checkout page'),
        codexMessage('assistant', 'Added CheckoutPage'),
        codexMessage('user', 'Now the tests'),
      ]),
    );
    const ref = {
      path,
      claudeSessionId: '019a3c10-0a00-7000-8000-00000000000a',
      stableId: 'ses_c',
    };
    updateContent([ref], { archiveDir, index });
    rmSync(path);
    const page = readMessagePage(archiveDir, archiveKey(path), { offset: 1, limit: 1 });
    expect(page.total).toBe(3);
    expect(page.rows).toEqual([
      { role: 'assistant', text: 'Added CheckoutPage', ts: '2026-11-02T09:00:05.000Z', uuid: '' },
    ]);
  });
});

describe('extractTranscript and writeExtracted', () => {
  it('index a transcript as indexing it from the archive does: rows, chunk, usage, file states', () => {
    const { dir, archiveDir, index } = store();
    const path = join(dir, 't.jsonl');
    const lines = [
      userLine('c1', 'rotate the signing keys before friday'),
      assistantLine('c1', 'The keys live in the vault; rotating them now.'),
      assistantLine('c1', 'Done: three keys rotated.'),
      ...bashLines('c1', 'vault kv list keys', 'k1 k2 k3'),
      ...internalLines('c1'),
    ];
    // a last line still being written is not indexed by either
    writeFileSync(path, `${jsonl(lines)}{"type":"user","message":`);
    updateContent([{ path, claudeSessionId: 'c1', stableId: 'ses_a' }], { archiveDir, index });

    const other = openContentIndex(join(dir, 'other.db'));
    const key = archiveKey(path);
    const extracted = extractTranscript(
      readFileSync(path),
      { start: 0, from: 0, usageFrom: 0 },
      key,
      false,
    );
    const written = other.db.transaction(() =>
      writeExtracted(
        other,
        key,
        { stableId: 'ses_a', claudeSessionId: 'c1', version: 1 },
        { rows: false, usage: false },
        extracted,
        0,
      ),
    )();
    expect(written.rowsAdded).toBeGreaterThan(3);
    const dump = (db: typeof index.db): unknown[] =>
      [
        'SELECT * FROM content_rows ORDER BY id',
        'SELECT * FROM content_files ORDER BY key',
        'SELECT * FROM usage_responses ORDER BY 1, 2, 3',
        'SELECT * FROM usage_files ORDER BY key',
        'SELECT * FROM content_chunk_files ORDER BY id',
        "SELECT rowid FROM content_chunks WHERE content_chunks MATCH 'vault' ORDER BY rowid",
        "SELECT rowid FROM content_text WHERE content_text MATCH 'keys' ORDER BY rowid",
      ].map((sql) => db.prepare(sql).all());
    const expected = dump(index.db);
    expect((expected[2] as unknown[]).length).toBeGreaterThan(0);
    expect(dump(other.db)).toEqual(expected);
  });
});
