import { parseRolloutName } from '@sessions-db/git-transcript';
import { readArchiveSource } from './archive.js';
import { extractCodexContentRows, extractContentRows } from './extract-rows.js';
import type { ContentRow } from './extract-rows.js';

/**
 * How the lines of the archived transcript `key` become content rows: a Codex rollout (known by
 * its original file name) is read in Codex's record format, anything else in Claude Code's.
 */
export function rowExtractorOf(archiveDir: string, key: string): (line: string) => ContentRow[] {
  const source = readArchiveSource(archiveDir, key);
  return source !== undefined && parseRolloutName(source.path) !== null
    ? extractCodexContentRows
    : extractContentRows;
}
