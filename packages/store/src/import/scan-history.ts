import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import {
  listSubagentTranscripts,
  listTranscriptsIn,
  readTranscriptMeta,
} from '@sessions-db/git-transcript';
import type { ProjectTranscriptFile, TranscriptMeta } from '@sessions-db/git-transcript';
import type { SessionsStore } from '../types.js';
import type { ImportListingError } from './import-types.js';

/** Bytes of the head and of the tail read of a transcript the store already holds unchanged. */
export const ORDER_WINDOW_BYTES = 16 * 1024;

/** What the store already holds of a Claude session id: its stable id and transcript sizes. */
export interface KnownSession {
  readonly stableId: string | null;
  readonly transcripts: readonly { readonly path: string; readonly size: number }[];
}

/** One listed transcript and what was read of it (`null`: an empty file, nothing to read). */
export interface ScannedTranscript {
  readonly file: ProjectTranscriptFile;
  readonly meta: TranscriptMeta | null;
}

/** Everything `import` reads before deciding: the transcripts (each read once) and the store's view. */
export interface ScannedHistory {
  readonly transcripts: readonly ScannedTranscript[];
  /** Subagent transcripts per parent Claude session id (`''`: the parent is not named). */
  readonly subagentsBySession: ReadonlyMap<string, number>;
  readonly subagentTotal: number;
  readonly listingErrors: readonly ImportListingError[];
  /** The Claude session ids of the listed transcripts that the store already holds. */
  readonly known: ReadonlyMap<string, KnownSession>;
}

/** The directories that hold session transcripts: `from` itself when it holds `*.jsonl`, else its sub-directories. */
function projectDirsOf(from: string): string[] {
  const entries = readdirSync(from, { withFileTypes: true });
  if (entries.some((entry) => entry.isFile() && entry.name.endsWith('.jsonl'))) return [from];
  return entries
    .filter((entry) => entry.isDirectory() || entry.isSymbolicLink())
    .map((entry) => join(from, entry.name))
    .sort();
}

function knownSession(store: SessionsStore, claudeSessionId: string): KnownSession | null {
  if (!store.hasClaudeSession(claudeSessionId)) return null;
  const found = store.getSession(claudeSessionId);
  if (!found.ok) return { stableId: null, transcripts: [] };
  return {
    stableId: found.session.stable_id,
    transcripts: found.session.transcript_files.map((entry) => ({
      path: entry.path,
      size: entry.size,
    })),
  };
}

/**
 * Whether the store holds this transcript as it is now: same path, same size. Claude Code only
 * appends to a transcript, so an unchanged size means nothing new to record.
 */
export function isUnchanged(
  known: ReadonlyMap<string, KnownSession>,
  file: ProjectTranscriptFile,
): boolean {
  return (
    known
      .get(file.sessionId)
      ?.transcripts.some((entry) => entry.path === file.path && entry.size === file.size) ?? false
  );
}

/**
 * Read what `import` decides from, touching each transcript once: list the project directories
 * of `from` and their subagent transcripts, look up which Claude session ids the store holds, and
 * read each transcript's head and tail — the full windows the identity pipeline needs, or only
 * small ordering windows for a transcript the store already holds unchanged (it is not recorded
 * again). An empty file is not read.
 *
 * @throws when `from` cannot be read (the caller reports it).
 */
export function scanHistory(store: SessionsStore, from: string): ScannedHistory {
  const projectDirs = projectDirsOf(from);
  const listed = listTranscriptsIn(projectDirs);
  const listingErrors: ImportListingError[] = listed.errors.map((error) => ({
    path: error.path,
    message: error.message,
  }));

  const subagentsBySession = new Map<string, number>();
  let subagentTotal = 0;
  for (const dir of projectDirs) {
    const subagents = listSubagentTranscripts(dir);
    listingErrors.push(
      ...subagents.errors.map((error) => ({ path: error.path, message: error.message })),
    );
    for (const subagent of subagents.subagents) {
      subagentTotal += 1;
      const parent = subagent.parentSessionId ?? '';
      subagentsBySession.set(parent, (subagentsBySession.get(parent) ?? 0) + 1);
    }
  }

  const known = new Map<string, KnownSession>();
  for (const file of listed.transcripts) {
    if (known.has(file.sessionId)) continue;
    const session = knownSession(store, file.sessionId);
    if (session !== null) known.set(file.sessionId, session);
  }

  const transcripts = listed.transcripts.map((file) => ({
    file,
    meta:
      file.size === 0
        ? null
        : readTranscriptMeta(
            file.path,
            isUnchanged(known, file)
              ? { headBytes: ORDER_WINDOW_BYTES, tailBytes: ORDER_WINDOW_BYTES, maxUuids: 1 }
              : {},
          ),
  }));
  return { transcripts, subagentsBySession, subagentTotal, listingErrors, known };
}
