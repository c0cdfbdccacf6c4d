/**
 * The few `git config` values the direct reader needs, from the text of a config file:
 * keys are `section.key` or `section.subsection.key` with section and key lower-cased (as git
 * compares them); the last assignment wins; a key without `=` is the boolean `true`. Quoting and
 * escapes are handled only as far as simple values need; includes are not followed.
 */
export function parseGitConfig(text: string): Map<string, string> {
  const values = new Map<string, string>();
  let section = '';
  for (const rawLine of text.split('\n')) {
    const line = rawLine.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    if (line.startsWith('[')) {
      const header = /^\[\s*([A-Za-z0-9.-]+)(?:\s+"((?:[^"\\]|\\.)*)")?\s*\]/.exec(line);
      if (header === null) {
        section = '';
        continue;
      }
      const name = (header[1] ?? '').toLowerCase();
      section = header[2] === undefined ? name : `${name}.${header[2]}`;
      continue;
    }
    if (section === '') continue;
    const assignment = /^([A-Za-z][A-Za-z0-9-]*)\s*(?:=\s*(.*))?$/.exec(line);
    if (assignment === null) continue;
    const key = `${section}.${(assignment[1] ?? '').toLowerCase()}`;
    values.set(key, unquote(assignment[2]));
  }
  return values;
}

function unquote(raw: string | undefined): string {
  if (raw === undefined) return 'true';
  // Drop a trailing comment that is not inside quotes, then the quotes themselves.
  let out = '';
  let quoted = false;
  for (let i = 0; i < raw.length; i += 1) {
    const ch = raw[i];
    if (ch === '"') quoted = !quoted;
    else if (!quoted && (ch === '#' || ch === ';')) break;
    else if (ch === '\\' && i + 1 < raw.length) {
      i += 1;
      const next = raw[i];
      out += next === 'n' ? '\n' : next === 't' ? '\t' : (next ?? '');
    } else out += ch ?? '';
  }
  return out.trim();
}

/** Whether a git boolean config value means true (`true`, `yes`, `on`, `1`). */
export function isGitTrue(value: string | undefined): boolean {
  return value !== undefined && ['true', 'yes', 'on', '1'].includes(value.toLowerCase());
}
