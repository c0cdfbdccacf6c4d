import { readArchived } from './archive.js';
import { rowExtractorOf } from './archived-rows.js';
import type { ContentRow } from './extract-rows.js';

/** A bounded page of one archived transcript's messages. */
export interface MessagePage {
  readonly rows: readonly ContentRow[];
  /** Rows in the whole transcript. */
  readonly total: number;
}

/**
 * Rows `offset .. offset + limit` of an archived transcript's messages (the same rows the index
 * holds, Claude Code's or a Codex rollout's), read from the archive so it works after the original
 * is deleted.
 */
export function readMessagePage(
  archiveDir: string,
  key: string,
  page: { readonly offset?: number; readonly limit?: number } = {},
): MessagePage {
  const offset = page.offset ?? 0;
  const limit = page.limit ?? 50;
  const extract = rowExtractorOf(archiveDir, key);
  const text = readArchived(archiveDir, key).toString('utf8');
  const rows: ContentRow[] = [];
  let total = 0;
  for (const line of text.split('\n')) {
    if (line === '') continue;
    for (const row of extract(line)) {
      if (total >= offset && rows.length < limit) rows.push(row);
      total += 1;
    }
  }
  return { rows, total };
}
