import { describe, expect, it } from 'vitest';
import { fixtureCli } from '../../test-support/fixture.js';

const setup = fixtureCli;

describe('link', () => {
  it('links repeated --task and --project values (session_link)', async () => {
    const { run, ids, record } = setup();
    const result = await run(
      'link',
      ids.origin,
      '--task',
      'T-142',
      '--task',
      'T-150',
      '--project',
      'auth',
    );
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toMatch(
      /^ok: session_link written for sess_0195a003-2b4e-7c1e-8a53-000000000003 \(event_id=evt_\S+\)\n {2}tasks: \["T-142","T-150"\]\n {2}projects: \["auth"\]\n$/,
    );
    expect(record(ids.origin)).toMatchObject({ tasks: ['T-142', 'T-150'], projects: ['auth'] });
  });

  it('unlinks with --remove (session_unlink), by Claude session id', async () => {
    const { run, ids, record } = setup();
    await run('link', ids.origin, '--task', 'T-142', '--task', 'T-150');
    const result = await run(
      'link',
      '2b4ed4c0-9c1e-4d0a-8a53-000000000001',
      '--task',
      'T-142',
      '--remove',
      '--json',
    );
    expect(JSON.parse(result.stdout)).toMatchObject({
      ok: true,
      op: 'session_unlink',
      stable_id: ids.origin,
      tasks: ['T-142'],
      removed: true,
    });
    expect(record(ids.origin).tasks).toEqual(['T-150']);
  });

  it('prints the session_unlink event with --remove --dry-run and changes nothing', async () => {
    const { run, ids, record } = setup();
    await run('link', ids.origin, '--project', 'auth');
    const result = await run('link', ids.origin, '--project', 'auth', '--remove', '--dry-run');
    expect(result.stdout).toContain('  op:        session_unlink\n');
    expect(result.stdout).toContain('  payload:   {"projects":["auth"]}\n');
    expect(record(ids.origin).projects).toEqual(['auth']);
  });

  it.each([
    [['--remove'], 'error: link --remove requires at least one --task or --project'],
    [[], 'error: provide at least one --task or --project'],
  ])('rejects %j without targets (exit 2)', async (flags, message) => {
    const { run, ids } = setup();
    expect(await run('link', ids.origin, ...flags)).toEqual({
      exitCode: 2,
      stdout: '',
      stderr: `${message}\n`,
    });
  });

  it('rejects a flag without its value and an unknown flag (exit 2, with the command help)', async () => {
    const { run, ids } = setup();
    const missing = await run('link', ids.origin, '--task');
    expect(missing.exitCode).toBe(2);
    expect(missing.stderr).toMatch(
      /^error: Not enough arguments following: task\n\nsessions-db link <session>/,
    );
    const unknown = await run('link', ids.origin, '--tsk', 'T-1');
    expect(unknown.exitCode).toBe(2);
    expect(unknown.stderr).toMatch(/^error: Unknown arguments?: tsk/);
  });
});
