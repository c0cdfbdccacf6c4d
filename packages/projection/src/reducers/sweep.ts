/**
 * `sweep` reducer (docs/on-disk-format.md#folding-events-into-sessions).
 *
 * @packageDocumentation
 */
import { isNonEmptyString } from '../internal/values.js';
import type { Reducer } from './shared.js';

/**
 * A non-empty string `activity_state` sets the state; a string `effective_last_progress` moves
 * `last_progress_at` forward only (string comparison, as the original). Mutates `record`.
 */
export const reduceSweep: Reducer = (record, p) => {
  if (isNonEmptyString(p.activity_state)) record.activity_state = p.activity_state;
  const effective = p.effective_last_progress;
  if (
    typeof effective === 'string' &&
    (!record.last_progress_at || effective > record.last_progress_at)
  ) {
    record.last_progress_at = effective;
  }
};
