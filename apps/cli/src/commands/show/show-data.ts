import { existsSync } from 'node:fs';
import { archiveKey, listVersions } from '@sessions-db/content';
import type { SessionRecord } from '@sessions-db/projection';
import type { ReferenceKind, SessionsStore, TimelineEntry } from '@sessions-db/store';
import { contentPathsIn } from '@sessions-db/store/content';
import { displayLabel } from '../../format/session-label.js';
import type { DisplayLabel } from '../../format/session-label.js';
import { requireSession, storeFailure } from '../../session-ref.js';
import { sessionSummaries } from '../../content/usage-data.js';
import type { UsageSummary } from '../../content/usage-data.js';

/** A related session in `show`: its id, label and the kind of the edge. */
export interface RelatedSession {
  readonly stable_id: string;
  readonly label: string | null;
  readonly label_source: string | null;
  readonly edge_kind: string | null;
  readonly created_at: string | null;
}

/** Everything `show` prints about one session. */
export interface ShowData {
  readonly session: SessionRecord;
  readonly matched_by: ReferenceKind;
  readonly label: DisplayLabel;
  readonly parent: RelatedSession | null;
  readonly children: readonly RelatedSession[];
  readonly timeline: readonly TimelineEntry[];
  /**
   * Each transcript file: whether the original is still there, and whether the store's archive
   * holds it (`archived`: the agent deleted it, the archive still has it).
   */
  readonly transcripts: readonly TranscriptState[];
  /**
   * Tokens and cost of the session's API responses (each counted once; a fork's copied history
   * stays with its origin), from the content index; null when nothing is indexed for it.
   */
  readonly usage: UsageSummary | null;
}

/** Where a transcript of the session can be read from. */
export interface TranscriptState {
  readonly path: string;
  readonly state: 'present' | 'archived' | 'missing';
  readonly in_archive: boolean;
}

/** Whether each transcript of `session` is still where the agent wrote it, or in the archive. */
function transcriptStates(store: SessionsStore, session: SessionRecord): TranscriptState[] {
  const archiveDir = store.paths === null ? null : contentPathsIn(store.paths).archiveDir;
  return session.transcript_files.map((file) => {
    const inArchive =
      archiveDir !== null && listVersions(archiveDir, archiveKey(file.path)).length > 0;
    const present = existsSync(file.path);
    return {
      path: file.path,
      state: present ? 'present' : inArchive ? 'archived' : 'missing',
      in_archive: inArchive,
    };
  });
}

function related(session: SessionRecord, edgeKind: string | null): RelatedSession {
  const label = displayLabel(session);
  return {
    stable_id: session.stable_id,
    label: label.text,
    label_source: label.source,
    edge_kind: edgeKind,
    created_at: typeof session.created_at === 'string' ? session.created_at : null,
  };
}

/**
 * The whole record of the session `ref` names, its parent and children with edge kinds, and
 * the timeline of its events.
 *
 * @throws CliError (exit 1) when the reference is unknown or ambiguous.
 */
export function collectShowData(
  store: SessionsStore,
  ref: string,
  env: Readonly<Record<string, string | undefined>>,
): ShowData {
  const { session, matchedBy } = requireSession(store, ref);
  const tree = store.sessionTree(session.stable_id, { ancestors: true, maxDepth: 1 });
  if (!tree.ok) throw storeFailure(tree.error, ref);
  const parentEntry = tree.tree.ancestors[0];
  return {
    session,
    matched_by: matchedBy,
    label: displayLabel(session),
    parent:
      parentEntry === undefined ? null : related(parentEntry.session, session.parent_kind ?? null),
    children: tree.tree.root.children.map((child) =>
      related(child.session, child.edgeKind ?? child.session.parent_kind ?? null),
    ),
    timeline: store.sessionTimeline(session.stable_id),
    transcripts: transcriptStates(store, session),
    usage: sessionUsageOf(store, session, env),
  };
}

/** The usage block of `show`: what the content index holds for the session, priced. */
function sessionUsageOf(
  store: SessionsStore,
  session: SessionRecord,
  env: Readonly<Record<string, string | undefined>>,
): UsageSummary | null {
  if (store.paths === null) return null;
  return sessionSummaries(store, [session], env).get(session.stable_id) ?? null;
}
