/**
 * `reopen` reducer (ours, DESIGN §3 / SPEC D9).
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
