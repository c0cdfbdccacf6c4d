import {
  appendFileSync,
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { SessionRecord } from '@sessions-db/projection';
import { createDeps } from '../../create-deps.js';
import { exampleStore, NOW, runCli } from '../../test-support/harness.js';

const B = 'ee73bb9c-e11a-4b60-953d-3a1432371070'; // modern resume, the fork origin
const D = 'f3c6fd46-875c-4307-a483-67e5a4e7788d'; // fork of B
const C1 = '0b58b276-5b06-4814-8e9c-08e240d64658'; // legacy original
const C2 = 'aaa38585-8c7f-4aad-b911-7e9e67edd128'; // legacy resume copy

interface Summary {
  ok: boolean;
  counts: Record<string, number>;
  skipped_by_reason: Record<string, number>;
  transcripts: {
    claude_session_id: string;
    status: string;
    subagents: number;
    stable_id: string | null;
  }[];
}

describe('import', () => {
  it('records the example history oldest first, links the legacy resume and the fork, attaches subagents', async () => {
    const { run, record } = exampleStore();
    const result = await run('import', '--json');
    expect(result.exitCode).toBe(0);
    const summary = JSON.parse(result.stdout) as Summary;
    expect(summary.counts).toEqual({
      transcripts_scanned: 7,
      sessions_new: 6,
      resumes_linked: 1,
      forks_linked: 1,
      sessions_updated: 0,
      already_known: 0,
      subagent_transcripts: 2,
      subagents_without_parent: 0,
      skipped: 0,
    });
    expect(summary.transcripts.find((t) => t.claude_session_id === B)?.subagents).toBe(2);

    const origin = await record(B);
    const fork = await record(D);
    expect(fork).toMatchObject({
      parent_session_id: origin.stable_id,
      parent_kind: 'fork',
      ai_title: 'Scoped session middleware experiment',
    });
    expect(origin).toMatchObject({
      custom_title: 'login-redirect-loop',
      created_at: '2026-03-02T09:14:03.120Z',
      last_progress_at: '2026-03-03T08:04:25.050Z',
      cwd: '/home/alex/code/acme-api',
      branch_at_start: 'fix/login-redirect',
    });
    const legacy = await record(C1);
    expect((await record(C2)).stable_id).toBe(legacy.stable_id);
    expect(legacy.claude_session_ids).toEqual([C1, C2]);
    expect(legacy.last_progress_at).toBe('2026-01-13T08:49:12.888Z');

    const found = JSON.parse((await run('find', '--json')).stdout) as SessionRecord[];
    expect(found).toHaveLength(6);
  });

  it('records nothing new on a second run (idempotent), and refreshes a transcript that grew', async () => {
    const { run, projects } = exampleStore();
    await run('import', '--quiet');
    const eventsAfterFirst = JSON.parse((await run('doctor', '--json')).stdout).health
      .events as number;
    const second = JSON.parse((await run('import', '--json')).stdout) as Summary;
    expect(second.counts).toMatchObject({
      sessions_new: 0,
      already_known: 7,
      sessions_updated: 0,
      resumes_linked: 0,
      forks_linked: 0,
    });
    expect(JSON.parse((await run('doctor', '--json')).stdout).health.events).toBe(eventsAfterFirst);

    const file = join(projects, '-home-alex-code-acme-api', `${B}.jsonl`);
    appendFileSync(
      file,
      `${JSON.stringify({ type: 'custom-title', customTitle: 'oauth-cookie-path', sessionId: B })}\n`,
    );
    const third = JSON.parse((await run('import', '--json')).stdout) as Summary;
    expect(third.counts).toMatchObject({ sessions_new: 0, already_known: 6, sessions_updated: 1 });
    expect((await run('find', '--text', 'oauth-cookie-path', '--json')).stdout).toContain(
      '"custom_title": "oauth-cookie-path"',
    );
  });

  it('prints a readable summary', async () => {
    const { run } = exampleStore();
    const { stdout } = await run('import');
    expect(stdout).toContain('  transcripts scanned          7\n');
    expect(stdout).toContain('  sessions new                 6\n');
    expect(stdout).toMatch(/ {2}forks linked {17}1 {2}new session, parent = origin\n/);
    expect(stdout).toMatch(/ {2}subagent transcripts {9}2 {2}attached to 1 session\n/);
    expect(stdout).toContain(`[fork]   ${D}`);
    expect(stdout).toContain(`[resume] ${C2}  joined sess_`);
  });

  it('writes nothing with --dry-run', async () => {
    const { run, storeDir } = exampleStore();
    const result = await run('import', '--dry-run', '--json');
    expect(result.exitCode).toBe(0);
    const summary = JSON.parse(result.stdout) as Summary & { dry_run: boolean };
    expect(summary.dry_run).toBe(true);
    expect(summary.counts).toMatchObject({
      transcripts_scanned: 7,
      sessions_new: 7,
      already_known: 0,
    });
    expect(existsSync(storeDir)).toBe(false);
    expect((await run('import', '--dry-run')).stdout).toMatch(/^dry run: nothing was written/);
  });

  it('gives imported history its real activity state: sessions idle for weeks are idle or archived, not active', async () => {
    const { run, projects } = exampleStore();
    // A real history's files were last written at their last record (a checkout's are not).
    for (const project of readdirSync(projects)) {
      for (const name of readdirSync(join(projects, project))) {
        if (!name.endsWith('.jsonl')) continue;
        const path = join(projects, project, name);
        const stamps = [...readFileSync(path, 'utf8').matchAll(/"timestamp":"([^"]+)"/g)];
        const last = stamps.at(-1)?.[1];
        if (last !== undefined) utimesSync(path, new Date(last), new Date(last));
      }
    }
    const summary = JSON.parse((await run('import', '--json')).stdout) as Summary & {
      activity: { to_idle: number; to_archived: number; to_active: number };
    };
    const found = JSON.parse((await run('find', '--json')).stdout) as SessionRecord[];
    const day = 86_400_000;
    const expected = (record: SessionRecord): string => {
      const age = Math.floor((NOW - Date.parse(record.last_progress_at)) / day);
      return age >= 30 ? 'archived' : age >= 14 ? 'idle' : 'active';
    };
    expect(found.map((r) => r.activity_state)).toEqual(found.map(expected));
    const count = (state: string) => found.filter((r) => r.activity_state === state).length;
    expect(count('archived')).toBeGreaterThan(0);
    expect(count('idle')).toBeGreaterThan(0);
    expect(count('active')).toBeGreaterThan(0);
    expect(summary.activity).toEqual({
      to_idle: count('idle'),
      to_archived: count('archived'),
      to_active: 0,
    });
    expect((await run('sweep', '--dry-run', '--json')).stdout).toContain('"count": 0');
    const again = JSON.parse((await run('import', '--json')).stdout) as Summary & {
      activity: unknown;
    };
    expect(again.activity).toEqual({ to_idle: 0, to_archived: 0, to_active: 0 });
    expect(
      JSON.parse((await run('import', '--dry-run', '--json')).stdout) as { activity: unknown },
    ).toMatchObject({ activity: null });
  });

  it('skips transcripts last active before --since, and skips empty and unreadable files with a reason', async () => {
    const { run, projects } = exampleStore();
    const dir = join(projects, '-home-alex-code-acme-api');
    writeFileSync(join(dir, '11111111-1111-4111-8111-111111111111.jsonl'), '');
    writeFileSync(
      join(dir, '22222222-2222-4222-8222-222222222222.jsonl'),
      'not json at all\n{"also": broken\n',
    );
    const summary = JSON.parse(
      (await run('import', '--since', '2026-03-01', '--json')).stdout,
    ) as Summary;
    expect(summary.counts).toMatchObject({
      transcripts_scanned: 9,
      sessions_new: 3,
      forks_linked: 1,
      skipped: 6,
    });
    expect(summary.skipped_by_reason).toEqual({
      'older than --since': 4,
      'empty transcript': 1,
      'unreadable transcript (no parsable record)': 1,
    });
  });

  it('reads <claude home>/projects by default (CLAUDE_CONFIG_DIR honoured) and fails clearly when it is missing', async () => {
    const { home, storeDir } = exampleStore();
    const missing = await runCli(
      ['--store', storeDir, 'import'],
      createDeps({ env: { HOME: join(home, 'nobody') }, cwd: home, now: () => NOW }),
    );
    expect(missing.exitCode).toBe(1);
    expect(missing.stderr).toBe(
      `error: Claude Code projects directory not found: ${join(home, 'nobody', '.claude', 'projects')} (set CLAUDE_CONFIG_DIR or pass --from DIR)\n`,
    );
    const viaConfig = await runCli(
      ['--store', storeDir, 'import', '--json'],
      createDeps({
        env: { HOME: join(home, 'nobody'), CLAUDE_CONFIG_DIR: join(home, '.claude') },
        cwd: home,
        now: () => NOW,
      }),
    );
    expect((JSON.parse(viaConfig.stdout) as Summary).counts.sessions_new).toBe(6);
    const badFrom = await runCli(
      ['--store', storeDir, 'import', '--from', 'nowhere'],
      createDeps({ env: {}, cwd: home }),
    );
    expect(badFrom.stderr).toBe(
      `error: Claude Code projects directory not found: ${join(home, 'nowhere')}\n`,
    );
  });

  it('writes into <root>/tickets/_logs with the legacy --root flag', async () => {
    const { home, deps } = exampleStore();
    const result = await runCli(['--root', join(home, 'workspace'), 'import', '--quiet'], deps);
    expect(result).toEqual({ exitCode: 0, stdout: '', stderr: '' });
    expect(
      existsSync(join(home, 'workspace', 'tickets', '_logs', 'sessions-db-events.jsonl')),
    ).toBe(true);
    const found = await runCli(['--root', join(home, 'workspace'), 'find', '--json'], deps);
    expect(JSON.parse(found.stdout)).toHaveLength(6);
  });

  it('imports one project directory given with --from, and honours SESSIONS_DB_STORE_PREVIEW=0', async () => {
    const { home, projects, storeDir } = exampleStore();
    mkdirSync(join(home, 'elsewhere'));
    const deps = createDeps({
      env: { HOME: home, SESSIONS_DB_STORE_PREVIEW: '0' },
      cwd: home,
      now: () => NOW,
    });
    const result = await runCli(
      [
        '--store',
        storeDir,
        'import',
        '--from',
        join(projects, '-home-alex-code-acme-web'),
        '--json',
      ],
      deps,
    );
    expect((JSON.parse(result.stdout) as Summary).counts).toMatchObject({
      transcripts_scanned: 2,
      sessions_new: 2,
    });
    const records = JSON.parse(
      (await runCli(['--store', storeDir, 'find', '--json'], deps)).stdout,
    ) as SessionRecord[];
    expect(records.map((r) => r.first_prompt_preview)).toEqual([null, null]);
    expect(records.every((r) => r.fingerprints.first_human_prompt_v1 !== null)).toBe(true);
    expect(readFileSync(join(storeDir, 'sessions-db-events.jsonl'), 'utf8')).not.toContain(
      'dark mode toggle',
    );
  });
});

describe('import order', () => {
  it('records an origin before the copies that tie with it (fork, legacy resume), whatever their file names', async () => {
    const { run, projects } = exampleStore();
    const dir = join(projects, '-home-alex-code-acme-api');
    // Renamed so that the copies sort first by name: only the copy markers put them after their origin.
    const { renameSync } = await import('node:fs');
    const forkCopy = '00000000-0000-4000-8000-00000000000d';
    const legacyCopy = '00000000-0000-4000-8000-0000000000c2';
    renameSync(join(dir, `${D}.jsonl`), join(dir, `${forkCopy}.jsonl`));
    renameSync(join(dir, `${C2}.jsonl`), join(dir, `${legacyCopy}.jsonl`));
    const summary = JSON.parse((await run('import', '--json')).stdout) as Summary;
    expect(summary.counts).toMatchObject({ sessions_new: 6, resumes_linked: 1, forks_linked: 1 });
    const status = Object.fromEntries(
      summary.transcripts.map((t) => [t.claude_session_id, t.status]),
    );
    expect(status).toMatchObject({
      [C1]: 'new',
      [legacyCopy]: 'linked',
      [B]: 'new',
      [forkCopy]: 'new',
    });
    const origin = (
      JSON.parse((await run('show', B, '--json')).stdout) as { session: SessionRecord }
    ).session;
    const fork = (
      JSON.parse((await run('show', forkCopy, '--json')).stdout) as { session: SessionRecord }
    ).session;
    expect(fork.parent_session_id).toBe(origin.stable_id);
    expect(fork.stable_id).not.toBe(origin.stable_id);
  });
});
