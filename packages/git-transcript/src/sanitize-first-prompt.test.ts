import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  WRAPPER_TAGS,
  sanitizeFirstPrompt,
  stripIdeWrappers,
  stripSystemReminders,
} from './sanitize-first-prompt.js';

const { familyA: FAMILY_A, familyB: FAMILY_B } = WRAPPER_TAGS;
const ALL_TAGS = [...FAMILY_A, ...FAMILY_B];

/** The wrapper tags docs/claude-code.md lists in step 2 of "The first-prompt preview", in order. */
function documentedWrapperTags(): string[] {
  const doc = readFileSync(new URL('../../../docs/claude-code.md', import.meta.url), 'utf8');
  const step = /^2\. remove wrapper elements[\s\S]*?; repeat/m.exec(doc);
  if (step === null)
    throw new Error('docs/claude-code.md: step 2 of the first-prompt preview not found');
  const list = step[0].slice(step[0].indexOf('across lines:'));
  return [...list.matchAll(/`([^`]+)`/g)].map((match) => match[1] ?? '');
}

function codePoints(text: string): number {
  return [...text].length;
}

describe('sanitizeFirstPrompt: contract', () => {
  it('returns "" for anything that is not a string', () => {
    for (const value of [undefined, null, 42, {}, ['a'], true]) {
      expect(sanitizeFirstPrompt(value)).toBe('');
      expect(stripSystemReminders(value)).toBe('');
      expect(stripIdeWrappers(value)).toBe('');
    }
  });

  it('keeps a plain prompt as is, trimmed', () => {
    expect(sanitizeFirstPrompt('  fix the login bug \n')).toBe('fix the login bug');
  });

  it('normalises line endings and collapses 3+ newlines to 2', () => {
    expect(sanitizeFirstPrompt('a\r\nb\n\n\n\nc')).toBe('a\nb\n\nc');
  });

  it('does not decode HTML entities', () => {
    const text = '&lt;system-reminder&gt;keep&lt;/system-reminder&gt;';
    expect(sanitizeFirstPrompt(text)).toBe(text);
  });

  it('leaves unclosed wrappers in place', () => {
    expect(sanitizeFirstPrompt('<system-reminder>never closed')).toBe(
      '<system-reminder>never closed',
    );
    expect(sanitizeFirstPrompt('<command-name>/init')).toBe('<command-name>/init');
  });

  it('needs a word boundary after the tag name, and accepts attributes', () => {
    expect(sanitizeFirstPrompt('<system-reminderXYZ>a</system-reminderXYZ>b')).toBe(
      '<system-reminderXYZ>a</system-reminderXYZ>b',
    );
    expect(sanitizeFirstPrompt('<system-reminder data-x="y" >hidden</system-reminder>shown')).toBe(
      'shown',
    );
  });

  it('matches tags case-insensitively and across lines', () => {
    expect(sanitizeFirstPrompt('<SYSTEM-Reminder>\nline 1\nline 2\n</System-REMINDER>\nask')).toBe(
      'ask',
    );
  });

  it('stops the lazy body at the first closing tag', () => {
    expect(sanitizeFirstPrompt('<thinking>a</thinking>keep<thinking>b</thinking>')).toBe('keep');
  });

  it('strips exactly the wrapper tags docs/claude-code.md lists, in its order', () => {
    expect(ALL_TAGS).toEqual(documentedWrapperTags());
  });

  it.each([
    ...FAMILY_A.map((tag) => [tag, stripSystemReminders, stripIdeWrappers] as const),
    ...FAMILY_B.map((tag) => [tag, stripIdeWrappers, stripSystemReminders] as const),
  ])('strips <%s> on its own, by its family’s helper only', (tag, own, other) => {
    const text = `before <${tag}>PAYLOAD</${tag}> after`;
    expect(sanitizeFirstPrompt(text)).toBe('before  after');
    expect(own(text)).toBe('before  after');
    expect(other(text)).toBe(text);
  });

  it('exports family A and family B helpers that strip only their own family', () => {
    const text = '<system-reminder>r</system-reminder><ide_selection>s</ide_selection>x';
    expect(stripSystemReminders(text)).toBe('<ide_selection>s</ide_selection>x');
    expect(stripIdeWrappers(text)).toBe('<system-reminder>r</system-reminder>x');
  });
});

describe('sanitizeFirstPrompt: truncation', () => {
  it('keeps text of exactly maxCodePoints', () => {
    expect(sanitizeFirstPrompt('abcde', { maxCodePoints: 5 })).toBe('abcde');
  });

  it('cuts to maxCodePoints − 1 code points plus …', () => {
    const result = sanitizeFirstPrompt('abcdefgh', { maxCodePoints: 5 });
    expect(result).toBe('abcd…');
    expect(codePoints(result)).toBe(5);
  });

  it('counts code points, not UTF-16 units, and never splits a surrogate pair', () => {
    const emoji = '😀'.repeat(6);
    expect(sanitizeFirstPrompt(emoji, { maxCodePoints: 6 })).toBe(emoji);
    const cut = sanitizeFirstPrompt(emoji, { maxCodePoints: 4 });
    expect(cut).toBe('😀😀😀…');
    expect(cut).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
  });

  it('uses 200 by default and for invalid values', () => {
    const long = 'x'.repeat(500);
    for (const maxCodePoints of [undefined, 0, -3, Number.NaN, Number.POSITIVE_INFINITY]) {
      const options = maxCodePoints === undefined ? {} : { maxCodePoints };
      expect(codePoints(sanitizeFirstPrompt(long, options))).toBe(200);
    }
  });
});

describe('sanitizeFirstPrompt: hostile corpus', () => {
  const corpus: { name: string; input: string; expected: string }[] = [
    {
      name: 'fullwidth brackets folded by NFKC first',
      input: '＜system-reminder＞SECRET＜/system-reminder＞hello',
      expected: 'hello',
    },
    {
      name: 'nested wrappers of the same name',
      input:
        '<system-reminder>SECRET<system-reminder>SECRET</system-reminder>SECRET</system-reminder>tail',
      expected: 'tail',
    },
    {
      name: 'nested wrappers of different families',
      input:
        '<ide_selection>SECRET<system-reminder>SECRET</system-reminder>SECRET</ide_selection>ok',
      expected: 'ok',
    },
    {
      name: 'tags split across lines',
      input:
        '<system-reminder\n  source="hook"\n>SECRET\nSECRET\n</system-reminder>\nwhat changed?',
      expected: 'what changed?',
    },
    {
      name: 'splice attack across families',
      input: '<system-reminder>SECRET</system-<ide_selection>SECRET</ide_selection>reminder>tail',
      expected: 'tail',
    },
    {
      name: 'splice attack across command tags',
      input: '<command-name>SECRET</command-<command-args>SECRET</command-args>name>tail',
      expected: 'tail',
    },
    {
      name: '/init: command-message before command-name',
      input:
        '<command-message>init is analyzing your codebase…</command-message>\n<command-name>/init</command-name>',
      expected: '',
    },
    {
      name: '/clear: name, message, empty args',
      input:
        '<command-name>/clear</command-name>\n            <command-message>clear</command-message>\n            <command-args></command-args>',
      expected: '',
    },
    {
      name: 'command with arguments after the message',
      input:
        '<command-message>review-pr</command-message>\n<command-name>/review-pr</command-name>\n<command-args>SECRET 123</command-args>',
      expected: '',
    },
    {
      name: 'args before name',
      input: '<command-args>SECRET</command-args><command-name>/model</command-name>',
      expected: '',
    },
    {
      name: 'local command output',
      input:
        '<local-command-stdout>SECRET\nSECRET</local-command-stdout><local-command-stderr>SECRET</local-command-stderr>',
      expected: '',
    },
    {
      name: 'IDE context then the real prompt',
      input:
        '<ide_opened_file>The user opened the file /src/SECRET.ts in the IDE.</ide_opened_file>\nrefactor this file',
      expected: 'refactor this file',
    },
    {
      name: 'RTL override characters around a wrapper',
      input: '\u202E<system-reminder>SECRET</system-reminder>\u202Dvisible',
      expected: '\u202E\u202Dvisible',
    },
    {
      name: 'lone surrogates',
      input: '\uD800<thinking>SECRET</thinking>\uDC00 ok',
      expected: '\uD800\uDC00 ok',
    },
  ];

  for (const { name, input, expected } of corpus) {
    it(name, () => {
      const result = sanitizeFirstPrompt(input);
      expect(result).toBe(expected);
      expect(result).not.toContain('SECRET');
    });
  }

  it('finishes a 1 MB prompt of unclosed tags and keeps it (unclosed wrappers stay)', () => {
    const input = '<system-reminder>a<thinking x>b<command-name>c'.repeat(25_000);
    expect(input.length).toBeGreaterThan(1_000_000);
    const result = sanitizeFirstPrompt(input, { maxCodePoints: 2_000_000 });
    expect(result).toBe(input);
  });

  it('finishes a 1 MB prompt of openings that never reach a `>`', () => {
    const input = '<system-reminder <thinking <command-name '.repeat(26_000);
    expect(input.length).toBeGreaterThan(1_000_000);
    expect(sanitizeFirstPrompt(input, { maxCodePoints: 2_000_000 })).toBe(input.trim());
  });

  it('finishes a 1 MB prompt of many complete wrappers and removes them all', () => {
    const input = '<system-reminder>SECRET</system-reminder>a'.repeat(25_000);
    expect(input.length).toBeGreaterThan(1_000_000);
    expect(sanitizeFirstPrompt(input, { maxCodePoints: 2_000_000 })).toBe('a'.repeat(25_000));
  });

  it('finishes a 1 MB prompt of openings with one closing at the very end', () => {
    const input = `${'<system-reminder>x'.repeat(60_000)}</system-reminder>tail`;
    expect(sanitizeFirstPrompt(input)).toBe(
      '<system-reminder>x'.repeat(59_999).slice(0, 199) + '…',
    );
  });
});

/** `<tag attrs>` for a tag, with optional attributes. */
const openingTag = (tag: string, attrs: string): string => `<${tag}${attrs}>`;

describe('sanitizeFirstPrompt: properties', () => {
  it('never throws and never exceeds maxCodePoints on arbitrary strings', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'binary', maxLength: 300 }),
        fc.integer({ min: 1, max: 50 }),
        (text, max) => {
          const result = sanitizeFirstPrompt(text, { maxCodePoints: max });
          expect(codePoints(result)).toBeLessThanOrEqual(max);
        },
      ),
    );
  });

  it('without nesting, equals the regex replacement of docs/claude-code.md#the-first-prompt-preview (one family pass)', () => {
    const tag = fc.constantFrom('system-reminder', 'system', 'thinking', 'parameter');
    const attrs = fc.constantFrom('', ' a="1"', '\n', ' x');
    const plain = fc.stringMatching(/^[a-z \n/]{0,8}$/);
    const segment = fc.oneof(
      plain,
      fc.tuple(tag, attrs, plain).map(([t, a, body]) => `${openingTag(t, a)}${body}</${t}>`),
      // A stray closing or an unclosed opening (at the end) are allowed too.
      tag.map((t) => `</${t}>`),
    );
    fc.assert(
      fc.property(fc.array(segment, { maxLength: 8 }), fc.option(tag), (segments, unclosed) => {
        const text = segments.join('') + (unclosed === null ? '' : `<${unclosed}>rest`);
        let expected = text;
        for (const name of FAMILY_A) {
          expected = expected.replace(
            new RegExp(`<${name}\\b[^>]*>[\\s\\S]*?</${name}>`, 'gi'),
            '',
          );
        }
        expect(stripSystemReminders(text)).toBe(expected);
      }),
    );
  });

  it('never leaks a wrapped payload, whatever the nesting and order of wrappers', () => {
    const tag = fc.constantFrom(...ALL_TAGS);
    const wrapped: fc.Arbitrary<string> = fc
      .letrec<{ node: string }>((tie) => ({
        node: fc.oneof(
          { depthSize: 'small', withCrossShrink: true },
          fc.constant('SECRET'),
          fc
            .tuple(tag, fc.array(tie('node'), { minLength: 1, maxLength: 3 }))
            .map(([t, children]) => `<${t}>${children.join(' ')}</${t}>`),
        ),
      }))
      .node.filter((node) => node.startsWith('<'));
    const visible = fc.constantFrom('alpha', 'beta', '\n', ' ');
    fc.assert(
      fc.property(fc.array(fc.oneof(wrapped, visible), { maxLength: 6 }), (parts) => {
        const result = sanitizeFirstPrompt(parts.join(''), { maxCodePoints: 10_000 });
        expect(result).not.toContain('SECRET');
        for (const name of ALL_TAGS) expect(result).not.toContain(`</${name}>`);
      }),
    );
  });
});
