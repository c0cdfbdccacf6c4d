/**
 * The one way each tier of `resolveIdentity` builds its result: a match of an existing session, a
 * minted structural child, or a mint (plain or ambiguous) with its capped parent candidates.
 */
import type { IdentityCandidate } from './identity-index.js';
import type { LineageEvidence } from './lineage.js';
import { capParentCandidates, type ParentCandidateRow } from './parent-candidates.js';
import { PRIORITY_TIED, type Settings } from './resolve-settings.js';
import type { IdentityResult, ParentCandidateEntry, StructuralParent } from './types.js';

/** A minted result; `rows` become the capped parent candidates. */
export function minted(
  settings: Settings,
  matched: IdentityResult['matched'],
  rows: readonly ParentCandidateRow[],
): IdentityResult {
  const { candidates, omittedCount } = capParentCandidates(rows);
  return {
    stableId: settings.mint(),
    source: 'minted',
    confidence: 'minted',
    matched,
    parentCandidates: candidates,
    parentCandidatesOmittedCount: omittedCount,
    minted: true,
  };
}

/** A parent-candidate entry without its stable id: what a tier says of every session it found. */
export type TierEntry = ParentCandidateEntry extends infer E
  ? E extends { stable_id: string }
    ? Omit<E, 'stable_id'>
    : never
  : never;

/** The tiers that can find several sessions where they need one. */
type TiedSource = Exclude<TierEntry['source'], 'fingerprint'>;

/**
 * A mint because a tier found several sessions where it needs one: `matched` names the tier and
 * its evidence (`reason`), and every session found becomes a tied parent candidate.
 */
export function ambiguousMint<S extends TiedSource>(
  settings: Settings,
  found: readonly IdentityCandidate[],
  source: S,
  reason: Extract<TierEntry, { source: S }>['reason'],
): IdentityResult {
  const confidence = source === 'claude_session_id_index' ? 'exact' : 'high';
  const rows = found.map((session) =>
    row(
      { stable_id: session.stable_id, source, confidence, reason } as ParentCandidateEntry,
      session,
      PRIORITY_TIED,
    ),
  );
  return minted(
    settings,
    { ambiguous: true, ambiguous_count: found.length, tier: source, ...reason },
    rows,
  );
}

/** A parent-candidate row of `session` for the capped, sorted candidate list. */
export function row(
  candidate: ParentCandidateEntry,
  session: IdentityCandidate,
  priority: number,
  strong = 0,
): ParentCandidateRow {
  return {
    candidate,
    strong_corroborator_count: strong,
    last_progress_at: session.last_progress_at,
    priority,
  };
}

/** The candidate row of a lineage match (`reason { uuid, role }`). */
export function lineageRow(evidence: LineageEvidence, priority: number): ParentCandidateRow {
  return row(
    {
      stable_id: evidence.candidate.stable_id,
      source: 'transcript_lineage',
      confidence: 'high',
      reason: { uuid: evidence.uuid, role: evidence.role },
    },
    evidence.candidate,
    priority,
  );
}

/** A decision for an existing session: `source` and `confidence` say which tier matched it. */
export function matchedResult(
  stableId: string,
  source: 'claude_session_id_index' | 'transcript_lineage' | 'fingerprint_corroborator',
  confidence: IdentityResult['confidence'],
  matched: IdentityResult['matched'],
  rows: readonly ParentCandidateRow[] = [],
): IdentityResult {
  const { candidates, omittedCount } = capParentCandidates(rows);
  return {
    stableId,
    source,
    confidence,
    matched,
    parentCandidates: candidates,
    parentCandidatesOmittedCount: omittedCount,
    minted: false,
  };
}

/** A new session that is a structural child (a fork by lineage, a clear by pairing). */
export function mintedChild(
  settings: Settings,
  source: 'transcript_lineage' | 'clear_pairing',
  parent: StructuralParent,
  matched: IdentityResult['matched'],
): IdentityResult {
  return {
    stableId: settings.mint(),
    source,
    confidence: 'high',
    matched,
    parent,
    parentCandidates: [],
    parentCandidatesOmittedCount: 0,
    minted: true,
  };
}
