/**
 * Characters that must not reach a terminal raw from stored or typed text: C0 controls but tab
 * and newline (ESC starts CSI/OSC sequences: clipboard writes, screen clears, links, titles; CR
 * and BS overwrite what was printed), DEL, C1 controls (U+0080–U+009F, 8-bit CSI/OSC), and the
 * bidirectional formatting characters that reorder what is displayed.
 */
const UNSAFE =
  // eslint-disable-next-line no-control-regex
  /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/**
 * `text` made safe to print: every unsafe character becomes a visible `\u{…}` escape, so nothing
 * from the data can move the cursor, rewrite the screen, set the clipboard or hide text.
 */
export function safeText(text: string): string {
  return text.replace(UNSAFE, (c) => `\\u{${(c.codePointAt(0) ?? 0).toString(16)}}`);
}
