// End-to-end: the archive outlives the agent's cleanup. `import` archives and indexes the example
// history; once Claude Code deletes a transcript, `show` marks it `archived`, `doctor` counts it,
// `rebuild --content` rebuilds the search index from the archive alone, and `search` still finds it.
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CODEX_FIXTURE_HOME } from '@sessions-db/vitest-config/fixtures';
import { builtCli } from './support/built-cli.js';

const CODEX_FIXTURES = CODEX_FIXTURE_HOME;
const EXAMPLES = join(import.meta.dirname, '..', 'examples', 'claude-home', 'projects');
const CHECKOUT = '24ed44c2-375c-431a-94e6-28a399e663b9';

let home: string;
let store: string;

const { cli, json } = builtCli(
  () => home,
  () => ({
    HOME: home,
    PATH: process.env['PATH'] ?? '',
    SESSIONS_DB_ROOT: store,
    CODEX_HOME: join(home, '.codex'),
  }),
);

interface Check {
  readonly name: string;
  readonly status: string;
  readonly message: string;
}

beforeAll(() => {
  home = mkdtempSync(join(tmpdir(), 'sdb-content-e2e-'));
  store = join(home, 'store');
  cpSync(EXAMPLES, join(home, '.claude', 'projects'), { recursive: true });
  cpSync(CODEX_FIXTURES, join(home, '.codex'), { recursive: true });
  const imported = cli('import');
  expect(imported.status, imported.stderr).toBe(0);
});
afterAll(() => rmSync(home, { recursive: true, force: true }));

describe('the archive after the agent deleted a transcript', () => {
  const transcript = (): string =>
    join(home, '.claude', 'projects', '-home-alex-code-acme-web', `${CHECKOUT}.jsonl`);

  it('show, doctor, rebuild --content and search all still have it', () => {
    const before = json<{ transcripts: { path: string; state: string; in_archive: boolean }[] }>(
      'show',
      CHECKOUT,
    );
    expect(before.transcripts).toEqual([
      { path: transcript(), state: 'present', in_archive: true },
    ]);
    const archiveLine = (): Check | undefined =>
      json<{ checks: Check[] }>('doctor').checks.find((c) => c.name === 'archive');
    expect(archiveLine()?.message).toMatch(/^\d+ transcripts, [\d.]+ [KM]?B on disk for /);
    expect(archiveLine()?.message).not.toMatch(/deleted by the agent/);

    rmSync(transcript());
    const after = json<{ transcripts: { state: string }[] }>('show', CHECKOUT);
    expect(after.transcripts).toMatchObject([{ state: 'archived', in_archive: true }]);
    expect(cli('show', CHECKOUT).stdout).toMatch(
      new RegExp(`\\n {2}archived +.*${CHECKOUT}\\.jsonl\\n`),
    );
    expect(archiveLine()?.message).toMatch(
      /; 1 deleted by the agent, kept only here \(`sessions-db restore`\)$/,
    );

    const rebuilt = json<{ content: { transcripts: number; rows: number; unknown: number } }>(
      'rebuild',
      '--content',
    );
    expect(rebuilt.content.transcripts).toBeGreaterThanOrEqual(7);
    expect(rebuilt.content.rows).toBeGreaterThan(0);
    expect(rebuilt.content.unknown).toBe(0);
    const hits = json<{ stable_id: string; claude_session_id: string }[]>('search', 'CheckoutPage');
    expect(hits.map((hit) => hit.claude_session_id)).toContain(CHECKOUT);
  });
});

describe('Codex CLI sessions in the archive and the content index', () => {
  it('search finds what was said and run in Codex rollouts, and --agent narrows to them', () => {
    const said = json<{ stable_id: string; claude_session_id: string }[]>('search', 'templates');
    expect(said.map((hit) => hit.claude_session_id)).toContain(
      '019a3c10-0500-7000-8000-000000000005',
    );
    const ran = json<{ claude_session_id: string; role: string; snippet: string }[]>(
      'search',
      'rg',
      '--role',
      'tool',
    );
    expect(ran).toContainEqual(
      expect.objectContaining({
        claude_session_id: '019a3c10-0100-7000-8000-000000000001',
        role: 'tool',
      }),
    );
    // "checkout" was said in Claude sessions and in a Codex one.
    const sessions = (...args: string[]): string[] =>
      json<{ claude_session_id: string }[]>('search', 'checkout', ...args).map(
        (hit) => hit.claude_session_id,
      );
    const everyone = sessions();
    const codexOnly = sessions('--agent', 'codex');
    const claudeOnly = sessions('--agent', 'claude');
    expect(codexOnly.length).toBeGreaterThan(0);
    expect(claudeOnly.length).toBeGreaterThan(0);
    expect(codexOnly.every((id) => id.startsWith('019a3c10-'))).toBe(true);
    expect(claudeOnly.some((id) => id.startsWith('019a3c10-'))).toBe(false);
    expect([...codexOnly, ...claudeOnly].sort()).toEqual([...everyone].sort());
  });
});

describe('usage across both agents', () => {
  interface UsageRow {
    key: string;
    tokens: { input: number; output: number; cacheRead: number };
    cost: number | null;
  }
  it('counts a Codex rollout by its cumulative token totals (once), with no price for its model', () => {
    const codex = json<UsageRow[]>('usage', '--agent', 'codex');
    const thread = json<{ session: { stable_id: string } }>(
      'show',
      '019a3c10-0a00-7000-8000-00000000000a',
    ).session.stable_id;
    // Its token_count events: 1200 in (200 cached) / 80 out, then 3000 in (900 cached) / 150 out.
    expect(codex.find((row) => row.key === thread)).toMatchObject({
      tokens: { input: 2100, output: 150, cacheRead: 900 },
      cost: null,
    });
    const claude = json<UsageRow[]>('usage', '--agent', 'claude');
    expect(claude.length).toBeGreaterThan(0);
    expect(claude.every((row) => row.cost !== null)).toBe(true);
    const all = json<UsageRow[]>('usage');
    expect(all.map((row) => row.key).sort()).toEqual(
      [...codex, ...claude].map((row) => row.key).sort(),
    );
  });
});
