import { codexItemOf, historyModeOf } from './codex-records.js';
import type { CodexItem } from './codex-records.js';
import { parseRecordLine } from './jsonl-lines.js';
import { readRolloutText } from './read-rollout-bytes.js';
import { asObject, nonEmptyString } from './record-fields.js';

/** One conversation item of a rollout with its line's timestamp. */
export type CodexItemEntry = CodexItem & { readonly timestamp: string | null };

/**
 * Every conversation item of a Codex rollout in file order: user and assistant messages, tool
 * calls (in the rollout's own history encoding) and `token_count` usage. A `*.jsonl.zst` is
 * decompressed; bad and truncated lines are skipped; a missing or unreadable file yields nothing.
 * Never throws.
 */
export function* readCodexItems(path: string): Generator<CodexItemEntry, void, undefined> {
  const whole = readRolloutText(path);
  if (whole.kind !== 'ok') return;
  const text = whole.text.toString('utf8');
  let mode: ReturnType<typeof historyModeOf> | null = null;
  let start = 0;
  while (start < text.length) {
    let end = text.indexOf('\n', start);
    if (end === -1) end = text.length;
    const record = parseRecordLine(text.slice(start, end));
    start = end + 1;
    if (record === undefined) continue;
    if (mode === null) {
      mode = historyModeOf(record['type'] === 'session_meta' ? asObject(record['payload']) : null);
    }
    const item = codexItemOf(record, mode);
    if (item !== null) yield { ...item, timestamp: nonEmptyString(record['timestamp']) };
  }
}

/**
 * The conversation item of one rollout line with its timestamp, read in the `response_item`
 * encoding that every rollout carries (content indexing reads lines one at a time, without the
 * file's `session_meta`). `null` for any other line. Pure.
 */
export function codexLineItem(line: string): CodexItemEntry | null {
  const record = parseRecordLine(line);
  if (record === undefined) return null;
  const item = codexItemOf(record, 'legacy');
  return item === null ? null : { ...item, timestamp: nonEmptyString(record['timestamp']) };
}
