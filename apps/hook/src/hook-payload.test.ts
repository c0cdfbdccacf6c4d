import { describe, expect, it } from 'vitest';

import { parseHookEnv } from './hook-env.js';
import { normalizeSource, parseHookRequest } from './hook-payload.js';
import type { StdinInput } from './read-hook-stdin.js';

const csid = '0b9a4b8e-6c43-4c3b-9d0a-4d7e2f3a1b2c';
const noEnv = parseHookEnv({});

function json(value: unknown): StdinInput {
  return { kind: 'json', value };
}

describe('normalizeSource', () => {
  it('keeps the known sources and maps everything else to startup', () => {
    for (const source of ['startup', 'resume', 'clear', 'compact', 'fork']) {
      expect(normalizeSource(source)).toBe(source);
    }
    for (const source of [undefined, null, '', 'vscode', 'Resume', 42]) {
      expect(normalizeSource(source)).toBe('startup');
    }
  });
});

describe('parseHookRequest', () => {
  it('reads a SessionStart payload', () => {
    const request = parseHookRequest(
      json({
        session_id: csid,
        transcript_path: '/home/u/.claude/projects/-home-u-repo/x.jsonl',
        cwd: '/home/u/repo',
        hook_event_name: 'SessionStart',
        source: 'fork',
        model: 'claude-sonnet-5',
        agent_type: 'reviewer',
        session_title: 'auth-refactor',
      }),
      noEnv,
      '/elsewhere',
    );
    expect(request).toEqual({
      kind: 'SessionStart',
      sessionId: csid,
      cwd: '/home/u/repo',
      transcriptPath: '/home/u/.claude/projects/-home-u-repo/x.jsonl',
      eventDefaulted: false,
      source: 'fork',
      model: 'claude-sonnet-5',
      agentType: 'reviewer',
      sessionTitle: 'auth-refactor',
    });
  });

  it('reads a SessionEnd payload, defaulting the reason to other', () => {
    const request = parseHookRequest(
      json({ session_id: csid, cwd: '/r', hook_event_name: 'SessionEnd', reason: 'clear' }),
      noEnv,
      '/',
    );
    expect(request).toMatchObject({ kind: 'SessionEnd', reason: 'clear', sessionId: csid });
    expect(
      parseHookRequest(json({ session_id: csid, hook_event_name: 'SessionEnd' }), noEnv, '/'),
    ).toMatchObject({ kind: 'SessionEnd', reason: 'other' });
  });

  it('passes other events through untouched', () => {
    expect(
      parseHookRequest(json({ session_id: csid, hook_event_name: 'UserPromptSubmit' }), noEnv, '/'),
    ).toEqual({ kind: 'other', event: 'UserPromptSubmit' });
    expect(parseHookRequest(json({ hook_event_name: 7 }), noEnv, '/')).toEqual({
      kind: 'other',
      event: '7',
    });
  });

  it('treats a payload without hook_event_name as SessionStart and fills gaps from the environment', () => {
    const env = parseHookEnv({ CLAUDE_PROJECT_DIR: '/proj', CLAUDE_CODE_SESSION_ID: csid });
    expect(parseHookRequest({ kind: 'none', reason: 'empty' }, env, '/cwd')).toEqual({
      kind: 'SessionStart',
      sessionId: csid,
      cwd: '/proj',
      transcriptPath: null,
      eventDefaulted: true,
      source: 'startup',
      model: null,
      agentType: null,
      sessionTitle: null,
    });
  });

  it('falls back to the process cwd, and ignores fields of the wrong type', () => {
    const request = parseHookRequest(
      json({ session_id: 12, cwd: ['x'], transcript_path: '', source: {}, model: '' }),
      noEnv,
      '/cwd',
    );
    expect(request).toMatchObject({
      kind: 'SessionStart',
      sessionId: null,
      cwd: '/cwd',
      transcriptPath: null,
      source: 'startup',
      model: null,
    });
  });

  it('treats a non-object payload as an empty one', () => {
    for (const value of [null, 42, 'text', [1, 2]]) {
      expect(parseHookRequest(json(value), noEnv, '/cwd')).toMatchObject({
        kind: 'SessionStart',
        sessionId: null,
        cwd: '/cwd',
      });
    }
  });

  it('makes relative paths absolute against the session cwd', () => {
    const request = parseHookRequest(
      json({ session_id: csid, cwd: 'repo', transcript_path: 't.jsonl' }),
      noEnv,
      '/home/u',
    );
    expect(request).toMatchObject({ cwd: '/home/u/repo', transcriptPath: '/home/u/repo/t.jsonl' });
  });

  it('clips oversized free-form fields', () => {
    const request = parseHookRequest(
      json({ session_id: 'x'.repeat(5000), session_title: 't'.repeat(5000) }),
      noEnv,
      '/',
    );
    expect(request.kind).toBe('SessionStart');
    if (request.kind !== 'SessionStart') return;
    expect(request.sessionId?.length).toBe(100);
    expect(request.sessionTitle?.length).toBe(200);
  });
});
