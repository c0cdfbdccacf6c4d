import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readTranscriptText } from './read-transcript-text.js';
import type { ReadTranscriptTextOptions, TranscriptTextEntry } from './read-transcript-text.js';
import { fixturePath, makeTempDir } from './test-support/temp-dir.js';

async function collect(
  path: string,
  options?: ReadTranscriptTextOptions,
): Promise<TranscriptTextEntry[]> {
  const entries: TranscriptTextEntry[] = [];
  for await (const entry of readTranscriptText(path, options)) entries.push(entry);
  return entries;
}

describe('readTranscriptText', () => {
  it('yields user and assistant text, skipping tool calls and tool results', async () => {
    const entries = await collect(fixturePath('startup.jsonl'));
    expect(entries.map((entry) => [entry.role, entry.uuid])).toEqual([
      ['user', 'acb7a7cd-a655-45c7-840b-96926791267e'],
      ['assistant', 'b99a9f26-7bbb-4914-9ac0-c85509bff6c0'],
      ['assistant', 'b8d0dc53-8489-44b9-9e2c-fb8b323c8b2f'],
    ]);
    expect(entries[0]?.text).toContain(
      'fix the login redirect loop after the session cookie expires',
    );
    expect(entries[1]).toEqual({
      uuid: 'b99a9f26-7bbb-4914-9ac0-c85509bff6c0',
      timestamp: '2026-08-05T18:06:01.318Z',
      role: 'assistant',
      text: "I'll start by reading the login handler.",
    });
  });

  it('skips meta records and compact summaries', async () => {
    const entries = await collect(fixturePath('compaction.jsonl'));
    expect(entries.map((entry) => entry.text)).toEqual([
      'migrate the orders table to bigint ids',
      'Wrote migration 0042_orders_bigint.sql (up only so far).',
      'continue with the down migration',
      'Added the down migration and a rollback test.',
    ]);
  });

  it('skips a corrupt middle line and a cut last line', async () => {
    expect(await collect(fixturePath('corrupt-middle.jsonl'))).toHaveLength(2);
    const cut = await collect(fixturePath('cut-last-line.jsonl'));
    expect(cut.map((entry) => entry.uuid)).toEqual([
      'b7d903bb-7c28-4632-9c44-7273d2407358',
      'f9130907-fbb8-4d41-a7b1-830633a9f0e5',
    ]);
  });

  it('reads CRLF files', async () => {
    const entries = await collect(fixturePath('crlf.jsonl'));
    expect(entries.map((entry) => entry.text)).toEqual([
      'explain the retry policy in two lines',
      'Three attempts with exponential backoff.\nIdempotent requests only.',
    ]);
  });

  it('gives the same entries whatever the chunk size (lines and UTF-8 split across chunks)', async () => {
    const dir = makeTempDir();
    const path = join(dir, 'utf8.jsonl');
    const source = readFileSync(fixturePath('metadata-rows.jsonl'), 'utf8');
    writeFileSync(path, source.replace(/Renamed/g, 'Umbenannt → 改名 😀'));
    const whole = await collect(path);
    expect(whole.some((entry) => entry.text.includes('改名 😀'))).toBe(true);
    for (const chunkBytes of [1, 7, 64, 1000]) {
      expect(await collect(path, { chunkBytes })).toEqual(whole);
    }
  });

  it('skips lines longer than maxLineBytes and keeps reading after them', async () => {
    const dir = makeTempDir();
    const path = join(dir, 'long-line.jsonl');
    const record = (uuid: string, text: string): string =>
      `${JSON.stringify({ type: 'user', uuid, message: { role: 'user', content: text } })}\n`;
    writeFileSync(
      path,
      record('u-1', 'short') + record('u-2', 'z'.repeat(5000)) + record('u-3', 'after'),
    );
    const entries = await collect(path, { chunkBytes: 256, maxLineBytes: 1024 });
    expect(entries.map((entry) => entry.uuid)).toEqual(['u-1', 'u-3']);
  });

  it('ends quietly for a missing file, a directory and a FIFO', async () => {
    const dir = makeTempDir();
    expect(await collect(join(dir, 'missing.jsonl'))).toEqual([]);
    expect(await collect(dir)).toEqual([]);
    if (process.platform !== 'win32') {
      const fifo = join(dir, 'pipe.jsonl');
      execFileSync('mkfifo', [fifo]);
      expect(await collect(fifo)).toEqual([]);
    }
  });

  it('can be stopped early', async () => {
    const first: TranscriptTextEntry[] = [];
    for await (const entry of readTranscriptText(fixturePath('startup.jsonl'))) {
      first.push(entry);
      break;
    }
    expect(first).toHaveLength(1);
  });
});
