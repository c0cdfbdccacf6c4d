/**
 * `custom_title_seen` reducer (ours: Claude Code's `/rename` title).
 *
 * @packageDocumentation
 */
import { applyTitle } from './shared.js';
import type { Reducer } from './shared.js';

/**
 * `custom_title`: a non-empty string sets, `null` clears, anything else is a no-op (the
 * `ai_title_seen` rule). Mutates `record`; the field is absent until the first such event.
 */
export const reduceCustomTitleSeen: Reducer = (record, p) => {
  applyTitle(record, 'custom_title', p.custom_title);
};
