import { statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { projectDirOf } from './claude-paths.js';
import { listProjectDirs } from './list-transcripts.js';
import { isUuidShaped } from './uuid-shape.js';

/** What {@link findTranscript} needs to know. */
export interface FindTranscriptInput {
  /** Claude Code's configuration directory (see `resolveClaudeHome`). */
  readonly claudeHome: string;
  /** The session's working directory (hook payload `cwd`). */
  readonly cwd?: string | null | undefined;
  /** The Claude session id; must be UUID-shaped. */
  readonly sessionId: string;
  /** The hook payload's `transcript_path`, trusted only when it names `<sessionId>.jsonl`. */
  readonly transcriptPath?: string | null | undefined;
}

/** How the transcript was found. */
export type TranscriptFoundVia = 'payload' | 'project_dir' | 'scan';

/** Result of {@link findTranscript}. */
export interface FoundTranscript {
  readonly path: string;
  readonly via: TranscriptFoundVia;
}

function regularFile(path: string): { mtimeMs: number } | null {
  try {
    const stat = statSync(path, { throwIfNoEntry: false });
    return stat !== undefined && stat.isFile() ? stat : null;
  } catch {
    return null;
  }
}

/**
 * Locate the transcript of exactly this session (docs/claude-code.md), never another session's:
 * the payload path if it is an existing regular file named `<sessionId>.jsonl`; else
 * `<claudeHome>/projects/<encodeProjectDir(cwd)>/<sessionId>.jsonl`; else that file name in any
 * top-level project directory (one readdir plus one stat per directory; when several hold it,
 * the most recently modified copy); else `null`. A non-UUID `sessionId` → `null`. Never throws.
 */
export function findTranscript(input: FindTranscriptInput): FoundTranscript | null {
  const { claudeHome, cwd, sessionId, transcriptPath } = input;
  if (!isUuidShaped(sessionId) || typeof claudeHome !== 'string' || claudeHome === '') return null;
  const fileName = `${sessionId}.jsonl`;

  if (typeof transcriptPath === 'string' && transcriptPath !== '') {
    if (basename(transcriptPath) === fileName && regularFile(transcriptPath) !== null) {
      return { path: transcriptPath, via: 'payload' };
    }
  }

  let expectedDir: string | null = null;
  if (typeof cwd === 'string' && cwd !== '') {
    expectedDir = projectDirOf(claudeHome, cwd);
    const path = join(expectedDir, fileName);
    if (regularFile(path) !== null) return { path, via: 'project_dir' };
  }

  let best: { path: string; mtimeMs: number } | null = null;
  for (const dir of listProjectDirs(claudeHome).projectDirs) {
    if (dir === expectedDir) continue;
    const path = join(dir, fileName);
    const stat = regularFile(path);
    if (stat !== null && (best === null || stat.mtimeMs > best.mtimeMs)) {
      best = { path, mtimeMs: stat.mtimeMs };
    }
  }
  return best === null ? null : { path: best.path, via: 'scan' };
}
