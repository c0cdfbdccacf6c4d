/**
 * Characters that must not reach a terminal raw from stored or typed text: C0 controls but tab
 * and newline (ESC starts CSI/OSC sequences: clipboard writes, screen clears, links, titles; CR
 * and BS overwrite what was printed), DEL, C1 controls (U+0080–U+009F, 8-bit CSI/OSC), and the
 * bidirectional formatting characters that reorder what is displayed.
 */
const UNSAFE =
  // eslint-disable-next-line no-control-regex
  /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** An unsafe character as a visible escape. */
function visible(c: string): string {
  return `\\u{${(c.codePointAt(0) ?? 0).toString(16)}}`;
}

/**
 * `text` made safe to print: every unsafe character becomes a visible `\u{…}` escape, so nothing
 * from the data can move the cursor, rewrite the screen, set the clipboard or hide text.
 */
export function safeText(text: string): string {
  return text.replace(UNSAFE, visible);
}

/** An SGR sequence (`ESC[…m`), or any single unsafe character. */
const SGR_OR_UNSAFE =
  // eslint-disable-next-line no-control-regex
  /\u001b\[([0-9;]*)m|[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** The SGR parameters our colours use: reset, bold, dim, italic, underline, inverse, colours. */
const OUR_SGR = /^(?:0|1|2|3|4|7|22|23|24|27|3[0-9]|4[0-9]|9[0-7]|10[0-7])?$/;

/**
 * Human output made safe for the terminal, as the last step before it is printed: like
 * {@link safeText}, except that with `colour` on, the colour sequences of our own palette (SGR
 * `ESC[…m` with colour, bold, dim, underline or reset parameters) pass. Whatever a renderer
 * forgot, no stored title, alias, branch or reference can reach the terminal as a control.
 */
export function safeTerminalOutput(text: string, options: { readonly colour: boolean }): string {
  return text.replace(SGR_OR_UNSAFE, (match, params: string | undefined) => {
    if (params === undefined) return visible(match);
    return options.colour && params.split(';').every((p) => OUR_SGR.test(p))
      ? match
      : match.replace('\u001b', visible('\u001b'));
  });
}
