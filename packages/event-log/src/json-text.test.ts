import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { escapeJsonControls } from './json-text.js';

const RAW = /[\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2028\u2029\u2066-\u2069]/;

describe('escapeJsonControls', () => {
  it('writes C1, bidi and separator characters as \\u escapes', () => {
    const json = JSON.stringify({ title: 'a\u009b2Jb\u202ec\u2028d' });
    expect(escapeJsonControls(json)).toBe('{"title":"a\\u009b2Jb\\u202ec\\u2028d"}');
  });

  it('keeps the JSON value exactly, and leaves no raw control behind', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.string({ unit: 'binary' }), (value, text) => {
        const json = JSON.stringify({ value, text }, null, 2);
        const escaped = escapeJsonControls(json);
        expect(JSON.parse(escaped)).toEqual(JSON.parse(json));
        expect(escaped).not.toMatch(RAW);
      }),
    );
  });
});
