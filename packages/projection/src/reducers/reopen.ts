/**
 * `reopen` reducer (ours, docs/on-disk-format.md#ops).
 *
 * @packageDocumentation
 */
import type { Reducer } from './shared.js';

/** Outcome back to `open`; `closed_at` and `closed_reason` cleared to null. Mutates `record`. */
export const reduceReopen: Reducer = (record) => {
  record.outcome = 'open';
  record.closed_at = null;
  record.closed_reason = null;
};
