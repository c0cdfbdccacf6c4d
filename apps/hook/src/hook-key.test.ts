import { describe, expect, it } from 'vitest';

import { hookEventKey } from './hook-key.js';

const payload = {
  session_id: '0b9a4b8e-6c43-4c3b-9d0a-4d7e2f3a1b2c',
  hook_event_name: 'SessionStart',
  source: 'startup',
  cwd: '/repo',
};

describe('hookEventKey', () => {
  it('is the same for the same payload, whatever the key order', () => {
    const reordered = {
      cwd: '/repo',
      source: 'startup',
      hook_event_name: 'SessionStart',
      session_id: payload.session_id,
    };
    expect(hookEventKey(payload)).toMatch(/^hk1:[0-9a-f]{32}$/);
    expect(hookEventKey(reordered)).toBe(hookEventKey(payload));
  });

  it('differs when the event, the source or the session differs', () => {
    const key = hookEventKey(payload);
    expect(hookEventKey({ ...payload, source: 'resume' })).not.toBe(key);
    expect(hookEventKey({ ...payload, hook_event_name: 'SessionEnd' })).not.toBe(key);
    expect(hookEventKey({ ...payload, session_id: 'other' })).not.toBe(key);
    expect(hookEventKey({ ...payload, nested: { a: 1 } })).not.toBe(
      hookEventKey({ ...payload, nested: { a: 2 } }),
    );
  });

  it('is null without a JSON object payload', () => {
    for (const value of [null, undefined, 'text', 42, ['a']]) {
      expect(hookEventKey(value)).toBeNull();
    }
  });
});
