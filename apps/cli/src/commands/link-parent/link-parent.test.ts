import { describe, expect, it } from 'vitest';
import { fixtureCli } from '../../test-support/fixture.js';

function setup() {
  const fixture = fixtureCli();
  const parentOf = (id: string) => {
    const session = fixture.record(id);
    return { parent: session.parent_session_id, kind: session.parent_kind ?? null };
  };
  return { ...fixture, parentOf };
}

describe('link-parent', () => {
  it('sets a parent (manual by default, or --kind)', async () => {
    const { run, ids, parentOf } = setup();
    const result = await run('link-parent', 'checkout-split', ids.darkMode);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toMatch(
      /^ok: parent_set written for sess_0195a002-2b4e-7c1e-8a53-000000000002 \(event_id=\S+\)\n {2}parent: sess_0195a001-2b4e-7c1e-8a53-000000000001\n$/,
    );
    expect(parentOf(ids.checkout)).toEqual({ parent: ids.darkMode, kind: 'manual' });
    await run('link-parent', ids.checkout, ids.origin, '--kind', 'clear');
    expect(parentOf(ids.checkout)).toEqual({ parent: ids.origin, kind: 'clear' });
  });

  it('clears a parent with --remove', async () => {
    const { run, ids, parentOf } = setup();
    const result = await run('link-parent', ids.fork, '--remove', '--json');
    expect(JSON.parse(result.stdout)).toMatchObject({
      ok: true,
      op: 'parent_set',
      stable_id: ids.fork,
      cleared: true,
    });
    expect(parentOf(ids.fork).parent).toBeNull();
  });

  it('refuses a cycle with the original message (exit 1) and writes nothing', async () => {
    const { run, ids, store, parentOf } = setup();
    const before = store.stats().events;
    const result = await run('link-parent', ids.origin, ids.fork);
    expect(result).toEqual({
      exitCode: 1,
      stdout: '',
      stderr: `error: link-parent would create a cycle: proposed parent ${ids.fork} reaches child ${ids.origin} after 1 hop(s)\n`,
    });
    expect(store.stats().events).toBe(before);
    expect(parentOf(ids.origin).parent).toBeNull();
  });

  it('refuses a session as its own parent (exit 1), also when named two ways', async () => {
    const { run, ids } = setup();
    expect(await run('link-parent', ids.origin, ids.origin)).toEqual({
      exitCode: 1,
      stdout: '',
      stderr: 'error: parent and child cannot be the same stable_id\n',
    });
    expect(await run('link-parent', 'checkout-split', ids.checkout)).toEqual({
      exitCode: 1,
      stdout: '',
      stderr: 'error: parent and child cannot be the same stable_id\n',
    });
  });

  it('validates its arguments (exit 2) and reports unknown sessions (exit 1)', async () => {
    const { run, ids } = setup();
    expect((await run('link-parent', ids.fork, ids.origin, '--remove')).stderr).toBe(
      'error: parent positional and --remove are mutually exclusive\n',
    );
    expect((await run('link-parent', ids.fork)).stderr).toBe(
      'error: provide a parent stable_id or --remove\n',
    );
    expect((await run('link-parent', ids.fork, ids.origin, '--kind', 'sibling')).exitCode).toBe(2);
    expect(await run('link-parent', ids.fork, 'sess_nope')).toEqual({
      exitCode: 1,
      stdout: '',
      stderr: 'error: stable_id not found: sess_nope\n',
    });
  });

  it('prints the parent_set event with --dry-run and writes nothing', async () => {
    const { run, ids, parentOf } = setup();
    const result = await run('link-parent', ids.checkout, ids.darkMode, '--dry-run', '--json');
    expect(JSON.parse(result.stdout)).toMatchObject({
      ok: true,
      dry_run: true,
      event: {
        op: 'parent_set',
        stable_id: ids.checkout,
        payload: { parent_session_id: ids.darkMode },
      },
    });
    expect(parentOf(ids.checkout).parent).toBeNull();
  });
});
