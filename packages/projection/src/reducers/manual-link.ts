/**
 * `manual_link` reducer (docs/on-disk-format.md#folding-events-into-sessions).
 *
 * @packageDocumentation
 */
import type { ParentCandidate } from '../types.js';
import { isObjectLike } from '../internal/values.js';
import { firstString } from './shared.js';
import type { Reducer } from './shared.js';

/**
 * Appends candidate objects deduplicated by `parent_id` then `id` only (a first string, possibly
 * empty, on both sides); entries with neither are always appended. Mutates `record`.
 */
export const reduceManualLink: Reducer = (record, p) => {
  if (!Array.isArray(p.parent_candidate_ids)) return;
  const stored = record.parent_candidate_ids;
  for (const candidate of p.parent_candidate_ids as readonly unknown[]) {
    if (!isObjectLike(candidate)) continue;
    const id = firstString(candidate, 'parent_id', 'id');
    const dup =
      id !== null &&
      stored.some((c) => isObjectLike(c) && firstString(c, 'parent_id', 'id') === id);
    if (!dup) stored.push({ ...candidate } as ParentCandidate);
  }
};
