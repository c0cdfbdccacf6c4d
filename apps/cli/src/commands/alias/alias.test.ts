import { describe, expect, it } from 'vitest';
import { fixtureCli } from '../../test-support/fixture.js';

const setup = fixtureCli;

describe('alias', () => {
  it('sets an alias by prefix and reports the event', async () => {
    const { run, store, ids } = setup();
    const result = await run('alias', 'sess_0195a001', 'dark-mode');
    expect(result.exitCode).toBe(0);
    expect(result.stderr).toBe('');
    expect(result.stdout).toMatch(
      /^ok: alias_set written for sess_0195a001-2b4e-7c1e-8a53-000000000001 \(event_id=evt_[0-9a-f-]+\)\n {2}alias: dark-mode\n$/,
    );
    const found = store.getSession('dark-mode');
    expect(found.ok && found.session.stable_id).toBe(ids.darkMode);
  });

  it('clears an alias, with a JSON report', async () => {
    const { run, store, ids } = setup();
    const result = await run('alias', 'checkout-split', '--clear', '--json');
    expect(result.exitCode).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({
      ok: true,
      op: 'alias_set',
      stable_id: ids.checkout,
      cleared: true,
    });
    expect(store.getSession('checkout-split').ok).toBe(false);
  });

  it('prints the event and writes nothing with --dry-run', async () => {
    const { run, store } = setup();
    const before = store.stats().events;
    const result = await run('alias', 'sess_0195a001', 'dark-mode', '--dry-run');
    expect(result.stdout).toBe(
      [
        '[dry-run] would write event:',
        '  op:        alias_set',
        '  stable_id: sess_0195a001-2b4e-7c1e-8a53-000000000001',
        '  payload:   {"alias":"dark-mode"}',
        '',
      ].join('\n'),
    );
    const json = JSON.parse(
      (await run('alias', 'sess_0195a001', 'dark-mode', '--dry-run', '--json')).stdout,
    ) as Record<string, unknown>;
    expect(json).toMatchObject({
      ok: true,
      dry_run: true,
      event: { op: 'alias_set', payload: { alias: 'dark-mode' } },
    });
    expect(await run('alias', 'sess_0195a001', 'dark-mode', '--dry-run', '--quiet')).toEqual({
      exitCode: 0,
      stdout: '',
      stderr: '',
    });
    expect(store.stats().events).toBe(before);
    expect(store.getSession('dark-mode').ok).toBe(false);
  });

  it.each([
    [['alias', 'x', 'y', '--clear'], 'error: alias and --clear are mutually exclusive'],
    [['alias', 'x'], 'error: provide an alias positional or --clear'],
  ])('rejects %j with exit 2', async (argv, message) => {
    const { run } = setup();
    expect(await run(...argv)).toEqual({ exitCode: 2, stdout: '', stderr: `${message}\n` });
  });

  it('fails with exit 1 for an unknown session, also as JSON', async () => {
    const { run } = setup();
    expect(await run('alias', 'sess_nope', 'x')).toEqual({
      exitCode: 1,
      stdout: '',
      stderr: 'error: stable_id not found: sess_nope\n',
    });
    const json = await run('alias', 'sess_nope', 'x', '--json');
    expect(json.exitCode).toBe(1);
    expect(JSON.parse(json.stdout)).toEqual({
      ok: false,
      error: { code: 'NOT_FOUND', message: 'stable_id not found: sess_nope' },
    });
    expect(await run('alias', 'sess_nope', 'x', '--quiet')).toEqual({
      exitCode: 1,
      stdout: '',
      stderr: 'error: stable_id not found: sess_nope\n',
    });
  });

  it('takes a numeric-looking reference and alias as text', async () => {
    const { run, store } = setup();
    const result = await run('alias', '0195a005', '2026');
    expect(result.exitCode).toBe(0);
    expect(store.getSession('2026').ok).toBe(true);
  });
});
