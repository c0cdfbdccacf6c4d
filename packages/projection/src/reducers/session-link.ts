/**
 * `session_link` reducer (docs/on-disk-format.md#folding-events-into-sessions).
 *
 * @packageDocumentation
 */
import { appendUnique } from './shared.js';
import type { Reducer } from './shared.js';

/**
 * A+D of the non-empty strings of `tasks` and `projects`. A legacy `remove: true` (written by an
 * early `link --remove`) makes the whole event a no-op. Mutates `record`.
 */
export const reduceSessionLink: Reducer = (record, p) => {
  if (p.remove === true) return;
  if (Array.isArray(p.tasks)) {
    for (const task of p.tasks as readonly unknown[]) appendUnique(record.tasks, task);
  }
  if (Array.isArray(p.projects)) {
    for (const project of p.projects as readonly unknown[]) appendUnique(record.projects, project);
  }
};
