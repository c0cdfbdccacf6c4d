import { describe, expect, it } from 'vitest';
import { emptySession, pickLabel } from './index.js';
import { SID, at } from './test-support/events.js';

describe('pickLabel', () => {
  const base = emptySession(SID, at(0));

  it('prefers alias, then custom_title, then ai_title, then first_prompt_preview', () => {
    const full = {
      ...base,
      alias: 'A',
      custom_title: 'C',
      ai_title: 'T',
      first_prompt_preview: 'P',
    };
    expect(pickLabel(full)).toEqual({ label: 'A', source: 'alias' });
    expect(pickLabel({ ...full, alias: null })).toEqual({ label: 'C', source: 'custom_title' });
    expect(pickLabel({ ...full, alias: null, custom_title: null })).toEqual({
      label: 'T',
      source: 'ai_title',
    });
    expect(pickLabel({ ...full, alias: null, custom_title: null, ai_title: null })).toEqual({
      label: 'P',
      source: 'first_prompt',
    });
  });

  it('skips empty strings and non-strings', () => {
    const record = { ...base, alias: '', ai_title: 'T' } as typeof base;
    (record as unknown as Record<string, unknown>).custom_title = 42;
    expect(pickLabel(record)).toEqual({ label: 'T', source: 'ai_title' });
  });

  it('returns nulls when nothing is usable, including for an absent custom_title', () => {
    expect(pickLabel(base)).toEqual({ label: null, source: null });
    expect(pickLabel({})).toEqual({ label: null, source: null });
  });
});
