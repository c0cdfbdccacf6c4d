import stringWidth from 'string-width';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { clipStyledLine, displayWidth, truncateEnd, truncateStart } from './text-width.js';

// displayWidth replaces string-width at run time (see text-width.ts); it must agree with it.
const SAMPLES = [
  '',
  'plain ascii, with punctuation: [x] {y} ~z',
  '修复登录重定向',
  '한국어 세션',
  'ｆｕｌｌｗｉｄｔｈ',
  'café (e + combining acute: cafe\u0301)',
  'zero\u200bwidth\u200dspace',
  '\u001b[1mbold\u001b[22m and \u001b[2mdim\u001b[22m',
  'thumbs 👍 family 👨‍👩‍👧 flag 🇫🇷 keycap 1️⃣',
  'mixed: Fix ログイン bug 🚀 now',
  'tab\tand newline\n',
];

describe('displayWidth', () => {
  for (const sample of SAMPLES) {
    it(`agrees with string-width on ${JSON.stringify(sample).slice(0, 40)}`, () => {
      expect(displayWidth(sample)).toBe(stringWidth(sample));
    });
  }
});

describe('displayWidth without a segmenter', () => {
  // Strings drawn from ranges with and without clustering characters: the code-point path and
  // the segmenter path must both agree with string-width, and truncation must stay within width.
  const pieces = fc.constantFrom(
    'a',
    'Z',
    ' ',
    '…',
    'é',
    'e\u0301',
    '修',
    'ロ',
    '한',
    '\u1100\u1161',
    '─',
    '👍',
    '👨‍👩‍👧',
    '🇫🇷',
    '1️⃣',
    '\u200b',
    'ß',
    'ｆ',
  );
  const texts = fc.array(pieces, { maxLength: 24 }).map((parts) => parts.join(''));

  it('agrees with string-width on any mix of narrow, wide, combining and emoji text', () => {
    fc.assert(fc.property(texts, (text) => displayWidth(text) === stringWidth(text)));
  });

  it('cuts any mix to at most the width asked for', () => {
    fc.assert(
      fc.property(texts, fc.integer({ min: 0, max: 30 }), (text, width) => {
        const start = truncateEnd(text, width);
        const end = truncateStart(text, width);
        return displayWidth(start) <= Math.max(width, 0) && displayWidth(end) <= Math.max(width, 0);
      }),
    );
  });
});

describe('clipStyledLine', () => {
  it('cuts the text to the width, keeps the colour sequences and resets after a cut', () => {
    const red = '\u001b[31m';
    const reset = '\u001b[39m';
    expect(clipStyledLine(`${red}abc${reset}def`, 10)).toBe(`${red}abc${reset}def`);
    expect(clipStyledLine(`${red}abc${reset}def`, 4)).toBe(`${red}abc${reset}d\u001b[0m`);
    expect(clipStyledLine('abcdef', 3)).toBe('abc');
    expect(clipStyledLine('日本語', 5)).toBe('日本');
    expect(displayWidth(clipStyledLine(`${red}${'x'.repeat(50)}`, 7))).toBe(7);
  });
});
