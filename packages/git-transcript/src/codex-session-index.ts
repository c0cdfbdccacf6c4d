import { readFileSync } from 'node:fs';
import { codexSessionIndexPath } from './codex-paths.js';
import { parseRecordLine } from './jsonl-lines.js';
import { nonEmptyString } from './record-fields.js';

/**
 * Thread names from `<codexHome>/session_index.jsonl` (`{id, thread_name, updated_at}` rows,
 * append-only: the last row of an id wins). A missing or unreadable index, bad lines and rows
 * without a name are skipped. Never throws.
 */
export function readCodexSessionIndex(codexHome: string): Map<string, string> {
  const names = new Map<string, string>();
  let text: string;
  try {
    text = readFileSync(codexSessionIndexPath(codexHome), 'utf8');
  } catch {
    return names;
  }
  for (const line of text.split('\n')) {
    const row = parseRecordLine(line);
    if (row === undefined) continue;
    const id = nonEmptyString(row['id']);
    const name = nonEmptyString(row['thread_name']);
    if (id !== null && name !== null) names.set(id.toLowerCase(), name);
  }
  return names;
}
