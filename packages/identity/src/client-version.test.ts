import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { copiesAreForks, parseClientVersion } from './client-version.js';

describe('parseClientVersion', () => {
  it('reads major.minor.patch and ignores a suffix', () => {
    expect(parseClientVersion('2.1.332')).toEqual([2, 1, 332]);
    expect(parseClientVersion(' 1.0.124-beta.1 ')).toEqual([1, 0, 124]);
  });
  it('returns null for anything else', () => {
    for (const value of ['', '2.1', 'v2.1.3', 'x', null, 3, undefined]) {
      expect(parseClientVersion(value)).toBeNull();
    }
  });
});

describe('copiesAreForks', () => {
  it('is true from 1.0.124 on and false before', () => {
    expect(copiesAreForks('1.0.123')).toBe(false);
    expect(copiesAreForks('1.0.124')).toBe(true);
    expect(copiesAreForks('1.1.0')).toBe(true);
    expect(copiesAreForks('0.9.999')).toBe(false);
    expect(copiesAreForks(null)).toBe(false);
  });
  it('orders versions numerically, not as text', () => {
    fc.assert(
      fc.property(fc.nat(50), fc.nat(50), fc.nat(2000), (major, minor, patch) => {
        const expected = major > 1 || (major === 1 && (minor > 0 || (minor === 0 && patch >= 124)));
        expect(copiesAreForks(`${major}.${minor}.${patch}`)).toBe(expected);
      }),
    );
  });
});
