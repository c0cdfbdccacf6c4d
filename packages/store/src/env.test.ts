import { describe, expect, it } from 'vitest';

import { readSessionsDbEnv, sessionsDbDisabled, storePreviewEnabled } from './env.js';
import { resolveStore } from './paths.js';

describe('the one environment parser', () => {
  it('treats a blank value as unset, so the original name answers', () => {
    const env = { SESSIONS_DB_STORE_PREVIEW: ' ', DRUUMEN_SESSIONS_DB_STORE_PREVIEW: '0' };
    expect(readSessionsDbEnv(env, 'STORE_PREVIEW')).toEqual({ value: '0', from: 'compat' });
    expect(storePreviewEnabled(env)).toBe(false);
  });

  it('lets the new name win when both are set, trimmed', () => {
    expect(
      readSessionsDbEnv({ SESSIONS_DB_ROOT: ' /a ', DRUUMEN_SESSIONS_DB_ROOT: '/b' }, 'ROOT'),
    ).toEqual({ value: '/a', from: 'ours' });
    expect(readSessionsDbEnv({}, 'ROOT')).toBeUndefined();
  });

  it('turns previews off for 0 or false only', () => {
    expect(storePreviewEnabled({ SESSIONS_DB_STORE_PREVIEW: ' FALSE ' })).toBe(false);
    for (const value of ['', '1', 'no', 'off']) {
      expect(storePreviewEnabled({ SESSIONS_DB_STORE_PREVIEW: value })).toBe(true);
    }
  });

  it('has the kill switch on when either name is on', () => {
    expect(
      sessionsDbDisabled({ SESSIONS_DB_DISABLED: '0', DRUUMEN_SESSIONS_DB_DISABLED: 'true' }),
    ).toBe(true);
    expect(sessionsDbDisabled({ SESSIONS_DB_DISABLED: 'yes' })).toBe(false);
  });

  it('is what the store resolver reads: a blank SESSIONS_DB_ROOT falls through to the alias', () => {
    const paths = resolveStore({
      env: { SESSIONS_DB_ROOT: '  ', DRUUMEN_SESSIONS_DB_ROOT: 'compat-store' },
      cwd: '.',
    });
    expect(paths.source).toBe('env-compat');
    expect(paths.dir.endsWith('compat-store')).toBe(true);
  });
});
