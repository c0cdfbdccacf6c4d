/**
 * `json` (any JSON text) with DEL, C1 controls, bidi controls and U+2028/U+2029 written as `\u`
 * escapes: the same JSON value, safe to print or to open in an editor. Those are the characters
 * JSON.stringify leaves raw that a terminal or an editor acts on: DEL, the C1 controls
 * (U+0080–U+009F: 8-bit CSI and OSC), the bidirectional formatting characters (they reorder what
 * is displayed) and the line and paragraph separators. In JSON text they can only stand inside
 * strings, so writing them as `\u` escapes gives the same value.
 *
 * Self-contained (it refers to nothing outside its body): the store's projection writer runs it in
 * a worker thread from its source text.
 */
export function escapeJsonControls(json: string): string {
  return json.replace(
    /[\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2028\u2029\u2066-\u2069]/g,
    (c) => `\\u${(c.codePointAt(0) ?? 0).toString(16).padStart(4, '0')}`,
  );
}
