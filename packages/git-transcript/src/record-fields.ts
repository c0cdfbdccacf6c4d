import type { TranscriptRecord } from './jsonl-lines.js';
import { sanitizeFirstPrompt } from './sanitize-first-prompt.js';

/** `value` if it is a non-empty string, else `null`. */
export function nonEmptyString(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

/** `value` as a plain object (not an array), else `null`. */
export function asObject(value: unknown): TranscriptRecord | null {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as TranscriptRecord)
    : null;
}

/**
 * The text of a message's `content`: a string as is; an array → the `text` of its
 * `{ type: 'text' }` items joined with `\n`; no text at all (tool results, images) → `null`.
 */
export function messageText(content: unknown): string | null {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return null;
  const parts: string[] = [];
  for (const item of content) {
    const part = asObject(item);
    if (part !== null && part['type'] === 'text' && typeof part['text'] === 'string') {
      parts.push(part['text']);
    }
  }
  return parts.length > 0 ? parts.join('\n') : null;
}

/**
 * The raw text of `record` if it is a prompt a person typed (docs/claude-code.md):
 * a `user` record with a message from an external/human user (or `message.role === 'user'`),
 * not meta, sidechain, compact summary or transcript-only, with text that is not only harness
 * wrappers. Otherwise `null`.
 */
export function humanPromptText(record: TranscriptRecord): string | null {
  if (record['type'] !== 'user') return null;
  const message = asObject(record['message']);
  if (message === null) return null;
  const userType = record['userType'];
  if (userType !== 'external' && userType !== 'human' && message['role'] !== 'user') return null;
  if (
    record['isMeta'] === true ||
    record['isSidechain'] === true ||
    record['isCompactSummary'] === true ||
    record['isVisibleInTranscriptOnly'] === true
  ) {
    return null;
  }
  const text = messageText(message['content']);
  if (text === null || sanitizeFirstPrompt(text) === '') return null;
  return text;
}
