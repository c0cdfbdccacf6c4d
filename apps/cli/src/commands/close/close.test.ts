import { describe, expect, it } from 'vitest';
import { fixtureCli } from '../../test-support/fixture.js';

const setup = fixtureCli;

describe('close and reopen', () => {
  it('closes with an outcome and a reason', async () => {
    const { run, ids, record } = setup();
    const result = await run(
      'close',
      ids.fork,
      '--outcome',
      'abandoned',
      '--reason',
      'kept the path / fix',
    );
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toMatch(
      /^ok: close written for \S+ \(event_id=\S+\)\n {2}outcome: abandoned\n {2}reason: kept the path \/ fix\n$/,
    );
    expect(record(ids.fork)).toMatchObject({
      outcome: 'abandoned',
      closed_reason: 'kept the path / fix',
      closed_at: '2026-03-10T12:00:00.000Z',
    });
  });

  it('reopens: outcome open, closed_at and reason cleared', async () => {
    const { run, ids, record } = setup();
    const result = await run('reopen', 'checkout-split', '--json');
    expect(JSON.parse(result.stdout)).toMatchObject({
      ok: true,
      op: 'reopen',
      stable_id: ids.checkout,
    });
    expect(record(ids.checkout)).toMatchObject({
      outcome: 'open',
      closed_at: null,
      closed_reason: null,
    });
    const dry = await run('reopen', ids.checkout, '--reason', 'again', '--dry-run');
    expect(dry.stdout).toContain('  op:        reopen\n');
  });

  it.each([
    [[], 'error: --outcome is required'],
    [['--outcome', ''], 'error: --outcome is required'],
    [
      ['--outcome', 'finished'],
      'error: --outcome must be one of: open, done, blocked, abandoned, merged, superseded',
    ],
  ])('rejects %j (exit 2)', async (flags, message) => {
    const { run, ids } = setup();
    expect(await run('close', ids.fork, ...flags)).toEqual({
      exitCode: 2,
      stdout: '',
      stderr: `${message}\n`,
    });
  });

  it('prints the close event with --dry-run and keeps the session open', async () => {
    const { run, ids, record } = setup();
    const result = await run('close', ids.fork, '--outcome', 'done', '--dry-run');
    expect(result.stdout).toBe(
      [
        '[dry-run] would write event:',
        '  op:        close',
        `  stable_id: ${ids.fork}`,
        '  payload:   {"outcome":"done"}',
        '',
      ].join('\n'),
    );
    expect(record(ids.fork).outcome).toBe('open');
  });

  it('reports an unknown session (exit 1)', async () => {
    const { run } = setup();
    expect(await run('close', 'nope-nope', '--outcome', 'done')).toEqual({
      exitCode: 1,
      stdout: '',
      stderr: 'error: stable_id not found: nope-nope\n',
    });
    expect((await run('reopen', 'nope-nope')).exitCode).toBe(1);
  });
});
