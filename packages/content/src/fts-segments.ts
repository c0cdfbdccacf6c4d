import type { ContentIndex } from './content-index.js';
import { tryLock } from './file-lock.js';
import { FTS_TABLES, ftsSegmentCount, mergeFtsSegments } from './fts-config.js';

/** The number of segments of each FTS5 table of the content index (`content_text`, `content_chunks`). */
export function ftsSegmentCounts(index: ContentIndex): number[] {
  return FTS_TABLES.map((table) => ftsSegmentCount(index.db, table));
}

/** Lets the event loop run (between two steps of a merge). */
function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * Merges each FTS5 table of `index` into one segment ({@link mergeFtsSegments}: short
 * transactions, so a search or the hook waits at most one step) when any holds more than `above`
 * segments, under the lock file `lockPath` so that two indexers never merge at once (when another
 * live process holds it, this one merges nothing). A process killed during it leaves a usable
 * index and its lock for the next run to take over, which goes on from there. Returns whether it
 * merged.
 */
export async function mergeFragmentedIndex(
  index: ContentIndex,
  above: number,
  lockPath: string,
): Promise<boolean> {
  if (ftsSegmentCounts(index).every((count) => count <= above)) return false;
  const lock = tryLock(lockPath);
  if (lock === undefined) return false;
  try {
    await mergeFtsSegments(index.db, yieldToEventLoop);
    return true;
  } finally {
    lock.release();
  }
}
