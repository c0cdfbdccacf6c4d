import { describe, expect, it } from 'vitest';
import { relTime } from './rel-time.js';

const NOW = Date.parse('2026-03-10T12:00:00.000Z');
const ago = (ms: number): string => new Date(NOW - ms).toISOString();
const SECOND = 1000;
const DAY = 86_400_000;

describe('relTime', () => {
  it.each([
    [0, 'just now'],
    [4_999, 'just now'],
    [5 * SECOND, '5s ago'],
    [59 * SECOND, '59s ago'],
    [60 * SECOND, '1m ago'],
    [59 * 60 * SECOND, '59m ago'],
    [3_600 * SECOND, '1h ago'],
    [23 * 3_600 * SECOND, '23h ago'],
    [DAY, '1d ago'],
    [29 * DAY, '29d ago'],
    [30 * DAY, '1mo ago'],
    [59 * DAY, '1mo ago'],
    [330 * DAY, '11mo ago'],
    [359 * DAY, '11mo ago'],
    [360 * DAY, '12mo ago'],
    [364 * DAY, '12mo ago'],
    [365 * DAY, '1y ago'],
    [729 * DAY, '1y ago'],
    [730 * DAY, '2y ago'],
  ])('%d ms ago → %s', (ms, expected) => {
    expect(relTime(ago(ms), NOW)).toBe(expected);
  });

  it('never prints 0y (the original did for days 360–364)', () => {
    for (let days = 300; days < 800; days += 1)
      expect(relTime(ago(days * DAY), NOW)).not.toBe('0y ago');
  });

  it('says "in the future" for a later time and "-" for missing or unparsable input', () => {
    expect(relTime(new Date(NOW + 1000).toISOString(), NOW)).toBe('in the future');
    expect(relTime(null, NOW)).toBe('-');
    expect(relTime(undefined, NOW)).toBe('-');
    expect(relTime('', NOW)).toBe('-');
    expect(relTime('yesterday', NOW)).toBe('-');
  });
});
