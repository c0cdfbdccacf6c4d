import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { SessionRecord } from '@sessions-db/projection';
import { CODEX_FIXTURE_HOME, exampleStore } from '../../test-support/harness.js';

const A = '019a3c10-0a00-7000-8000-00000000000a'; // paginated, resumed in the same file
const F = '019a3c10-0f00-7000-8000-00000000000f'; // fork of A
const S = '019a3c10-0500-7000-8000-000000000005'; // sub-agent of A
const L = '019a3c10-0100-7000-8000-000000000001'; // archived, legacy, cut last line
const Z = '019a3c10-0200-7000-8000-000000000002'; // compressed only
const P = '019a3c10-0300-7000-8000-000000000003'; // plain + compressed sibling

function setup() {
  const home = exampleStore();
  cpSync(CODEX_FIXTURE_HOME, join(home.home, '.codex'), { recursive: true });
  return home;
}

interface Summary {
  agent: string;
  counts: Record<string, number>;
  transcripts: { claude_session_id: string; status: string; parent: { kind: string } | null }[];
}

describe('import --agent codex', () => {
  it('records every rollout (dated, archived, compressed) as a codex session with its fork and sub-agent edges and names', async () => {
    const { run, record } = setup();
    const result = await run('import', '--agent', 'codex', '--json');
    expect(result.exitCode).toBe(0);
    const summary = JSON.parse(result.stdout) as Summary;
    expect(summary.agent).toBe('codex');
    expect(summary.counts).toMatchObject({
      transcripts_scanned: 6,
      sessions_new: 6,
      forks_linked: 1,
      skipped: 0,
    });

    const a = await record(A);
    expect(a).toMatchObject({
      agent: 'codex',
      custom_title: 'checkout page and tests',
      first_prompt_preview: 'Add a checkout page to the shop',
      cwd: '/home/dev/shop',
      branch_at_start: 'main',
      created_at: '2026-11-02T09:00:00.000Z',
    });
    expect(await record(F)).toMatchObject({
      agent: 'codex',
      parent_session_id: a.stable_id,
      parent_kind: 'fork',
      custom_title: 'checkout single form',
    });
    expect(await record(S)).toMatchObject({
      parent_session_id: a.stable_id,
      parent_kind: 'subagent',
    });
    expect((await record(L)).first_prompt_preview).toBe('Why does the cart total round wrongly?');
    expect((await record(Z)).transcript_files[0]?.path.endsWith('.jsonl.zst')).toBe(true);
    const plain = await record(P);
    expect(plain.first_prompt_preview).toBe('Plain copy: bump the version');
    expect(plain.transcript_files.map((t) => t.path.endsWith('.jsonl'))).toEqual([true]);
  });

  it('is idempotent: a second run finds everything unchanged', async () => {
    const { run } = setup();
    await run('import', '--agent', 'codex');
    const again = JSON.parse((await run('import', '--agent', 'codex', '--json')).stdout) as Summary;
    expect(again.counts).toMatchObject({ already_known: 6, sessions_new: 0 });
  });

  it('reads every agent whose home exists by default, and --agent filters find', async () => {
    const { run } = setup();
    const result = await run('import', '--json');
    const { imports } = JSON.parse(result.stdout) as { imports: Summary[] };
    expect(imports.map((i) => i.agent)).toEqual(['claude', 'codex']);
    const ids = async (...argv: string[]) =>
      (JSON.parse((await run('find', '--json', '--all', ...argv)).stdout) as SessionRecord[]).map(
        (s) => s.agent ?? 'claude',
      );
    const codex = await ids('--agent', 'codex');
    const claude = await ids('--agent', 'claude');
    expect(codex).toHaveLength(6);
    expect(new Set(codex)).toEqual(new Set(['codex']));
    expect(claude.length).toBe(imports[0]?.counts['sessions_new']);
    expect(new Set(claude)).toEqual(new Set(['claude']));
  });

  it('says where to look when the Codex home is missing', async () => {
    const { run } = setup();
    const result = await run('import', '--agent', 'codex', '--codex-home', 'nowhere', '--json');
    expect(result.exitCode).not.toBe(0);
    expect(result.stdout).toContain('Codex home not found');
  });
});

describe('show and tree name the agent of a Codex session', () => {
  it('show has an agent row for Codex, none for Claude; tree marks Codex nodes', async () => {
    const { run } = setup();
    await run('import');
    const codexShow = (await run('show', A)).stdout;
    expect(codexShow).toMatch(/agent\s+codex/);
    const claudeId =
      (
        JSON.parse(
          (await run('find', '--json', '--agent', 'claude', '--limit', '1')).stdout,
        ) as SessionRecord[]
      )[0]?.stable_id ?? '';
    expect((await run('show', claudeId)).stdout).not.toMatch(/\bagent\b/);
    const tree = (await run('tree', A)).stdout;
    expect(tree.split('\n').filter((line) => line.includes(' codex ')).length).toBe(3);
    expect(tree).toContain('[fork]');
    expect(tree).toContain('[subagent]');
  });
});
