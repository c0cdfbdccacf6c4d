import { describe, expect, it } from 'vitest';
import { createFixtureStore } from '../../test-support/fixture.js';
import { memoryDeps, runCli } from '../../test-support/harness.js';

function setup(columns?: number) {
  const { store, ids } = createFixtureStore();
  return { ids, run: (...argv: string[]) => runCli(argv, memoryDeps(store, { columns })) };
}

describe('find', () => {
  it('prints the golden table: most recent progress first, labels with their source tag', async () => {
    const { run } = setup();
    const result = await run('find');
    expect(result).toEqual({
      exitCode: 0,
      stderr: '',
      stdout: [
        'stable_id               label                                                         state   outcome  last_progress  branch              cwd',
        'sess_0195a005-2b4e-7c1  Scoped session middleware experiment [ai]                     active  open     5d ago         fix/login-redirect  /home/alex/code/acme-api',
        'sess_0195a004-2b4e-7c1  now add a regression test for the redirect loop:… [preview]   active  open     8d ago         fix/login-redirect  /home/alex/code/acme-api',
        'sess_0195a003-2b4e-7c1  login-redirect-loop [title]                                   active  open     8d ago         fix/login-redirect  /home/alex/code/acme-api',
        'sess_0195a002-2b4e-7c1  checkout-split                                                active  done     16d ago        refactor/checkout   /home/alex/code/acme-web',
        'sess_0195a001-2b4e-7c1  add a dark mode toggle to the settings page; it s… [preview]  active  open     27d ago        feat/dark-mode      /home/alex/code/acme-web',
        '',
      ].join('\n'),
    });
  });

  it('fits the terminal width: labels first, then cwd and branch, cut with …', async () => {
    const { run } = setup(120);
    const { stdout } = await run('find', '--limit', '3');
    expect(stdout).toBe(
      [
        'stable_id               label                         state   outcome  last_progress  branch            cwd',
        'sess_0195a005-2b4e-7c1  Scoped session middlew… [ai]  active  open     5d ago         fix/login-redir…  …x/code/acme-api',
        'sess_0195a004-2b4e-7c1  now add a regress… [preview]  active  open     8d ago         fix/login-redir…  …x/code/acme-api',
        'sess_0195a003-2b4e-7c1  login-redirect-loop [title]   active  open     8d ago         fix/login-redir…  …x/code/acme-api',
        '',
      ].join('\n'),
    );
    for (const line of stdout.trimEnd().split('\n')) expect(line.length).toBeLessThanOrEqual(120);
  });

  it('filters by task, project, alias, branch, cwd, state, outcome, text and since', async () => {
    const { run, ids } = setup();
    await run('link', ids.origin, '--task', 'T-142', '--project', 'auth');
    const count = async (...filters: string[]): Promise<number> =>
      (JSON.parse((await run('find', '--json', ...filters)).stdout) as unknown[]).length;
    expect(await count()).toBe(5);
    expect(await count('--task', 'T-142')).toBe(1);
    expect(await count('--project', 'auth')).toBe(1);
    expect(await count('--project', 'billing')).toBe(0);
    expect(await count('--alias', 'checkout-split')).toBe(1);
    expect(await count('--branch', 'fix/login-redirect')).toBe(3);
    expect(await count('--cwd', 'acme-web')).toBe(2);
    expect(await count('--state', 'active')).toBe(5);
    expect(await count('--outcome', 'done')).toBe(1);
    expect(await count('--text', 'REDIRECT')).toBe(3);
    expect(await count('--text', 'dark mode')).toBe(1);
    expect(await count('--since', '7d')).toBe(2);
    expect(await count('--since', '2026-03-02')).toBe(3);
    expect(await count('--cwd', 'acme-api', '--branch', 'main')).toBe(0);
  });

  it('limits rows: default 50, --limit N, --all means none', async () => {
    const { run } = setup();
    const rows = async (...args: string[]): Promise<number> =>
      (JSON.parse((await run('find', '--json', ...args)).stdout) as unknown[]).length;
    expect(await rows('--limit', '2')).toBe(2);
    expect(await rows('--all')).toBe(5);
  });

  it('prints "(no sessions matched)" and exits 0 when nothing matches', async () => {
    const { run } = setup();
    expect(await run('find', '--task', 'nope')).toEqual({
      exitCode: 0,
      stdout: '(no sessions matched)\n',
      stderr: '',
    });
    expect(JSON.parse((await run('find', '--task', 'nope', '--json')).stdout)).toEqual([]);
  });

  it('prints full records as a JSON array with --json, nothing with --quiet', async () => {
    const { run, ids } = setup();
    const records = JSON.parse((await run('find', '--json', '--limit', '1')).stdout) as {
      stable_id: string;
      ai_title: string;
    }[];
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({
      stable_id: ids.fork,
      ai_title: 'Scoped session middleware experiment',
      parent_kind: 'fork',
    });
    expect(await run('find', '--quiet')).toEqual({ exitCode: 0, stdout: '', stderr: '' });
    expect(await run('find', '--quiet', '--json')).toEqual({ exitCode: 0, stdout: '', stderr: '' });
  });

  it.each([
    [['--state', 'sleeping'], 'error: --state must be one of: active, idle, archived'],
    [
      ['--outcome', 'won'],
      'error: --outcome must be one of: open, done, blocked, abandoned, merged, superseded',
    ],
    [['--limit', 'ten'], 'error: flag --limit expects a number, got: ten'],
    [['--limit', '-1'], 'error: --limit must be a whole number of at least 1, got: -1'],
    [['--limit', '0'], 'error: --limit must be a whole number of at least 1, got: 0'],
    [['--limit', '2.5'], 'error: --limit must be a whole number of at least 1, got: 2.5'],
    [['--since', '99999999d'], 'error: --since 99999999d reaches back before 1970'],
    [
      ['--since', 'last week'],
      'error: --since must be an ISO date or a relative age like 7d or 12h (got: last week)',
    ],
    [['--all', '--limit', '5'], 'error: --all and --limit are mutually exclusive'],
  ])('rejects %j with exit 2', async (args, message) => {
    const { run } = setup();
    expect(await run('find', ...args)).toEqual({ exitCode: 2, stdout: '', stderr: `${message}\n` });
  });

  it('reports argument errors as JSON on stdout with --json', async () => {
    const { run } = setup();
    const result = await run('find', '--state', 'sleeping', '--json');
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toBe('');
    expect(JSON.parse(result.stdout)).toEqual({
      ok: false,
      error: {
        code: 'INVALID_ARGUMENT',
        message: '--state must be one of: active, idle, archived',
      },
    });
  });
});
