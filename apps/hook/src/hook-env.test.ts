import { describe, expect, it } from 'vitest';

import { HOOK_SESSION_START_TIMEOUT_SECONDS } from '@sessions-db/store/env';

import {
  DEFAULT_DEADLINE_MS,
  DEFAULT_SESSION_END_BUDGET_MS,
  DEFAULT_SESSION_START_DEADLINE_MS,
  MAX_DEADLINE_MS,
  parseHookDeadlines,
  isHookDisabled,
  parseDeadlineMs,
  parseHookEnv,
} from './hook-env.js';

describe('isHookDisabled', () => {
  it('is on for 1 or true under either name, trimmed and case-insensitive', () => {
    expect(isHookDisabled({ SESSIONS_DB_DISABLED: '1' })).toBe(true);
    expect(isHookDisabled({ SESSIONS_DB_DISABLED: ' TRUE ' })).toBe(true);
    expect(isHookDisabled({ DRUUMEN_SESSIONS_DB_DISABLED: '1' })).toBe(true);
    expect(isHookDisabled({ SESSIONS_DB_DISABLED: '0', DRUUMEN_SESSIONS_DB_DISABLED: '1' })).toBe(
      true,
    );
  });

  it('is off when unset, empty, 0 or anything else', () => {
    expect(isHookDisabled({})).toBe(false);
    expect(isHookDisabled({ SESSIONS_DB_DISABLED: '' })).toBe(false);
    expect(isHookDisabled({ SESSIONS_DB_DISABLED: '0' })).toBe(false);
    expect(isHookDisabled({ SESSIONS_DB_DISABLED: 'yes please' })).toBe(false);
  });
});

describe('parseDeadlineMs', () => {
  it('takes a positive integer up to the maximum', () => {
    expect(parseDeadlineMs('500')).toBe(500);
    expect(parseDeadlineMs(' 2500 ')).toBe(2500);
    expect(parseDeadlineMs(String(MAX_DEADLINE_MS))).toBe(MAX_DEADLINE_MS);
  });

  it('falls back to the default for anything else', () => {
    for (const value of [
      undefined,
      '',
      '0',
      '-5',
      '1.5',
      '1e3',
      'soon',
      String(MAX_DEADLINE_MS + 1),
    ]) {
      expect(parseDeadlineMs(value)).toBe(DEFAULT_DEADLINE_MS);
    }
  });
});

describe('parseHookEnv', () => {
  it('has safe defaults for an empty environment', () => {
    expect(parseHookEnv({})).toEqual({
      disabled: false,
      storePreview: true,
      deadlines: parseHookDeadlines({}),
      logPath: null,
      projectDir: null,
      sessionId: null,
      claudePid: null,
    });
  });

  it('turns previews off only for 0 or false (trimmed, lower-cased)', () => {
    expect(parseHookEnv({ SESSIONS_DB_STORE_PREVIEW: '0' }).storePreview).toBe(false);
    expect(parseHookEnv({ SESSIONS_DB_STORE_PREVIEW: ' False ' }).storePreview).toBe(false);
    expect(parseHookEnv({ DRUUMEN_SESSIONS_DB_STORE_PREVIEW: 'false' }).storePreview).toBe(false);
    for (const value of ['', '1', 'yes', 'no', 'off', 'garbage']) {
      expect(parseHookEnv({ SESSIONS_DB_STORE_PREVIEW: value }).storePreview).toBe(true);
    }
  });

  it('lets the new preview name win over the original one when both are set', () => {
    expect(
      parseHookEnv({ SESSIONS_DB_STORE_PREVIEW: '1', DRUUMEN_SESSIONS_DB_STORE_PREVIEW: '0' })
        .storePreview,
    ).toBe(true);
    expect(
      parseHookEnv({ SESSIONS_DB_STORE_PREVIEW: ' ', DRUUMEN_SESSIONS_DB_STORE_PREVIEW: '0' })
        .storePreview,
    ).toBe(false);
  });

  it('reads the log path, project dir and session id fallbacks', () => {
    const env = parseHookEnv({
      SESSIONS_DB_LOG: '/var/log/hook.jsonl',
      CLAUDE_PROJECT_DIR: '/work/repo',
      CLAUDE_SESSION_ID: ' 0b9a4b8e-6c43-4c3b-9d0a-4d7e2f3a1b2c ',
      SESSIONS_DB_HOOK_DEADLINE_MS: '700',
    });
    expect(env.logPath).toBe('/var/log/hook.jsonl');
    expect(env.projectDir).toBe('/work/repo');
    expect(env.sessionId).toBe('0b9a4b8e-6c43-4c3b-9d0a-4d7e2f3a1b2c');
    expect(env.deadlines).toEqual({ sessionStart: 700, sessionEnd: 700, stdin: 700 });
  });

  it('prefers CLAUDE_CODE_SESSION_ID over the original CLAUDE_SESSION_ID', () => {
    const env = parseHookEnv({ CLAUDE_CODE_SESSION_ID: 'new', CLAUDE_SESSION_ID: 'old' });
    expect(env.sessionId).toBe('new');
    expect(parseHookEnv({ CLAUDE_CODE_SESSION_ID: '  ', CLAUDE_SESSION_ID: 'old' }).sessionId).toBe(
      'old',
    );
  });

  it('ignores blank values', () => {
    const env = parseHookEnv({ SESSIONS_DB_LOG: '  ', CLAUDE_PROJECT_DIR: '' });
    expect(env.logPath).toBeNull();
    expect(env.projectDir).toBeNull();
  });
});

describe('parseHookDeadlines', () => {
  it('keeps SessionStart well under the timeout hook install writes', () => {
    const { sessionStart } = parseHookDeadlines({});
    expect(sessionStart).toBe(DEFAULT_SESSION_START_DEADLINE_MS);
    expect(sessionStart).toBeLessThanOrEqual(HOOK_SESSION_START_TIMEOUT_SECONDS * 1000 - 1000);
    expect(sessionStart).toBeGreaterThan(DEFAULT_SESSION_END_BUDGET_MS);
  });

  it('waits for the payload up to just under the install timeout, never less than an event deadline', () => {
    const { sessionStart, sessionEnd, stdin } = parseHookDeadlines({});
    expect(stdin).toBeLessThan(HOOK_SESSION_START_TIMEOUT_SECONDS * 1000);
    expect(stdin).toBeGreaterThanOrEqual(Math.max(sessionStart, sessionEnd));
  });

  it('keeps SessionEnd a margin under the shared 1.5 s budget, or under its override', () => {
    const fallback = parseHookDeadlines({}).sessionEnd;
    expect(fallback).toBeLessThan(DEFAULT_SESSION_END_BUDGET_MS);
    expect(fallback).toBeGreaterThan(DEFAULT_SESSION_END_BUDGET_MS / 2);
    const raised = parseHookDeadlines({ CLAUDE_CODE_SESSIONEND_HOOKS_TIMEOUT_MS: '5000' });
    expect(raised.sessionEnd).toBeLessThan(5000);
    expect(raised.sessionEnd).toBeGreaterThan(fallback);
    const lowered = parseHookDeadlines({ CLAUDE_CODE_SESSIONEND_HOOKS_TIMEOUT_MS: '400' });
    expect(lowered.sessionEnd).toBeLessThan(400);
    expect(lowered.sessionEnd).toBeGreaterThan(0);
    expect(parseHookDeadlines({ CLAUDE_CODE_SESSIONEND_HOOKS_TIMEOUT_MS: 'soon' }).sessionEnd).toBe(
      fallback,
    );
  });

  it('lets SESSIONS_DB_HOOK_DEADLINE_MS set both', () => {
    expect(
      parseHookDeadlines({
        SESSIONS_DB_HOOK_DEADLINE_MS: '3000',
        CLAUDE_CODE_SESSIONEND_HOOKS_TIMEOUT_MS: '400',
      }),
    ).toEqual({ sessionStart: 3000, sessionEnd: 3000, stdin: 3000 });
  });

  it('reads CLAUDE_PID as a positive pid only', () => {
    expect(parseHookEnv({ CLAUDE_PID: ' 4242 ' }).claudePid).toBe(4242);
    for (const value of ['', '0', '-1', 'abc', '1.5']) {
      expect(parseHookEnv({ CLAUDE_PID: value }).claudePid).toBeNull();
    }
  });
});
