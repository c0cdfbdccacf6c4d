import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { codexArchivedRoot, codexSessionsRoot, parseRolloutName } from './codex-paths.js';
import type { ListError, ProjectTranscriptFile } from './list-transcripts.js';
import { errorCode, errorMessage } from './read-window.js';

/** One Codex rollout: `sessionId` is its thread id, `projectDir` the directory holding it. */
export interface CodexRolloutFile extends ProjectTranscriptFile {
  /** A zstd-compressed `*.jsonl.zst` (read through a decompressor). */
  readonly compressed: boolean;
  /** Under `archived_sessions/`. */
  readonly archived: boolean;
}

/** Result of {@link listCodexRollouts}. */
export interface CodexRolloutList {
  /** Oldest first (by mtime, then path). */
  readonly rollouts: CodexRolloutFile[];
  /** Directories or files that could not be read (a missing root is not an error). */
  readonly errors: ListError[];
}

const DATE_PART = [/^\d{4}$/, /^\d{2}$/, /^\d{2}$/];

function entriesOf(dir: string, errors: ListError[]): string[] {
  try {
    return readdirSync(dir).sort();
  } catch (error) {
    const code = errorCode(error);
    if (code !== 'ENOENT' && code !== 'ENOTDIR')
      errors.push({ path: dir, code, message: errorMessage(error) });
    return [];
  }
}

function rolloutsIn(
  dir: string,
  archived: boolean,
  errors: ListError[],
  found: Map<string, CodexRolloutFile>,
): void {
  for (const name of entriesOf(dir, errors)) {
    const parsed = parseRolloutName(name);
    if (parsed === null) continue;
    const path = join(dir, name);
    let stat;
    try {
      stat = statSync(path);
    } catch (error) {
      errors.push({ path, code: errorCode(error), message: errorMessage(error) });
      continue;
    }
    if (!stat.isFile()) continue;
    const plainPath = parsed.compressed ? path.slice(0, -'.zst'.length) : path;
    const existing = found.get(plainPath);
    // A plain file wins over its compressed sibling (Codex may have the two for a moment).
    if (existing !== undefined && !existing.compressed) continue;
    found.set(plainPath, {
      path,
      sessionId: parsed.threadId,
      projectDir: dir,
      size: stat.size,
      mtimeMs: stat.mtimeMs,
      compressed: parsed.compressed,
      archived,
    });
  }
}

function walkDated(dir: string, depth: number, errors: ListError[], out: string[]): void {
  if (depth === DATE_PART.length) {
    out.push(dir);
    return;
  }
  const pattern = DATE_PART[depth];
  for (const name of entriesOf(dir, errors)) {
    if (pattern?.test(name) === true) walkDated(join(dir, name), depth + 1, errors, out);
  }
}

/**
 * List the rollouts of a Codex home: `sessions/YYYY/MM/DD/rollout-*.jsonl` and `archived_sessions/`,
 * plain or zstd-compressed (`*.jsonl.zst`; a plain file wins over its compressed sibling). A
 * missing home or directory lists nothing; an unreadable one is reported in `errors`. Never throws.
 */
export function listCodexRollouts(codexHome: string): CodexRolloutList {
  const errors: ListError[] = [];
  const days: string[] = [];
  walkDated(codexSessionsRoot(codexHome), 0, errors, days);
  const found = new Map<string, CodexRolloutFile>();
  for (const day of days) rolloutsIn(day, false, errors, found);
  rolloutsIn(codexArchivedRoot(codexHome), true, errors, found);
  const rollouts = [...found.values()].sort((a, b) =>
    a.mtimeMs !== b.mtimeMs ? a.mtimeMs - b.mtimeMs : a.path < b.path ? -1 : 1,
  );
  return { rollouts, errors };
}
