import { eastAsianWidth } from 'get-east-asian-width';

/** The ellipsis used when a value is cut. */
export const ELLIPSIS = '…';

// Width is measured here rather than with `string-width`, whose module builds an Intl.Segmenter
// when it is loaded: ~20 ms on every run of the CLI, most of which never draw a table. This does
// what string-width does (ANSI codes and zero-width characters 0, emoji 2, East Asian width from
// `get-east-asian-width`), and creates its segmenter only for a string whose characters may
// cluster (see CLUSTERING below).
let graphemeSegmenter: Intl.Segmenter | undefined;

// Characters that join with their neighbours into one grapheme: combining and spacing marks,
// joiners and variation selectors, emoji (modifiers, tags, keycaps), regional indicators, Hangul
// jamo. A string with none of them has one grapheme per code point, so it needs no segmenter
// (whose ICU data costs ~20-30 ms to load): `…`, accented Latin, CJK and box drawing stay cheap.
const CLUSTERING =
  /[\p{Mark}\p{Extended_Pictographic}\p{Emoji_Modifier}\p{Regional_Indicator}\u1100-\u11ff\ua960-\ua97f\ud7b0-\ud7ff\u{e0020}-\u{e007f}]|\u200c|\u200d/u;

function* codePoints(text: string): Generator<string> {
  for (const point of text) yield point;
}

/** The graphemes of `text`, each as a string. */
function graphemes(text: string): Iterable<string> {
  if (!CLUSTERING.test(text)) return codePoints(text);
  graphemeSegmenter ??= new Intl.Segmenter(undefined, { granularity: 'grapheme' });
  return Array.from(graphemeSegmenter.segment(text), (part) => part.segment);
}

// eslint-disable-next-line no-control-regex
const ANSI_ESCAPE = /\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)/g;
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;
const ZERO_WIDTH = /^(?:\p{Default_Ignorable_Code_Point}|\p{Control}|\p{Mark}|\p{Surrogate})+$/u;
const EMOJI = /\p{Extended_Pictographic}|\u20e3|\ufe0f|[\u{1f1e6}-\u{1f1ff}]/u;

/** Terminal columns `text` occupies (escape codes ignored, wide characters and emoji count 2). */
export function displayWidth(text: string): number {
  const plain = text.includes('\u001b') ? text.replace(ANSI_ESCAPE, '') : text;
  if (PRINTABLE_ASCII.test(plain)) return plain.length;
  let width = 0;
  for (const segment of graphemes(plain)) {
    if (ZERO_WIDTH.test(segment)) continue;
    if (EMOJI.test(segment)) {
      width += 2;
      continue;
    }
    width += eastAsianWidth(segment.codePointAt(0) ?? 0);
  }
  return width;
}

/** C0/C1 controls (escape sequences, tabs, newlines) and bidi embedding/isolate controls. */
// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

/**
 * One line of plain text: control characters (escape sequences, tabs, newlines) become spaces and
 * runs of whitespace collapse to one space; leading and trailing space is trimmed.
 */
export function toOneLine(text: string): string {
  return text.replace(CONTROL_CHARACTERS, ' ').replace(/\s+/g, ' ').trim();
}

/** Keep the start of `text` within `width` columns, ending with `…` when something was cut. */
export function truncateEnd(text: string, width: number): string {
  if (displayWidth(text) <= width) return text;
  if (width <= 0) return '';
  const budget = width - 1;
  let used = 0;
  let kept = '';
  for (const segment of graphemes(text)) {
    const w = displayWidth(segment);
    if (used + w > budget) break;
    kept += segment;
    used += w;
  }
  return kept.trimEnd() + ELLIPSIS;
}

/** Keep the end of `text` within `width` columns, starting with `…` when something was cut. */
export function truncateStart(text: string, width: number): string {
  if (displayWidth(text) <= width) return text;
  if (width <= 0) return '';
  const budget = width - 1;
  const parts = Array.from(graphemes(text));
  let used = 0;
  let kept = '';
  for (let i = parts.length - 1; i >= 0; i -= 1) {
    const segment = parts[i] ?? '';
    const w = displayWidth(segment);
    if (used + w > budget) break;
    kept = segment + kept;
    used += w;
  }
  return ELLIPSIS + kept.trimStart();
}

/** `text` followed by spaces up to `width` columns (unchanged when already as wide). */
export function padEndTo(text: string, width: number): string {
  const missing = width - displayWidth(text);
  return missing > 0 ? text + ' '.repeat(missing) : text;
}

// eslint-disable-next-line no-control-regex
const SGR_SPLIT = /(\u001b\[[0-9;]*m)/;

/**
 * Keep the start of a styled line (text with SGR colour sequences) within `width` columns: the
 * sequences cost nothing and are kept, the text is cut (without `…`), and the style is reset
 * after a cut so it cannot bleed past the line.
 */
export function clipStyledLine(text: string, width: number): string {
  if (displayWidth(text) <= width) return text;
  let used = 0;
  let kept = '';
  for (const part of text.split(SGR_SPLIT)) {
    if (part.startsWith('\u001b[')) {
      kept += part;
      continue;
    }
    for (const segment of graphemes(part)) {
      const w = displayWidth(segment);
      if (used + w > width) return kept.includes('\u001b[') ? `${kept}\u001b[0m` : kept;
      kept += segment;
      used += w;
    }
  }
  return kept;
}
