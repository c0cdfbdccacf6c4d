import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { safeTerminalOutput, safeText } from './safe-text.js';

// Every class of hostile text a stored title, alias, branch or reference can carry.
const HOSTILE: Record<string, string> = {
  'OSC 52 clipboard write': '\u001b]52;c;ZWNobyBwd25lZA==\u0007',
  'clear screen': '\u001b[2J\u001b[H',
  'OSC 8 link': '\u001b]8;;https://evil.example\u001b\\click\u001b]8;;\u001b\\',
  'window title': '\u001b]0;pwned\u0007',
  'carriage return overwrite': 'safe\rEVIL',
  backspace: 'abc\b\b\bxyz',
  'C1 CSI': '\u009b2J',
  'bidi override': 'txt.\u202eexe.sh',
  'bidi isolate': '\u2066hidden\u2069',
  'DEL and NUL': 'a\u007fb\u0000c',
};

/** Control and bidi characters, as a test of the output independent of the implementation. */
const CONTROL =
  // eslint-disable-next-line no-control-regex
  /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

describe('safeText', () => {
  for (const [name, text] of Object.entries(HOSTILE)) {
    it(`leaves no control character of ${name}`, () => {
      expect(safeText(text)).not.toMatch(CONTROL);
    });
  }

  it('keeps ordinary text, tabs and newlines as they are', () => {
    expect(safeText('fix the login loop\n\tüber 修复 🚀')).toBe(
      'fix the login loop\n\tüber 修复 🚀',
    );
  });

  it('shows what was removed as a visible escape', () => {
    expect(safeText('a\u001b[31mb')).toBe('a\\u{1b}[31mb');
    expect(safeText('x\u202ey')).toBe('x\\u{202e}y');
  });

  it('never outputs an unsafe character, whatever the input', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary' }), (text) => !CONTROL.test(safeText(text))));
  });
});

describe('safeTerminalOutput', () => {
  it('lets our own colours through only when colour is on', () => {
    const red = '\u001b[31mred\u001b[39m \u001b[1;2mbold\u001b[22m';
    expect(safeTerminalOutput(red, { colour: true })).toBe(red);
    expect(safeTerminalOutput(red, { colour: false })).not.toContain('\u001b');
  });

  it('escapes every other sequence, colour or not', () => {
    for (const colour of [true, false]) {
      const out = safeTerminalOutput('a\u001b[8mhidden\u001b]0;t\u0007\u001b[2J\r\u009b1m', {
        colour,
      });
      expect(out).not.toMatch(CONTROL);
      expect(out).toContain('\\u{1b}[8m');
    }
  });
});
