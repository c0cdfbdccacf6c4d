import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sha256HexOfText, sha256OfText } from './sha256-text.js';

describe('sha256OfText', () => {
  it('gives the digest node:crypto gives for the same text, lone surrogates included', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'binary' }), fc.string()), (text) => {
        const expected = createHash('sha256').update(text, 'utf8').digest();
        expect(Buffer.from(sha256OfText(text))).toEqual(expected);
        expect(sha256HexOfText(text)).toBe(expected.toString('hex'));
      }),
      { numRuns: 300 },
    );
  });

  it('hashes the empty string to the known digest', () => {
    expect(sha256HexOfText('')).toBe(
      'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    );
  });
});
