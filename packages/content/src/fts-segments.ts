import type { ContentIndex } from './content-index.js';
import { tryLock } from './file-lock.js';
import { FTS_TABLES, ftsSegmentCount, mergeFtsSegments } from './fts-config.js';

/**
 * The size of each segment of FTS5 table `table`, in rows of its `*_idx` (about one per leaf page
 * of the segment), largest first.
 */
function segmentSizes(index: ContentIndex, table: string): number[] {
  return index.db
    .prepare(`SELECT count(*) FROM ${table}_idx GROUP BY segid ORDER BY 1 DESC`)
    .pluck()
    .all() as number[];
}

/** The number of segments of each FTS5 table of the content index (`content_text`, `content_chunks`). */
export function ftsSegmentCounts(index: ContentIndex): number[] {
  return FTS_TABLES.map((table) => ftsSegmentCount(index.db, table));
}

/**
 * The share of a table's pages its segments other than the largest must hold before
 * {@link mergeFragmentedIndex} merges the table (with a threshold above one segment): a quarter.
 * Merging rewrites the whole table, and a search's `MATCH` pays for each segment about what the
 * segment's size makes it cost (a 19k-page table: 25 µs per `MATCH` merged, 36 µs with five small
 * segments beside it, against ~1.6 M instructions per segment for the 2 GB index of fifteen large
 * ones). So the small segments each SessionEnd adds after a large import are left to FTS5's own
 * merging, and the whole table is rewritten only after it has grown by about a third since.
 */
const MERGE_REST_SHARE = 0.25;

/** Whether FTS5 table `table` is worth merging into one segment (see {@link mergeFragmentedIndex}). */
function fragmented(index: ContentIndex, table: string, above: number): boolean {
  const sizes = segmentSizes(index, table);
  if (sizes.length <= above) return false;
  if (above <= 1) return true;
  const total = sizes.reduce((sum, size) => sum + size, 0);
  return total - (sizes[0] ?? 0) >= total * MERGE_REST_SHARE;
}

/** Lets the event loop run (between two steps of a merge). */
function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * Merges each FTS5 table of `index` into one segment ({@link mergeFtsSegments}: short
 * transactions, so a search or the hook waits at most one step) when any holds more than `above`
 * segments and (for `above` over 1) its segments besides the largest hold at least
 * {@link MERGE_REST_SHARE} of its pages, under the lock file `lockPath` so that two indexers never
 * merge at once (when another live process holds it, this one merges nothing). A process killed
 * during it leaves a usable index and its lock for the next run to take over, which goes on from
 * there. Returns whether it merged.
 */
export async function mergeFragmentedIndex(
  index: ContentIndex,
  above: number,
  lockPath: string,
): Promise<boolean> {
  if (!FTS_TABLES.some((table) => fragmented(index, table, above))) return false;
  const lock = tryLock(lockPath);
  if (lock === undefined) return false;
  try {
    await mergeFtsSegments(index.db, yieldToEventLoop);
    return true;
  } finally {
    lock.release();
  }
}
