/**
 * The first-prompt sanitizer of docs/claude-code.md#the-first-prompt-preview: it removes harness wrappers
 * (system reminders, IDE context, slash-command tags) from a raw user prompt so the preview and
 * the `first_human_prompt_v1` fingerprint describe what the person typed.
 *
 * Every wrapper is matched like the regular expression `<name\b[^>]*>[\s\S]*?</name>` (global,
 * case-insensitive), but by a hand-written scanner that is linear in the input length (a prompt
 * of many unclosed opening tags costs one pass, not one pass per tag) and that also removes a
 * wrapper nested inside a wrapper of the same name whole, where the regex would leave the outer
 * wrapper's tail behind.
 */

import { redactSecrets } from './redact-secrets.js';

/** Default length of a preview, in Unicode code points (docs/claude-code.md#the-first-prompt-preview). */
export const DEFAULT_PREVIEW_CODE_POINTS = 200;

/**
 * The wrapper tags the sanitizer removes (docs/claude-code.md#the-first-prompt-preview), each family
 * in the order it is stripped. Family A: system and model wrappers ({@link stripSystemReminders}).
 * Family B: the IDE wrappers, then every slash-command tag stripped on its own (D7), so any order
 * of `<command-name>`, `<command-message>` and `<command-args>` is removed ({@link stripIdeWrappers}).
 */
export const WRAPPER_TAGS: {
  readonly familyA: readonly string[];
  readonly familyB: readonly string[];
} = {
  familyA: ['system-reminder', 'system', 'thinking', 'tool_use', 'tool_result', 'parameter'],
  familyB: [
    'ide_opened_file',
    'ide_selection',
    'command-name',
    'command-message',
    'command-args',
    'local-command-stdout',
    'local-command-stderr',
  ],
};

/** How much of a long prompt is redacted before the preview is cut from its start (UTF-16 units). */
const REDACT_WINDOW_UNITS = 4096;

/** Upper bound on stripping passes; each pass that changes the text makes it shorter. */
const MAX_PASSES = 32;

interface TagMatcher {
  readonly open: RegExp;
  readonly close: RegExp;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function createMatcher(name: string): TagMatcher {
  const escaped = escapeRegExp(name);
  return { open: new RegExp(`<${escaped}\\b`, 'gi'), close: new RegExp(`</${escaped}>`, 'gi') };
}

const FAMILY_A_MATCHERS = WRAPPER_TAGS.familyA.map(createMatcher);
const FAMILY_B_MATCHERS = WRAPPER_TAGS.familyB.map(createMatcher);

interface Token {
  readonly start: number;
  /** Index just past the token. */
  readonly end: number;
}

/** The next complete opening tag (`<name\b[^>]*>`) at or after `from`, or `null`. */
function nextOpening(text: string, open: RegExp, from: number): Token | null {
  open.lastIndex = from;
  const match = open.exec(text);
  if (match === null) return null;
  const gt = text.indexOf('>', open.lastIndex);
  // No `>` left: neither this nor any later opening tag is complete.
  return gt === -1 ? null : { start: match.index, end: gt + 1 };
}

/** The next closing tag (`</name>`) at or after `from`, or `null`. */
function nextClosing(text: string, close: RegExp, from: number): Token | null {
  close.lastIndex = from;
  const match = close.exec(text);
  return match === null ? null : { start: match.index, end: close.lastIndex };
}

/**
 * Remove every complete `<name …>…</name>` span in one left-to-right pass. Each closing tag
 * pairs with the nearest unpaired opening tag before it, so a wrapper nested in a wrapper of the
 * same name is removed whole. When every opening tag is followed by a closing tag before the next
 * opening tag (no nesting), the result is exactly that of replacing
 * `<name\b[^>]*>[\s\S]*?</name>` (global, case-insensitive) with `''`. Unclosed tags stay.
 * Every scan moves forward, so the cost is linear in the length of `text`.
 */
function stripTag(text: string, matcher: TagMatcher): string {
  const { open, close } = matcher;
  const openings: number[] = [];
  const spans: Token[] = [];
  let opening = nextOpening(text, open, 0);
  let closing = nextClosing(text, close, 0);
  while (closing !== null) {
    if (opening !== null && opening.start < closing.start) {
      openings.push(opening.start);
      const after = opening.end;
      opening = nextOpening(text, open, after);
      if (closing.start < after) closing = nextClosing(text, close, after);
      continue;
    }
    const start = openings.pop();
    if (start !== undefined) {
      // This span swallows the spans of the wrappers nested inside it.
      while (spans.length > 0 && (spans[spans.length - 1]?.start ?? -1) >= start) spans.pop();
      spans.push({ start, end: closing.end });
    }
    const after = closing.end;
    closing = nextClosing(text, close, after);
    if (opening !== null && opening.start < after) opening = nextOpening(text, open, after);
  }
  if (spans.length === 0) return text;
  let out = '';
  let kept = 0;
  for (const span of spans) {
    out += text.slice(kept, span.start);
    kept = span.end;
  }
  return out + text.slice(kept);
}

function stripFamily(text: string, matchers: readonly TagMatcher[]): string {
  // Every tag begins with `<`: a text without one is returned as it is, without running (and, in a
  // fresh process, compiling) the family's regular expressions.
  if (!text.includes('<')) return text;
  let result = text;
  for (const matcher of matchers) result = stripTag(result, matcher);
  return result;
}

/**
 * Remove family A wrappers (`system-reminder`, `system`, `thinking`, `tool_use`, `tool_result`,
 * `parameter`) in one pass, without normalisation. Non-string input → `''`.
 */
export function stripSystemReminders(raw: unknown): string {
  return typeof raw === 'string' ? stripFamily(raw, FAMILY_A_MATCHERS) : '';
}

/**
 * Remove family B wrappers (`ide_opened_file`, `ide_selection`, and each of `command-name`,
 * `command-message`, `command-args`, `local-command-stdout`, `local-command-stderr`) in one pass,
 * without normalisation. Non-string input → `''`.
 */
export function stripIdeWrappers(raw: unknown): string {
  return typeof raw === 'string' ? stripFamily(raw, FAMILY_B_MATCHERS) : '';
}

/** Options of {@link sanitizeFirstPrompt}. */
export interface SanitizeOptions {
  /** Longest result in code points (`…` included). Default 200; non-finite or < 1 → 200. */
  readonly maxCodePoints?: number;
  /**
   * Replace well-known credentials with `[REDACTED:<kind>]` before the text is cut (a preview that
   * is stored or shown). Off for the fingerprint input, which must stay the original's.
   */
  readonly redact?: boolean;
}

/**
 * Turn a raw first prompt into its preview (docs/claude-code.md#the-first-prompt-preview): NFKC, strip family A then B until
 * nothing changes, `\r\n` → `\n`, 3+ newlines → 2, trim, then cut to `maxCodePoints` code points
 * with a trailing `…` (never splitting a surrogate pair). Non-string input → `''`. Never throws.
 */
export function sanitizeFirstPrompt(raw: unknown, options: SanitizeOptions = {}): string {
  // No prompt (a new session's transcript does not exist yet): nothing to strip, redact or cut.
  if (typeof raw !== 'string' || raw === '') return '';
  const requested = options.maxCodePoints;
  const maxCodePoints =
    requested !== undefined && Number.isFinite(requested) && requested >= 1
      ? Math.floor(requested)
      : DEFAULT_PREVIEW_CODE_POINTS;

  let text = raw.normalize('NFKC');
  // The original runs two passes; we repeat while a pass still removes something (a pass that
  // changes nothing would change nothing the next time either).
  for (let pass = 0; pass < MAX_PASSES; pass += 1) {
    const next = stripFamily(stripFamily(text, FAMILY_A_MATCHERS), FAMILY_B_MATCHERS);
    if (next === text) break;
    text = next;
  }
  text = text
    .replace(/\r\n/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
  // Only the start is kept: redact a window well past the cut (a private key that begins inside
  // the preview and runs past the window is still matched, up to the window's end).
  if (options.redact === true) text = redactSecrets(text.slice(0, REDACT_WINDOW_UNITS));
  return truncateCodePoints(text, maxCodePoints);
}

/** Step 4 of docs/claude-code.md#the-first-prompt-preview: keep `max − 1` code points and append `…` when the text is longer than `max`. */
function truncateCodePoints(text: string, max: number): string {
  if (text.length <= max) return text;
  let count = 0;
  let cut = -1;
  for (let i = 0; i < text.length;) {
    const cp = text.codePointAt(i) ?? 0;
    const width = cp > 0xffff ? 2 : 1;
    if (count === max - 1) cut = i;
    count += 1;
    if (count > max) return `${text.slice(0, cut)}…`;
    i += width;
  }
  return text;
}
