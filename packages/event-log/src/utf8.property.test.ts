import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { utf8ByteLength } from './utf8.js';

describe('utf8ByteLength', () => {
  it('counts the bytes Node writes for any string, ASCII or not, lone surrogates included', () => {
    const unit = fc.oneof(
      fc.constantFrom('\u0000', '\u007f', '\u0080', '\u07ff', '\u0800', '\ud800', '\udfff'),
      fc.string({ unit: 'grapheme-ascii', maxLength: 1 }),
    );
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ unit: 'binary' }),
          fc.string({ unit: 'grapheme-ascii' }),
          fc.array(unit).map((units) => units.join('')),
        ),
        (text) => {
          expect(utf8ByteLength(text)).toBe(Buffer.byteLength(text, 'utf8'));
        },
      ),
    );
  });
});
