/**
 * `session_end` reducer (ours: Claude Code's SessionEnd hook).
 *
 * @packageDocumentation
 */
import { isNonEmptyString } from '../internal/values.js';
import {
  appendUnique,
  setPidIfNumeric,
  setTitleIfPresent,
  upsertTranscriptFile,
} from './shared.js';
import type { Reducer } from './shared.js';

/**
 * A+D of `claude_session_id`; upserts `transcript_file` as `session_seen` does; `ended_at` = the
 * event `ts`; `end_reason` = `reason` (null when not a non-empty string); non-empty string
 * `ai_title` / `custom_title` set those fields (LWW, never cleared here); a numeric `claude_pid`
 * sets `claude_pid`. Mutates `record`.
 */
export const reduceSessionEnd: Reducer = (record, p, ts) => {
  appendUnique(record.claude_session_ids, p.claude_session_id);
  upsertTranscriptFile(record, p.transcript_file);
  if (ts !== undefined) record.ended_at = ts;
  record.end_reason = isNonEmptyString(p.reason) ? p.reason : null;
  setTitleIfPresent(record, 'ai_title', p.ai_title);
  setTitleIfPresent(record, 'custom_title', p.custom_title);
  setPidIfNumeric(record, p.claude_pid);
};
