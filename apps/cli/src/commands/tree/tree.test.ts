import { describe, expect, it } from 'vitest';
import { createFixtureStore } from '../../test-support/fixture.js';
import { memoryDeps, runCli } from '../../test-support/harness.js';

function setup(columns?: number) {
  const { store, ids } = createFixtureStore();
  return { store, ids, run: (...argv: string[]) => runCli(argv, memoryDeps(store, { columns })) };
}

describe('tree', () => {
  it('prints the golden tree: box characters, the edge kind on each child line, children oldest first', async () => {
    const { run, ids } = setup();
    expect(await run('tree', ids.origin)).toEqual({
      exitCode: 0,
      stderr: '',
      stdout: [
        'sess_0195a003-2b4e-7c1 [active/open] 8d ago  login-redirect-loop [title]',
        '├── [clear] sess_0195a004-2b4e-7c1 [active/open] 8d ago  now add a regression test for the redirect loop: after the… [preview]',
        '└── [fork] sess_0195a005-2b4e-7c1 [active/open] 5d ago  Scoped session middleware experiment [ai]',
        '',
      ].join('\n'),
    });
  });

  it('draws grandchildren with │ and indentation, and the chain above with --ancestors', async () => {
    const { store, run, ids } = setup();
    store.setNow('2026-03-05T10:00:00.000Z');
    expect(store.setParent(ids.darkMode, ids.clear).ok).toBe(true);
    expect((await run('tree', ids.origin)).stdout).toBe(
      [
        'sess_0195a003-2b4e-7c1 [active/open] 8d ago  login-redirect-loop [title]',
        '├── [clear] sess_0195a004-2b4e-7c1 [active/open] 8d ago  now add a regression test for the redirect loop: after the… [preview]',
        '│   └── [manual] sess_0195a001-2b4e-7c1 [active/open] 5d ago  add a dark mode toggle to the settings page; it should foll… [preview]',
        '└── [fork] sess_0195a005-2b4e-7c1 [active/open] 5d ago  Scoped session middleware experiment [ai]',
        '',
      ].join('\n'),
    );
    expect((await run('tree', ids.darkMode, '--ancestors')).stdout).toBe(
      [
        'sess_0195a003-2b4e-7c1 [active/open] 8d ago  login-redirect-loop [title]',
        '└── [clear] sess_0195a004-2b4e-7c1 [active/open] 8d ago  now add a regression test for the redirect loop: after the… [preview]',
        '    └── [manual] sess_0195a001-2b4e-7c1 [active/open] 5d ago  add a dark mode toggle to the settings page; it should foll… [preview]',
        '',
      ].join('\n'),
    );
  });

  it('shows an alias in parentheses and cuts labels to the terminal width', async () => {
    const { run, ids } = setup(80);
    const { stdout } = await run('tree', ids.origin);
    expect(stdout.split('\n')[1]).toBe(
      '├── [clear] sess_0195a004-2b4e-7c1 [active/open] 8d ago  now add a re… [preview]',
    );
    for (const line of stdout.trimEnd().split('\n')) expect(line.length).toBeLessThanOrEqual(80);
    expect((await run('tree', 'checkout-split')).stdout).toBe(
      'sess_0195a002-2b4e-7c1 (checkout-split) [active/done] 16d ago\n',
    );
  });

  it('prints nested nodes with --json (and the ancestors with --ancestors)', async () => {
    const { run, ids } = setup();
    const tree = JSON.parse((await run('tree', ids.origin, '--json')).stdout) as Record<
      string,
      unknown
    >;
    expect(tree).toMatchObject({
      stable_id: ids.origin,
      label: 'login-redirect-loop',
      label_source: 'custom_title',
      edge_kind: null,
      children: [
        { stable_id: ids.clear, edge_kind: 'clear', label_source: 'first_prompt', children: [] },
        {
          stable_id: ids.fork,
          edge_kind: 'fork',
          label: 'Scoped session middleware experiment',
          children: [],
        },
      ],
    });
    const withAncestors = JSON.parse(
      (await run('tree', ids.fork, '--ancestors', '--json')).stdout,
    ) as Record<string, unknown>;
    expect(withAncestors).toMatchObject({
      stable_id: ids.fork,
      edge_kind: 'fork',
      ancestors: [{ stable_id: ids.origin }],
    });
  });

  it('accepts a Claude session id, a prefix or an alias', async () => {
    const { run, ids } = setup();
    const rootOf = async (ref: string): Promise<unknown> =>
      (JSON.parse((await run('tree', ref, '--json')).stdout) as { stable_id: string }).stable_id;
    expect(await rootOf('2b4ed4c0-9c1e-4d0a-8a53-000000000001')).toBe(ids.origin);
    expect(await rootOf('sess_0195a003')).toBe(ids.origin);
    expect(await rootOf('0195a003')).toBe(ids.origin);
    expect(await rootOf('checkout-split')).toBe(ids.checkout);
  });

  it('fails with exit 1 for an unknown session, and lists the candidates of an ambiguous prefix', async () => {
    const { run } = setup();
    expect(await run('tree', 'sess_nope')).toEqual({
      exitCode: 1,
      stdout: '',
      stderr: 'error: stable_id not found: sess_nope\n',
    });
    expect(await run('tree', 'sess_nope', '--quiet')).toEqual({
      exitCode: 1,
      stdout: '',
      stderr: 'error: stable_id not found: sess_nope\n',
    });
    const ambiguous = await run('tree', 'sess_0195');
    expect(ambiguous.exitCode).toBe(1);
    expect(ambiguous.stderr).toBe(
      [
        'error: ambiguous session reference "sess_0195": it matches 5 sessions',
        '  sess_0195a001-2b4e-7c1e-8a53-000000000001',
        '  sess_0195a002-2b4e-7c1e-8a53-000000000002  checkout-split',
        '  sess_0195a003-2b4e-7c1e-8a53-000000000003',
        '  sess_0195a004-2b4e-7c1e-8a53-000000000004',
        '  sess_0195a005-2b4e-7c1e-8a53-000000000005',
        '',
      ].join('\n'),
    );
    const json = await run('tree', 'sess_0195', '--json');
    expect(json.exitCode).toBe(1);
    expect(JSON.parse(json.stdout)).toMatchObject({
      ok: false,
      error: { code: 'AMBIGUOUS_REFERENCE' },
    });
  });

  it('requires the session positional (exit 2)', async () => {
    const { run } = setup();
    const result = await run('tree');
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(
      /^error: Not enough non-option arguments: got 0, need at least 1\n\nsessions-db tree <session>/,
    );
  });
});
