/**
 * `parent_set` reducer (docs/on-disk-format.md#folding-events-into-sessions), plus our edge `kind` and `auto` flag.
 *
 * @packageDocumentation
 */
import type { ParentKind, SessionRecord } from '../types.js';
import { hasOwn, isNonEmptyString } from '../internal/values.js';
import type { Reducer } from './shared.js';

/** The edge kinds `parent_set.kind` may carry. */
export const PARENT_KINDS: readonly ParentKind[] = ['manual', 'fork', 'clear', 'subagent'];

/**
 * `parent_session_id`: a non-empty string sets, `null` clears, anything else is a no-op (the
 * whole event then changes nothing). Ours: with `auto: true` the event never replaces or clears
 * a manual edge (a non-null parent whose `parent_kind` is `manual`, null or absent). A known
 * `kind` is stored in `parent_kind` (null when clearing); without one, `parent_kind` becomes null
 * if the record has the key and stays absent otherwise. Mutates `record`.
 */
export const reduceParentSet: Reducer = (record, p) => {
  const parent = p.parent_session_id;
  const clearing = parent === null;
  if (!clearing && !isNonEmptyString(parent)) return;
  if (p.auto === true && hasManualParent(record)) return;

  record.parent_session_id = clearing ? null : parent;
  const kind = knownKind(p.kind);
  if (kind !== null) {
    record.parent_kind = clearing ? null : kind;
  } else if (hasOwn(record, 'parent_kind')) {
    record.parent_kind = null;
  }
};

/** `true` when the record's current parent edge was set by a person (or by the original). */
function hasManualParent(record: SessionRecord): boolean {
  if (record.parent_session_id == null) return false;
  const kind = record.parent_kind;
  return kind === undefined || kind === null || kind === 'manual';
}

function knownKind(value: unknown): ParentKind | null {
  return PARENT_KINDS.find((kind) => kind === value) ?? null;
}
