/**
 * `ai_title_seen` reducer (0.1.6, docs/on-disk-format.md#folding-events-into-sessions).
 *
 * @packageDocumentation
 */
import { applyTitle } from './shared.js';
import type { Reducer } from './shared.js';

/**
 * `ai_title`: a non-empty string sets, `null` clears, anything else is a no-op; the payload's
 * `source_transcript` / `observed_at` stay in the log only. Mutates `record`.
 */
export const reduceAiTitleSeen: Reducer = (record, p) => {
  applyTitle(record, 'ai_title', p.ai_title);
};
