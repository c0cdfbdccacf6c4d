import { describe, expect, it } from 'vitest';
import { createFixtureStore } from '../../test-support/fixture.js';
import { memoryDeps, runCli } from '../../test-support/harness.js';
import { summarizePayload } from './render-show.js';

function setup() {
  const { store, ids } = createFixtureStore();
  return { store, ids, run: (...argv: string[]) => runCli(argv, memoryDeps(store)) };
}

describe('show', () => {
  it('prints the whole record: label and source, ids, lineage with edge kinds, identity, timeline', async () => {
    const { run, ids } = setup();
    const result = await run('show', ids.origin);
    expect(result.exitCode).toBe(0);
    const text = result.stdout;
    expect(text.split('\n')[0]).toBe('login-redirect-loop [custom title]');
    expect(text).toContain(`  stable_id      ${ids.origin}\n`);
    expect(text).toContain('  matched by     stable_id\n');
    expect(text).toContain('  AI title       Fix OAuth callback redirect loop\n');
    expect(text).toContain('  claude ids     2b4ed4c0-9c1e-4d0a-8a53-000000000001\n');
    expect(text).toContain('  created        2026-03-02T09:14:03.120Z (8d ago)\n');
    expect(text).toContain(`  children       [clear] ${ids.clear}  now add a regression test`);
    expect(text).toContain(
      `                 [fork] ${ids.fork}  Scoped session middleware experiment\n`,
    );
    expect(text).toContain('  source         minted (minted)\n');
    expect(text).toContain('timeline (3 events)\n');
    expect(text).toContain(
      '  2026-03-02T09:14:03.120Z  custom_title_seen  custom_title=login-redirect-loop\n',
    );
  });

  it('shows the parent with its edge kind, and the closed state', async () => {
    const { run, ids } = setup();
    const fork = (await run('show', ids.fork)).stdout;
    expect(fork).toContain(`  parent         [fork] ${ids.origin}  login-redirect-loop\n`);
    const closed = (await run('show', 'checkout-split')).stdout;
    expect(closed).toContain('  state          active / done\n');
    expect(closed).toContain(
      '  closed         2026-02-22T10:00:00.000Z (16d ago), reason: merged in #412\n',
    );
    expect(closed).toContain('  matched by     alias\n');
  });

  it('prints one JSON document with --json', async () => {
    const { run, ids } = setup();
    const data = JSON.parse(
      (await run('show', '2b4ed4c0-9c1e-4d0a-8a53-000000000002', '--json')).stdout,
    ) as Record<string, unknown>;
    expect(data).toMatchObject({
      matched_by: 'claude_session_id',
      label: { text: 'Scoped session middleware experiment', source: 'ai_title' },
      session: { stable_id: ids.fork, parent_kind: 'fork' },
      parent: { stable_id: ids.origin, edge_kind: 'fork', label: 'login-redirect-loop' },
      children: [],
    });
    expect((data['timeline'] as { op: string }[]).map((e) => e.op)).toEqual([
      'session_seen',
      'ai_title_seen',
      'parent_set',
    ]);
  });

  it('fails with exit 1 for an unknown session', async () => {
    const { run } = setup();
    expect(await run('show', 'nothing-like-this')).toEqual({
      exitCode: 1,
      stdout: '',
      stderr: 'error: stable_id not found: nothing-like-this\n',
    });
  });

  it.each([
    [
      'session_seen',
      { source: 'startup', claude_session_id: 'c1', branch_current: 'main', cwd: '/w' },
      'source=startup  claude_session_id=c1  branch=main',
    ],
    [
      'session_end',
      { reason: 'clear', claude_session_id: 'c1' },
      'reason=clear  claude_session_id=c1',
    ],
    ['alias_set', { alias: 'login-fix' }, 'alias=login-fix'],
    ['alias_set', { alias: null }, 'cleared'],
    [
      'parent_set',
      { parent_session_id: 'sess_a', kind: 'fork', auto: true },
      'parent=sess_a  kind=fork  auto',
    ],
    ['parent_set', { parent_session_id: null }, 'cleared'],
    [
      'close',
      { outcome: 'abandoned', closed_reason: 'kept it' },
      'outcome=abandoned  reason=kept it',
    ],
    ['reopen', { reason: null }, ''],
    ['sweep', { activity_state: 'idle' }, 'state=idle'],
    ['session_link', { tasks: ['T-1', 'T-2'], projects: [] }, 'tasks=T-1,T-2'],
    ['session_unlink', { tasks: [], projects: ['auth'] }, 'projects=auth'],
    ['ai_title_seen', { ai_title: 'Fix the login' }, 'ai_title=Fix the login'],
    ['custom_title_seen', { custom_title: 'mine' }, 'custom_title=mine'],
    ['something_new', { a: 1 }, '{"a":1}'],
    ['constructor', { a: 1 }, '{"a":1}'],
  ] as const)('summarizes a %s event of the timeline: %j', (op, payload, summary) => {
    expect(summarizePayload({ op, payload })).toBe(summary);
  });
});
