import { parseRolloutName } from '@sessions-db/git-transcript';
import { readArchiveSource } from './archive.js';
import { extractCodexContentRows, extractContentRows } from './extract-rows.js';
import type { ContentRow } from './extract-rows.js';

/** Whether the transcript at `path` is a Codex rollout (known by its file name). */
export function isCodexPath(path: string): boolean {
  return parseRolloutName(path) !== null;
}

/** Whether the archived transcript `key` is a Codex rollout (known by its original file name). */
export function isCodexArchive(archiveDir: string, key: string): boolean {
  const source = readArchiveSource(archiveDir, key);
  return source !== undefined && isCodexPath(source.path);
}

/**
 * How the lines of the archived transcript `key` become content rows: a Codex rollout (known by
 * its original file name) is read in Codex's record format, anything else in Claude Code's.
 */
export function rowExtractorOf(archiveDir: string, key: string): (line: string) => ContentRow[] {
  return extractorFor(isCodexArchive(archiveDir, key));
}

/** The content-row extractor of a Codex rollout (`codex`) or a Claude Code transcript. */
export function extractorFor(codex: boolean): (line: string) => ContentRow[] {
  return codex ? extractCodexContentRows : extractContentRows;
}
