import { isChildOf, parentIdOf, sortChildren } from '@sessions-db/projection';
import type { ParentGraph, SessionRecord } from '@sessions-db/projection';

import type { StoreCore } from './store-core.js';

/**
 * The children of `id` read through the index, with projection's rules: a self-edge is no child,
 * and the order is the original `tree`'s (`created_at` ascending, missing last, ties in creation
 * order, which is the index's `seq`).
 */
export function childRecordsOf(core: StoreCore, id: string): SessionRecord[] {
  const rows = core.reads.recordsWithParent(id);
  return sortChildren(rows.filter((record) => isChildOf(record, record.stable_id, id)));
}

/** Projection's `ParentGraph` port over the index, for its cycle-safe, bounded walks. */
export function indexGraph(core: StoreCore): ParentGraph {
  return {
    parentOf: (id) => {
      const record = core.index.getRecord(id);
      return record === undefined ? undefined : parentIdOf(record);
    },
    childrenOf: (id) => childRecordsOf(core, id).map((record) => record.stable_id),
  };
}
