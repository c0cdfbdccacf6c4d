import { describe, expect, it } from 'vitest';
import { createFixtureStore } from '../../test-support/fixture.js';
import { memoryDeps, runCli } from '../../test-support/harness.js';

function setup() {
  const { store, ids } = createFixtureStore();
  return { store, ids, run: (...argv: string[]) => runCli(argv, memoryDeps(store)) };
}

describe('sweep', () => {
  it('plans transitions with --dry-run and writes nothing', async () => {
    const { run, store, ids } = setup();
    const before = store.stats().events;
    const result = await run('sweep', '--dry-run');
    expect(result).toEqual({
      exitCode: 0,
      stderr: '',
      stdout: [
        'ok: sweep dry-run — 2 transition(s) planned:',
        `  ${ids.darkMode}  active → idle  (age 27d, last_progress 2026-02-10T14:02:11.418Z)`,
        `  ${ids.checkout}  active → idle  (age 16d, last_progress 2026-02-22T10:00:00.000Z)`,
        '',
      ].join('\n'),
    });
    const json = JSON.parse((await run('sweep', '--dry-run', '--json')).stdout) as Record<
      string,
      unknown
    >;
    expect(json).toMatchObject({ ok: true, dry_run: true, count: 2 });
    expect(store.stats().events).toBe(before);
  });

  it('applies the transitions, then has nothing left to do', async () => {
    const { run, ids } = setup();
    const result = await run(
      'sweep',
      '--idle-threshold-days',
      '10',
      '--archive-threshold-days',
      '20',
    );
    expect(result.stdout).toBe(
      [
        'ok: sweep — 2 of 2 transition(s) applied (1 to idle, 1 to archived)',
        `  ${ids.darkMode}  active → archived  (age 27d)`,
        `  ${ids.checkout}  active → idle  (age 16d)`,
        '',
      ].join('\n'),
    );
    expect(
      (await run('sweep', '--idle-threshold-days', '10', '--archive-threshold-days', '20')).stdout,
    ).toBe('ok: sweep — no transitions needed\n');
    expect(JSON.parse((await run('find', '--state', 'archived', '--json')).stdout)).toHaveLength(1);
    expect(JSON.parse((await run('find', '--state', 'idle', '--json')).stdout)).toHaveLength(1);
    expect(JSON.parse((await run('sweep', '--json')).stdout)).toMatchObject({
      ok: true,
      applied: [],
      failed: [],
    });
  });

  it.each([
    [
      ['--idle-threshold-days', '0'],
      'error: --idle-threshold-days must be a positive number (got: 0)',
    ],
    [
      ['--archive-threshold-days', '-1'],
      'error: --archive-threshold-days must be a positive number (got: -1)',
    ],
    [
      ['--idle-threshold-days', '30', '--archive-threshold-days', '7'],
      'error: --archive-threshold-days (7) must be >= --idle-threshold-days (30)',
    ],
    [
      ['--idle-threshold-days', 'soon'],
      'error: flag --idle-threshold-days expects a number, got: soon',
    ],
  ])('rejects %j with exit 2', async (flags, message) => {
    const { run } = setup();
    expect(await run('sweep', ...flags)).toEqual({
      exitCode: 2,
      stdout: '',
      stderr: `${message}\n`,
    });
  });

  it('prints nothing with --quiet, even for a dry run', async () => {
    const { run } = setup();
    expect(await run('sweep', '--dry-run', '--quiet')).toEqual({
      exitCode: 0,
      stdout: '',
      stderr: '',
    });
  });
});
