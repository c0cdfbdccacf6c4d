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
    resumeCommand: (id: string) => ['claude', '--resume', id],
    bin: undefined,
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

  it('refuses a session without an agent session id, naming its agent', () => {
    expect(failure(() => plan(session({ cwd: '/w' }), ['/w'])).code).toBe('NO_CLAUDE_SESSION');
    const codex = failure(() => plan(session({ cwd: '/w', agent: 'codex' }), ['/w']));
    expect(codex.code).toBe('NO_CLAUDE_SESSION');
    expect(codex.message).toBe(`session ${SID} has no Codex session id to resume`);
  });

  it("runs the adapter's command line, with the bin override in place of its program", () => {
    const record = session({ claude_session_ids: ['t1'], cwd: '/w', agent: 'codex' });
    const base = {
      session: record,
      resumeCommand: (id: string) => ['codex', 'resume', id],
      cwdOverride: undefined,
      passthrough: ['--full-auto'],
      isDirectory: (path: string) => path === '/w',
      restored: false,
    };
    expect(planResume({ ...base, bin: undefined }).argv).toEqual([
      'codex',
      'resume',
      't1',
      '--full-auto',
    ]);
    expect(planResume({ ...base, bin: '/opt/codex' }).argv).toEqual([
      '/opt/codex',
      'resume',
      't1',
      '--full-auto',
    ]);
  });
});
