/**
 * `alias_set` reducer (docs/on-disk-format.md#folding-events-into-sessions).
 *
 * @packageDocumentation
 */
import { applyTitle } from './shared.js';
import type { Reducer } from './shared.js';

/** `alias`: a non-empty string sets, `null` clears, anything else is a no-op. Mutates `record`. */
export const reduceAliasSet: Reducer = (record, p) => {
  applyTitle(record, 'alias', p.alias);
};
