import * as nodeAssert from 'node:assert';
import { describe, expect, it } from 'vitest';
import { notStrictEqual, strictEqual } from './assert-compat.js';

// The bundle's stand-in must throw exactly when node:assert does.
const PAIRS: [unknown, unknown][] = [
  [1, 1],
  [1, 2],
  ['a', 'a'],
  ['1', 1],
  [NaN, NaN],
  [0, -0],
  [undefined, null],
  [null, null],
];

function throws(fn: () => void): boolean {
  try {
    fn();
    return false;
  } catch {
    return true;
  }
}

describe('assert stand-in', () => {
  for (const [a, b] of PAIRS) {
    it(`agrees with node:assert on ${String(a)} and ${String(b)}`, () => {
      expect(throws(() => strictEqual(a, b))).toBe(throws(() => nodeAssert.strictEqual(a, b)));
      expect(throws(() => notStrictEqual(a, b))).toBe(
        throws(() => nodeAssert.notStrictEqual(a, b)),
      );
    });
  }

  it('throws the message it is given', () => {
    expect(() => strictEqual(1, 2, 'arity')).toThrow('arity');
    const error = new TypeError('custom');
    expect(() => notStrictEqual(1, 1, error)).toThrow(error);
  });
});
