/** How a settings file is laid out, so a rewrite keeps its style. */
export interface SettingsFormat {
  /** The indent unit (`'  '`, `'    '`, `'\t'`), or `''` for a one-line file. */
  readonly indent: string;
  readonly newline: '\n' | '\r\n';
  readonly trailingNewline: boolean;
}

/** The layout of new files: two spaces, LF, final newline. */
export const DEFAULT_SETTINGS_FORMAT: SettingsFormat = {
  indent: '  ',
  newline: '\n',
  trailingNewline: true,
};

/** Result of {@link parseSettingsText}. */
export type ParsedSettings =
  | { readonly ok: true; readonly value: unknown; readonly format: SettingsFormat }
  | { readonly ok: false; readonly message: string };

/** The indent unit of a JSON text: the leading whitespace of its first indented line. */
export function detectIndent(text: string): string {
  const match = /\n([ \t]+)\S/.exec(text);
  if (match !== null) return match[1] ?? '  ';
  return text.includes('\n') ? '  ' : '';
}

/**
 * Parse a settings file. Comment-free JSON only (Claude Code's `settings.json` is plain JSON);
 * an empty file is `{}`. The layout is detected so {@link formatSettings} can keep it.
 */
export function parseSettingsText(text: string): ParsedSettings {
  const body = text.startsWith('\uFEFF') ? text.slice(1) : text;
  const format: SettingsFormat = {
    indent: body.trim() === '' ? DEFAULT_SETTINGS_FORMAT.indent : detectIndent(body),
    newline: body.includes('\r\n') ? '\r\n' : '\n',
    trailingNewline: body.trim() === '' || /\n$/.test(body),
  };
  if (body.trim() === '') return { ok: true, value: {}, format };
  try {
    return { ok: true, value: JSON.parse(body) as unknown, format };
  } catch (error) {
    return { ok: false, message: error instanceof Error ? error.message : String(error) };
  }
}

/** JSON text of `value` in `format`. */
export function formatSettings(value: unknown, format: SettingsFormat): string {
  const text = JSON.stringify(value, null, format.indent);
  const lines = format.newline === '\n' ? text : text.replace(/\n/g, '\r\n');
  return format.trailingNewline ? lines + format.newline : lines;
}
