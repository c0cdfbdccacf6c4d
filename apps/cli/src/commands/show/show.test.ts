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

  it('summarizes each op of the timeline', () => {
    expect(
      summarizePayload({
        op: 'parent_set',
        payload: { parent_session_id: 'sess_a', kind: 'fork', auto: true },
      }),
    ).toBe('parent=sess_a  kind=fork  auto');
    expect(summarizePayload({ op: 'alias_set', payload: { alias: null } })).toBe('cleared');
    expect(
      summarizePayload({ op: 'session_link', payload: { tasks: ['T-1', 'T-2'], projects: [] } }),
    ).toBe('tasks=T-1,T-2');
    expect(summarizePayload({ op: 'sweep', payload: { activity_state: 'idle' } })).toBe(
      'state=idle',
    );
    expect(summarizePayload({ op: 'something_new', payload: { a: 1 } })).toBe('{"a":1}');
  });
});
