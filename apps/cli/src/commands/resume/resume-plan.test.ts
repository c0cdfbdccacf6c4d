import { emptySession } from '@sessions-db/projection';
import type { SessionRecord } from '@sessions-db/projection';
import { describe, expect, it } from 'vitest';
import { CliError } from '../../cli-error.js';
import { planResume } from './resume-plan.js';

const SID = 'sess_0195a001-2b4e-7c1e-8a53-000000000001';

function session(fields: Partial<SessionRecord>): SessionRecord {
  return { ...emptySession(SID, '2026-03-10T12:00:00.000Z'), ...fields };
}

function plan(record: SessionRecord, existing: readonly string[], cwdOverride?: string) {
  return planResume({
    session: record,
    claudeBin: 'claude',
    cwdOverride,
    passthrough: ['--model', 'opus'],
    isDirectory: (path) => existing.includes(path),
    restored: false,
  });
}

function failure(run: () => unknown): CliError {
  try {
    run();
  } catch (error) {
    if (error instanceof CliError) return error;
    throw error;
  }
  throw new Error('expected a CliError');
}

describe('planResume', () => {
  it('resumes the latest Claude session id in the cwd, with the passthrough arguments', () => {
    const record = session({ claude_session_ids: ['a', 'b'], cwd: '/w/app' });
    expect(plan(record, ['/w/app'])).toEqual({
      cwd: '/w/app',
      argv: ['claude', '--resume', 'b', '--model', 'opus'],
      restored: false,
    });
  });

  it('falls back to the worktree when the cwd is gone', () => {
    const record = session({
      claude_session_ids: ['a'],
      cwd: '/w/app/sub',
      worktree_path_observed: '/w/app',
    });
    expect(plan(record, ['/w/app']).cwd).toBe('/w/app');
  });

  it('names the missing directory and offers --cwd; --cwd must exist', () => {
    const record = session({ claude_session_ids: ['a'], cwd: '/w/gone' });
    const missing = failure(() => plan(record, []));
    expect(missing.code).toBe('CWD_MISSING');
    expect(missing.message).toBe("the session's directory /w/gone no longer exists");
    expect(missing.detailLines).toEqual(['hint: pass --cwd DIR to resume it in another directory']);
    expect(plan(record, ['/elsewhere'], '/elsewhere').cwd).toBe('/elsewhere');
    expect(failure(() => plan(record, [], '/nowhere')).code).toBe('CWD_MISSING');
  });

  it('refuses a session without a Claude session id', () => {
    expect(failure(() => plan(session({ cwd: '/w' }), ['/w'])).code).toBe('NO_CLAUDE_SESSION');
  });
});
