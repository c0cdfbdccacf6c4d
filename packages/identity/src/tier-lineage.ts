/**
 * Tier 2 of `resolveIdentity`: transcript lineage (docs/identity.md#lineage-ranking). A `forkedFrom`
 * marker names the origin; otherwise shared uuids rank the candidates. The same session, or a fork
 * child when the facts say fork (or the copied rows come from a client that copies only on fork).
 */
import type { IdentityIndex, LineageCandidate } from './identity-index.js';
import { buildLineageQuery, rankLineage, sameLineageRank } from './lineage.js';
import { ambiguousMint, lineageRow, matchedResult, minted, mintedChild } from './resolve-result.js';
import {
  PRIORITY_HINT,
  PRIORITY_OTHER,
  PRIORITY_TIED,
  uniqueById,
  type Settings,
} from './resolve-settings.js';
import type { ParentCandidateRow } from './parent-candidates.js';
import type { AmbiguousMatched, IdentityFacts, IdentityResult } from './types.js';

/** A lineage decision, or none with the head-only hints a later tier carries as candidates. */
export interface LineageOutcome {
  readonly result: IdentityResult | null;
  /** Head-only sessions (shared ancestor): hints carried into a later tier's candidates. */
  readonly hints: ParentCandidateRow[];
}

function forkChild(
  settings: Settings,
  parentId: string,
  matched: IdentityResult['matched'],
): IdentityResult {
  return mintedChild(settings, 'transcript_lineage', { stableId: parentId, kind: 'fork' }, matched);
}

function resolveForkMarker(
  index: IdentityIndex,
  settings: Settings,
  originCsid: string,
): IdentityResult | null {
  const origins = uniqueById(index.findByClaudeSessionId(originCsid));
  const [only] = origins;
  if (only === undefined) return null;
  if (origins.length === 1) {
    return forkChild(settings, only.stable_id, {
      evidence: 'forked_from',
      relation: 'fork',
      matched_stable_id: only.stable_id,
      candidates_considered: 1,
      forked_from_session_id: originCsid,
    });
  }
  return ambiguousMint(settings, origins, 'transcript_lineage', {
    forked_from_session_id: originCsid,
  });
}

/**
 * Resolve by transcript lineage: the `forkedFrom` origin, else the best-ranked session sharing
 * uuids (a fork child when `fork`); a tie is ambiguous (mint with the tied candidates).
 */
export function resolveLineage(
  facts: IdentityFacts,
  index: IdentityIndex,
  settings: Settings,
  fork: boolean,
  originCsid: string | null,
): LineageOutcome {
  if (originCsid !== null) {
    const byMarker = resolveForkMarker(index, settings, originCsid);
    if (byMarker !== null) return { result: byMarker, hints: [] };
  }
  const query = buildLineageQuery(facts);
  if (query.uuids.length === 0) return { result: null, hints: [] };
  const hits: readonly LineageCandidate[] = index.findByTranscriptUuids(query.uuids);
  const ranked = rankLineage(hits, query, fork);
  const eligible = ranked.filter((evidence) => evidence.eligible);
  const hints = ranked
    .filter((evidence) => !evidence.eligible)
    .map((evidence) => lineageRow(evidence, PRIORITY_HINT));
  const [best, second] = eligible;
  if (best === undefined) return { result: null, hints };

  if (second !== undefined && sameLineageRank(best, second)) {
    const tied = eligible.filter((evidence) => sameLineageRank(evidence, best));
    const rows = [
      ...tied.map((evidence) => lineageRow(evidence, PRIORITY_TIED)),
      ...eligible
        .filter((evidence) => !sameLineageRank(evidence, best))
        .map((evidence) => lineageRow(evidence, PRIORITY_OTHER)),
      ...hints,
    ];
    const matched: AmbiguousMatched = {
      ambiguous: true,
      ambiguous_count: tied.length,
      tier: 'transcript_lineage',
      uuid: best.uuid,
      role: best.role,
    };
    return { result: minted(settings, matched, rows), hints: [] };
  }

  const matched = {
    evidence: 'uuid' as const,
    relation: fork ? ('fork' as const) : ('same_session' as const),
    matched_stable_id: best.candidate.stable_id,
    candidates_considered: ranked.length,
    uuid: best.uuid,
    role: best.role,
    ...(originCsid === null ? {} : { forked_from_session_id: originCsid }),
  };
  if (fork) return { result: forkChild(settings, best.candidate.stable_id, matched), hints: [] };
  return {
    result: matchedResult(best.candidate.stable_id, 'transcript_lineage', 'high', matched),
    hints: [],
  };
}
