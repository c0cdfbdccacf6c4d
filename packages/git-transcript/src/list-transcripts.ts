import { readdirSync, statSync } from 'node:fs';
import type { Dirent, Stats } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { projectsRoot } from './claude-paths.js';
import { parseWindow } from './jsonl-lines.js';
import { closeQuietly, errorCode, errorMessage, openRegularFile, readAt } from './read-window.js';
import { nonEmptyString } from './record-fields.js';
import { isUuidShaped } from './uuid-shape.js';

/** A directory or file that could not be listed or stat'ed. */
export interface ListError {
  readonly path: string;
  readonly code: string;
  readonly message: string;
}

/** Result of {@link listProjectDirs}. */
export interface ProjectDirList {
  /** Absolute paths of the project directories, sorted by name. */
  readonly projectDirs: string[];
  readonly errors: ListError[];
}

/** One session transcript found by {@link listProjectTranscripts}. */
export interface ProjectTranscriptFile {
  readonly path: string;
  /** The file name without `.jsonl` (a UUID). */
  readonly sessionId: string;
  /** Absolute path of the project directory holding it. */
  readonly projectDir: string;
  readonly size: number;
  readonly mtimeMs: number;
}

/** Result of {@link listProjectTranscripts}. */
export interface ProjectTranscriptList {
  /** Oldest first (by mtime, then path). */
  readonly transcripts: ProjectTranscriptFile[];
  readonly errors: ListError[];
}

/** Options of {@link listProjectTranscripts}. */
export interface ListProjectTranscriptsOptions {
  /** Only these project directories: names under `<claudeHome>/projects`, or absolute paths. */
  readonly projectDirs?: readonly string[];
}

/** Where a subagent transcript lives: `<session>/subagents/` (≥ 2.1.2) or top-level (older). */
export type SubagentLayout = 'nested' | 'legacy';

/** One subagent transcript found by {@link listSubagentTranscripts}. */
export interface SubagentTranscriptFile {
  readonly path: string;
  /** The `<id>` of `agent-<id>.jsonl`. */
  readonly agentId: string;
  /**
   * The session that ran the subagent: the directory name (nested), or the first `sessionId`
   * field in the file's head (legacy); `null` when the head names none.
   */
  readonly parentSessionId: string | null;
  readonly layout: SubagentLayout;
  /** The `agent-<id>.meta.json` sidecar beside it, when there is one. */
  readonly metaPath: string | null;
  readonly size: number;
  readonly mtimeMs: number;
}

/** Result of {@link listSubagentTranscripts}. */
export interface SubagentTranscriptList {
  /** Sorted by path. */
  readonly subagents: SubagentTranscriptFile[];
  readonly errors: ListError[];
}

/** Options of {@link listSubagentTranscripts}. */
export interface ListSubagentTranscriptsOptions {
  /** Only the subagents of this session. */
  readonly sessionId?: string;
}

const SESSION_FILE = /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.jsonl$/i;
const AGENT_FILE = /^agent-(.+)\.jsonl$/;

/** Bytes of a legacy subagent file read to find its parent session id. */
const LEGACY_HEAD_BYTES = 64 * 1024;

function listError(path: string, error: unknown): ListError {
  return { path, code: errorCode(error), message: errorMessage(error) };
}

function readEntries(dir: string, errors: ListError[], missingIsError: boolean): Dirent[] {
  try {
    return readdirSync(dir, { withFileTypes: true });
  } catch (error) {
    if (missingIsError || errorCode(error) !== 'ENOENT') errors.push(listError(dir, error));
    return [];
  }
}

/** `stat` of an entry that may be a symlink; `null` (with an error entry) when it fails. */
function statEntry(path: string, errors: ListError[]): Stats | null {
  try {
    return statSync(path);
  } catch (error) {
    errors.push(listError(path, error));
    return null;
  }
}

function isDirectoryEntry(entry: Dirent, path: string, errors: ListError[]): boolean {
  if (entry.isDirectory()) return true;
  return entry.isSymbolicLink() && (statEntry(path, errors)?.isDirectory() ?? false);
}

/**
 * Every top-level directory under `<claudeHome>/projects` (one `readdir`). A missing projects
 * directory is an empty list, not an error. Never throws.
 */
export function listProjectDirs(claudeHome: string): ProjectDirList {
  const root = projectsRoot(claudeHome);
  const errors: ListError[] = [];
  const projectDirs = readEntries(root, errors, false)
    .filter((entry) => isDirectoryEntry(entry, join(root, entry.name), errors))
    .map((entry) => join(root, entry.name))
    .sort();
  return { projectDirs, errors };
}

/**
 * Every session transcript (`<uuid>.jsonl` at the top of a project directory; never
 * `agent-*.jsonl`, never anything under `<session>/`), oldest first. Unreadable directories and
 * files are reported in `errors`. Never throws.
 */
export function listProjectTranscripts(
  claudeHome: string,
  options: ListProjectTranscriptsOptions = {},
): ProjectTranscriptList {
  if (options.projectDirs === undefined) {
    const listed = listProjectDirs(claudeHome);
    const found = listTranscriptsIn(listed.projectDirs);
    return { transcripts: found.transcripts, errors: [...listed.errors, ...found.errors] };
  }
  const root = projectsRoot(claudeHome);
  return listTranscriptsIn(
    options.projectDirs.map((dir) => (isAbsolute(dir) ? dir : join(root, dir))),
  );
}

/**
 * Every session transcript of the given project directories (no Claude home involved: `import
 * --from` reads a history copied from anywhere), oldest first. A directory that cannot be read is
 * reported in `errors`. Never throws.
 */
export function listTranscriptsIn(dirs: readonly string[]): ProjectTranscriptList {
  const errors: ListError[] = [];
  const transcripts: ProjectTranscriptFile[] = [];
  for (const projectDir of dirs) {
    for (const entry of readEntries(projectDir, errors, true)) {
      const match = SESSION_FILE.exec(entry.name);
      if (match === null || !(entry.isFile() || entry.isSymbolicLink())) continue;
      const path = join(projectDir, entry.name);
      const stat = statEntry(path, errors);
      if (stat === null || !stat.isFile()) continue;
      transcripts.push({
        path,
        sessionId: match[1] ?? entry.name,
        projectDir,
        size: stat.size,
        mtimeMs: stat.mtimeMs,
      });
    }
  }
  transcripts.sort(
    (a, b) => a.mtimeMs - b.mtimeMs || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0),
  );
  return { transcripts, errors };
}

/** The first `sessionId` field in the head of a legacy subagent file, or `null`. */
function legacyParentSessionId(path: string): string | null {
  const opened = openRegularFile(path);
  if (opened.kind !== 'open') return null;
  try {
    const length = Math.min(opened.stat.size, LEGACY_HEAD_BYTES);
    const buffer = readAt(opened.fd, 0, length);
    // A window shorter than the file ends inside a line: drop that fragment.
    const end = length < opened.stat.size ? buffer.lastIndexOf(0x0a) : buffer.length;
    for (const record of parseWindow(buffer, 0, Math.max(end, 0)).records) {
      const sessionId = nonEmptyString(record['sessionId']);
      if (sessionId !== null) return sessionId;
    }
    return null;
  } catch {
    return null;
  } finally {
    closeQuietly(opened.fd);
  }
}

function subagentFiles(
  dir: string,
  entries: readonly Dirent[],
  errors: ListError[],
): { path: string; agentId: string; metaPath: string | null; stat: Stats }[] {
  const names = new Set(entries.map((entry) => entry.name));
  const found: { path: string; agentId: string; metaPath: string | null; stat: Stats }[] = [];
  for (const entry of entries) {
    const match = AGENT_FILE.exec(entry.name);
    const agentId = match?.[1];
    if (agentId === undefined || !(entry.isFile() || entry.isSymbolicLink())) continue;
    const path = join(dir, entry.name);
    const stat = statEntry(path, errors);
    if (stat === null || !stat.isFile()) continue;
    const metaName = `agent-${agentId}.meta.json`;
    found.push({ path, agentId, metaPath: names.has(metaName) ? join(dir, metaName) : null, stat });
  }
  return found;
}

/**
 * Every subagent transcript of one project directory, in both layouts: nested
 * `<session>/subagents/agent-<id>.jsonl` (parent = the directory name) and legacy top-level
 * `agent-<id>.jsonl` (parent = the first `sessionId` in its head; only the head is read).
 * Never throws; unreadable directories are reported in `errors`.
 */
export function listSubagentTranscripts(
  projectDir: string,
  options: ListSubagentTranscriptsOptions = {},
): SubagentTranscriptList {
  const errors: ListError[] = [];
  const subagents: SubagentTranscriptFile[] = [];
  const wanted = options.sessionId;
  const entries = readEntries(projectDir, errors, true);

  for (const entry of entries) {
    const sessionDir = join(projectDir, entry.name);
    if (!isUuidShaped(entry.name) || (wanted !== undefined && entry.name !== wanted)) continue;
    if (!isDirectoryEntry(entry, sessionDir, errors)) continue;
    const dir = join(sessionDir, 'subagents');
    for (const file of subagentFiles(dir, readEntries(dir, errors, false), errors)) {
      subagents.push({
        path: file.path,
        agentId: file.agentId,
        parentSessionId: entry.name,
        layout: 'nested',
        metaPath: file.metaPath,
        size: file.stat.size,
        mtimeMs: file.stat.mtimeMs,
      });
    }
  }

  for (const file of subagentFiles(projectDir, entries, errors)) {
    const parentSessionId = legacyParentSessionId(file.path);
    if (wanted !== undefined && parentSessionId !== wanted) continue;
    subagents.push({
      path: file.path,
      agentId: file.agentId,
      parentSessionId,
      layout: 'legacy',
      metaPath: file.metaPath,
      size: file.stat.size,
      mtimeMs: file.stat.mtimeMs,
    });
  }

  subagents.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { subagents, errors };
}
