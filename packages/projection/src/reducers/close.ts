/**
 * `close` reducer (docs/on-disk-format.md#folding-events-into-sessions).
 *
 * @packageDocumentation
 */
import { isNonEmptyString } from '../internal/values.js';
import type { Reducer } from './shared.js';

/**
 * A non-empty string `outcome` sets the outcome (any value: the enum is enforced by the writer);
 * `closed_at` becomes the event `ts` (even when the outcome is `open`); a string `closed_reason`
 * (even empty) sets, `null` clears, absent keeps. Mutates `record`.
 */
export const reduceClose: Reducer = (record, p, ts) => {
  if (isNonEmptyString(p.outcome)) record.outcome = p.outcome;
  if (ts !== undefined) record.closed_at = ts;
  if (typeof p.closed_reason === 'string') record.closed_reason = p.closed_reason;
  else if (p.closed_reason === null) record.closed_reason = null;
};
