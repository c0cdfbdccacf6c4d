import stringWidth from 'string-width';

/** The ellipsis used when a value is cut. */
export const ELLIPSIS = '…';

const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** Terminal columns `text` occupies (escape codes ignored, wide characters count 2). */
export function displayWidth(text: string): number {
  return stringWidth(text);
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
  for (const { segment } of segmenter.segment(text)) {
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
  const graphemes = Array.from(segmenter.segment(text), (part) => part.segment);
  let used = 0;
  let kept = '';
  for (let i = graphemes.length - 1; i >= 0; i -= 1) {
    const segment = graphemes[i] ?? '';
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
