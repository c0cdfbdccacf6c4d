import stringWidth from 'string-width';
import { describe, expect, it } from 'vitest';
import { displayWidth } from './text-width.js';

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
