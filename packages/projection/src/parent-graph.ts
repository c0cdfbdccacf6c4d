/**
 * Cycle-safe, bounded walks over parent edges (docs/on-disk-format.md#what-the-writers-check, and the original `tree`).
 *
 * @packageDocumentation
 */
import type { Projection, SessionStableId } from './types.js';
import { isNonEmptyString, isObjectLike } from './internal/values.js';

/** How far {@link detectParentCycle} and {@link ancestorsOf} walk up (the original's bound). */
export const MAX_PARENT_CHAIN_DEPTH = 50;

/** How deep {@link descendantsOf} goes below the root (the original `tree`'s bound). */
export const MAX_TREE_DEPTH = 32;

/**
 * Read access to parent edges. `parentOf` returns the parent id, `null` for a root, and
 * `undefined` for an id the graph does not know; `childrenOf` lists the direct children.
 */
export interface ParentGraph {
  parentOf(id: SessionStableId): SessionStableId | null | undefined;
  childrenOf(id: SessionStableId): readonly SessionStableId[];
}

/**
 * A {@link ParentGraph} over a projection's `parent_session_id` edges, built once (O(sessions)).
 * A non-string or empty parent counts as none; a self-edge is not listed as a child. Children are
 * in the original `tree` order: by `created_at` ascending (string order), records without one
 * last, ties in creation order.
 */
export function graphFromProjection(projection: Pick<Projection, 'sessions'>): ParentGraph {
  const parents = new Map<SessionStableId, SessionStableId | null>();
  const children = new Map<SessionStableId, { id: SessionStableId; created_at: unknown }[]>();
  for (const [id, record] of Object.entries(projection.sessions)) {
    const fields: Readonly<Record<string, unknown>> = isObjectLike(record) ? record : {};
    const parent = parentIdOf(fields);
    parents.set(id, parent);
    if (isChildOf(fields, id, parent)) {
      const list = children.get(parent);
      const child = { id, created_at: fields.created_at };
      if (list) list.push(child);
      else children.set(parent, [child]);
    }
  }
  const ordered = new Map<SessionStableId, SessionStableId[]>();
  for (const [parent, list] of children)
    ordered.set(
      parent,
      sortChildren(list).map((c) => c.id),
    );
  return {
    parentOf: (id) => parents.get(id),
    childrenOf: (id) => ordered.get(id) ?? [],
  };
}

/** A record's parent edge: a non-empty string `parent_session_id`, else `null` (a root). */
export function parentIdOf(record: {
  readonly parent_session_id?: unknown;
}): SessionStableId | null {
  return isNonEmptyString(record.parent_session_id) ? record.parent_session_id : null;
}

/**
 * Whether the record `id` is listed as a child of `parentId`: its parent edge names `parentId`,
 * and a self-edge never makes a session its own child.
 */
export function isChildOf(
  record: { readonly parent_session_id?: unknown },
  id: SessionStableId,
  parentId: SessionStableId | null,
): parentId is SessionStableId {
  return parentId !== null && parentIdOf(record) === parentId && id !== parentId;
}

/**
 * Children in the original `tree` order: by `created_at` ascending (string order), those without
 * one last, ties in the order given (creation order). Returns a new array.
 */
export function sortChildren<T extends { readonly created_at?: unknown }>(
  children: readonly T[],
): T[] {
  return [...children].sort((a, b) => compareCreated(a.created_at, b.created_at));
}

function compareCreated(a: unknown, b: unknown): number {
  const x = isNonEmptyString(a) ? a : undefined;
  const y = isNonEmptyString(b) ? b : undefined;
  if (x === undefined || y === undefined) return x === y ? 0 : x === undefined ? 1 : -1;
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Result of {@link detectParentCycle}. */
export type ParentCycleCheck =
  { readonly cycle: false } | { readonly cycle: true; readonly hops: number };

/**
 * Would making `parentId` the parent of `childId` close a cycle? Walks from `parentId` along
 * parents for at most {@link MAX_PARENT_CHAIN_DEPTH} steps; reaching `childId` after n links is a
 * cycle of n hops (`childId === parentId` is 0 hops). Stops at a root or an unknown id.
 */
export function detectParentCycle(
  graph: ParentGraph,
  childId: SessionStableId,
  parentId: SessionStableId,
): ParentCycleCheck {
  let cursor: SessionStableId | null = parentId;
  for (let depth = 0; depth < MAX_PARENT_CHAIN_DEPTH && cursor; depth += 1) {
    if (cursor === childId) return { cycle: true, hops: depth };
    cursor = graph.parentOf(cursor) || null;
  }
  return { cycle: false };
}

/** Why {@link ancestorsOf} stopped. */
export type AncestorsStop = 'root' | 'unknown' | 'cycle' | 'max_depth';

/** Result of {@link ancestorsOf}. */
export interface Ancestors {
  /** Parent first, then its parent, ... (never contains the starting id or a repeat). */
  readonly ancestors: readonly SessionStableId[];
  /**
   * `root`: the last one has no parent; `unknown`: the graph does not know the last id (or the
   * start); `cycle`: the next parent was already visited; `max_depth`: the bound was reached.
   */
  readonly stop: AncestorsStop;
}

/** The chain of parents of `id`, nearest first, at most `maxDepth` (default 50; a non-finite or
 * negative value means the default) long. */
export function ancestorsOf(
  graph: ParentGraph,
  id: SessionStableId,
  maxDepth: number = MAX_PARENT_CHAIN_DEPTH,
): Ancestors {
  const limit = boundOf(maxDepth, MAX_PARENT_CHAIN_DEPTH);
  const ancestors: SessionStableId[] = [];
  const seen = new Set<SessionStableId>([id]);
  let next = graph.parentOf(id);
  for (;;) {
    if (next === undefined) return { ancestors, stop: 'unknown' };
    if (next === null || next === '') return { ancestors, stop: 'root' };
    if (seen.has(next)) return { ancestors, stop: 'cycle' };
    if (ancestors.length >= limit) return { ancestors, stop: 'max_depth' };
    ancestors.push(next);
    seen.add(next);
    next = graph.parentOf(next);
  }
}

/** One node found by {@link descendantsOf}. */
export interface DescendantNode {
  readonly id: SessionStableId;
  /** 1 for a child of the root, 2 for a grandchild, ... */
  readonly depth: number;
  /** The node it was reached from. */
  readonly parent: SessionStableId;
}

/** Result of {@link descendantsOf}. */
export interface Descendants {
  /** Breadth-first, each id once, the root excluded. */
  readonly descendants: readonly DescendantNode[];
  /** `true` when nodes below `maxDepth` were left out. */
  readonly truncated: boolean;
}

/**
 * Every descendant of `id`, breadth-first following `childrenOf`, each id once (cycles and
 * repeated children are cut), down to `maxDepth` levels below `id` (default 32; a non-finite or
 * negative value means the default).
 */
export function descendantsOf(
  graph: ParentGraph,
  id: SessionStableId,
  maxDepth: number = MAX_TREE_DEPTH,
): Descendants {
  const limit = boundOf(maxDepth, MAX_TREE_DEPTH);
  const descendants: DescendantNode[] = [];
  const seen = new Set<SessionStableId>([id]);
  let truncated = false;
  let level: SessionStableId[] = [id];
  for (let depth = 1; level.length > 0; depth += 1) {
    const nextLevel: SessionStableId[] = [];
    for (const parent of level) {
      for (const child of graph.childrenOf(parent)) {
        if (seen.has(child)) continue;
        if (depth > limit) {
          truncated = true;
          continue;
        }
        seen.add(child);
        descendants.push({ id: child, depth, parent });
        nextLevel.push(child);
      }
    }
    if (depth > limit) break;
    level = nextLevel;
  }
  return { descendants, truncated };
}

/** A usable depth bound: a finite number ≥ 0 (floored), else `fallback`. */
function boundOf(value: number, fallback: number): number {
  return Number.isFinite(value) && value >= 0 ? Math.floor(value) : fallback;
}
