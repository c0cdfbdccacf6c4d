/**
 * `session_unlink` reducer (docs/on-disk-format.md#folding-events-into-sessions).
 *
 * @packageDocumentation
 */
import { isNonEmptyString } from '../internal/values.js';
import type { Reducer } from './shared.js';

/**
 * Removes the non-empty string entries of `tasks` / `projects` from the record's lists
 * (idempotent). Replaces the record's arrays with filtered copies.
 */
export const reduceSessionUnlink: Reducer = (record, p) => {
  const tasks = removalSet(p.tasks);
  if (tasks !== null && Array.isArray(record.tasks)) {
    record.tasks = record.tasks.filter((t) => !tasks.has(t));
  }
  const projects = removalSet(p.projects);
  if (projects !== null && Array.isArray(record.projects)) {
    record.projects = record.projects.filter((t) => !projects.has(t));
  }
};

/** The set of non-empty strings of `list`, or null when there are none (no change). */
function removalSet(list: unknown): Set<string> | null {
  if (!Array.isArray(list)) return null;
  const set = new Set((list as readonly unknown[]).filter(isNonEmptyString));
  return set.size > 0 ? set : null;
}
