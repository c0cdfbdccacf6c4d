import { describe, expect, it } from 'vitest';
import { at, ev, recordOf } from '../test-support/events.js';

/** alias_set, ai_title_seen and custom_title_seen share one rule: null clears, non-empty sets. */
const CASES = [
  { op: 'alias_set', field: 'alias', presentByDefault: true },
  { op: 'ai_title_seen', field: 'ai_title', presentByDefault: true },
  { op: 'custom_title_seen', field: 'custom_title', presentByDefault: false },
] as const;

describe.each(CASES)('$op → $field', ({ op, field, presentByDefault }) => {
  const set = (value: unknown, minute = 0) => ev(op, { [field]: value }, { ts: at(minute) });
  const read = (events: unknown[]) =>
    (recordOf(events) as unknown as Record<string, unknown>)[field];

  it('a non-empty string sets it (last write wins)', () => {
    expect(read([set('one'), set('two', 1)])).toBe('two');
  });

  it('an explicit null clears it', () => {
    expect(read([set('one'), set(null, 1)])).toBeNull();
  });

  it('an empty string, a non-string or an absent key is a no-op', () => {
    expect(read([set('one'), set('', 1), set(42, 2), ev(op, {}, { ts: at(3) })])).toBe('one');
  });

  it(`is ${presentByDefault ? 'null' : 'absent'} on a fresh record`, () => {
    const s = recordOf([ev('session_seen', {})]);
    expect(Object.hasOwn(s, field)).toBe(presentByDefault);
  });

  it('keeps source_transcript / observed_at in the log only', () => {
    const s = recordOf([
      ev(op, { [field]: 'T', source_transcript: '/t.jsonl', observed_at: at(0) }),
    ]);
    expect(Object.hasOwn(s, 'source_transcript')).toBe(false);
    expect(Object.hasOwn(s, 'observed_at')).toBe(false);
  });
});
