// End-to-end: the archive outlives the agent's cleanup. `import` archives and indexes the example
// history; once Claude Code deletes a transcript, `show` marks it `archived`, `doctor` counts it,
// `rebuild --content` rebuilds the search index from the archive alone, and `search` still finds it.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const BIN = join(import.meta.dirname, '..', 'dist', 'bin.cjs');
const EXAMPLES = join(import.meta.dirname, '..', 'examples', 'claude-home', 'projects');
const CHECKOUT = '24ed44c2-375c-431a-94e6-28a399e663b9';

let home: string;
let store: string;

function cli(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [BIN, ...args], {
    cwd: home,
    env: { HOME: home, PATH: process.env['PATH'] ?? '', SESSIONS_DB_ROOT: store },
    encoding: 'utf8',
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function json<T>(...args: string[]): T {
  const result = cli(...args, '--json');
  expect(result.status, result.stderr).toBe(0);
  return JSON.parse(result.stdout) as T;
}

interface Check {
  readonly name: string;
  readonly status: string;
  readonly message: string;
}

beforeAll(() => {
  home = mkdtempSync(join(tmpdir(), 'sdb-content-e2e-'));
  store = join(home, 'store');
  cpSync(EXAMPLES, join(home, '.claude', 'projects'), { recursive: true });
  expect(cli('import').status).toBe(0);
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
