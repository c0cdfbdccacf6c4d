import { readFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exampleStore } from '../../test-support/harness.js';
import { createPaint } from '../../format/colors.js';
import { highlightSnippet } from './search-data.js';

const C1 = '0b58b276-5b06-4814-8e9c-08e240d64658'; // legacy original
const C2 = 'aaa38585-8c7f-4aad-b911-7e9e67edd128'; // legacy resume copy

interface Hit {
  stable_id: string;
  claude_session_id: string;
  label: string | null;
  role: string;
  snippet: string;
  more_matches: number;
}

function setup() {
  const home = exampleStore();
  const { run } = home;
  return { ...home, run };
}

describe('search and restore', () => {
  it('finds one hit per logical session across a legacy resume, after the originals are deleted, and restores them', async () => {
    const { run, projects } = setup();
    expect((await run('import', '--quiet')).exitCode).toBe(0);
    const dir = join(projects, '-home-alex-code-acme-api');
    const originals = new Map(
      [C1, C2].map((id) => [id, readFileSync(join(dir, `${id}.jsonl`))] as const),
    );
    const show = JSON.parse((await run('show', C1, '--json')).stdout) as {
      session: { stable_id: string };
    };
    const hits = JSON.parse(
      (await run('search', '"last_login_at column"', '--json')).stdout,
    ) as Hit[];
    expect(hits.filter((h) => h.stable_id === show.session.stable_id)).toHaveLength(1);
    expect(hits.find((h) => h.stable_id === show.session.stable_id)?.more_matches).toBeGreaterThan(
      0,
    );

    for (const id of [C1, C2]) rmSync(join(dir, `${id}.jsonl`));
    const after = JSON.parse(
      (await run('search', '"last_login_at column"', '--json')).stdout,
    ) as Hit[];
    expect(after.map((h) => h.stable_id)).toEqual(hits.map((h) => h.stable_id));
    const text = await run('search', 'last_login_at', '--session', C1);
    expect(text.stdout, text.stdout).toMatch(/\[last_login_at\]/);

    const restored = await run('restore', C1, '--json');
    expect(restored.exitCode).toBe(0);
    for (const [id, bytes] of originals) {
      expect(readFileSync(join(dir, `${id}.jsonl`)).equals(bytes)).toBe(true);
    }
    expect(readdirSync(dir)).toContain(`${C2}.jsonl`);
  });

  it('gives exit 2 and a clear message for a malformed query or a bad flag', async () => {
    const { run } = setup();
    await run('import', '--quiet');
    for (const bad of ['"unterminated', 'AND', 'nosuch:word']) {
      const result = await run('search', bad);
      expect(result.exitCode).toBe(2);
      expect(result.stderr).toMatch(/malformed search query/);
      expect(result.stderr).not.toMatch(/at .*\.ts:\d+/);
    }
    expect((await run('search', 'x', '--role', 'robot')).exitCode).toBe(2);
  });
});

describe('highlightSnippet', () => {
  it('marks the match and keeps the spaces around it; controls and newlines fold to one space', () => {
    const snippet = 'the redirect \u0002loops\u0003 forever\n\u001b[2J after';
    expect(highlightSnippet(snippet, createPaint(false))).toBe(
      'the redirect [loops] forever [2J after',
    );
    expect(highlightSnippet(snippet, createPaint(true))).toBe(
      `the redirect ${createPaint(true).yellow('loops')} forever [2J after`,
    );
  });
});
