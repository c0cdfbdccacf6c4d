/**
 * Transcript lineage (tier 2): which known session does the incoming transcript share uuids with,
 * and which of several is the one it descends from?
 *
 * Ranking. Every uuid of the incoming transcript gets an approximate *depth* (its position in
 * file order, from what the facts say about it); every hit gets a *strength* from its role in the
 * stored session. A session's evidence is its best hit, compared by depth first, then strength.
 * The deepest shared point is the most specific one: the session that holds the latest uuid the
 * new transcript copied is the one it was copied from. Sessions whose only hits are `head` (the
 * stored file's first *parent*, a point before that file) prove a shared ancestor, not descent:
 * they are never chosen, only reported as hints.
 */
import type { LineageCandidate, LineageRole } from './identity-index.js';
import type { IdentityFacts } from './types.js';

/** At most this many uuids are taken from each uuid list of the facts. */
export const MAX_FACT_UUIDS_PER_LIST = 256;

/**
 * Strength of a hit by the role of the uuid in the stored session (higher is stronger): the
 * stored session's `last` uuid means the new transcript holds everything it had.
 */
export const LINEAGE_ROLE_STRENGTH: Readonly<Record<LineageRole, number>> = {
  last: 5,
  tail: 4,
  leaf: 3,
  boundary: 2,
  first: 1,
  // A fork child's copy of its origin's uuid: as weak as a `first` hit, and only for a fork.
  copied: 1,
  head: 0,
};

// Depth bands: parent of the first record < first < head[i] < compact logical parents < fork
// point < leaf uuids < tail[j] < last. Lists are capped, so bands never overlap.
const DEPTH_FIRST_PARENT = 0;
const DEPTH_FIRST = 1;
const DEPTH_HEAD = 2;
const DEPTH_BOUNDARY = 1_000;
const DEPTH_FORK_POINT = 2_000;
const DEPTH_LEAF = 2_001;
const DEPTH_TAIL = 3_000;
const DEPTH_LAST = 4_000;

/** The uuids to look up, each with its depth in the incoming transcript. */
export interface LineageQuery {
  /** Distinct uuids, in ascending depth. */
  readonly uuids: string[];
  readonly depth: ReadonlyMap<string, number>;
}

function cleanList(list: readonly string[] | null | undefined, keep: 'first' | 'last'): string[] {
  if (!Array.isArray(list)) return [];
  const valid = list.filter((uuid): uuid is string => typeof uuid === 'string' && uuid !== '');
  return keep === 'first'
    ? valid.slice(0, MAX_FACT_UUIDS_PER_LIST)
    : valid.slice(-MAX_FACT_UUIDS_PER_LIST);
}

/** Build the lookup set and the depth of each uuid from the transcript facts. */
export function buildLineageQuery(facts: IdentityFacts): LineageQuery {
  const depth = new Map<string, number>();
  const place = (uuid: string | null | undefined, at: number): void => {
    if (typeof uuid !== 'string' || uuid === '') return;
    const known = depth.get(uuid);
    if (known === undefined || at > known) depth.set(uuid, at);
  };
  place(facts.firstParentUuid, DEPTH_FIRST_PARENT);
  place(facts.firstUuid, DEPTH_FIRST);
  cleanList(facts.headUuids, 'first').forEach((uuid, i) => place(uuid, DEPTH_HEAD + i));
  cleanList(facts.compactBoundaries, 'first').forEach((uuid, i) => place(uuid, DEPTH_BOUNDARY + i));
  place(facts.forkedFrom?.messageUuid, DEPTH_FORK_POINT);
  cleanList(facts.leafUuids, 'first').forEach((uuid, i) => place(uuid, DEPTH_LEAF + i));
  cleanList(facts.tailUuids, 'last').forEach((uuid, i) => place(uuid, DEPTH_TAIL + i));
  place(facts.lastUuid, DEPTH_LAST);
  const uuids = [...depth.keys()].sort(
    (a, b) => (depth.get(a) ?? 0) - (depth.get(b) ?? 0) || cmp(a, b),
  );
  return { uuids, depth };
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** One session's best lineage evidence. */
export interface LineageEvidence {
  readonly candidate: LineageCandidate;
  /** The best hit's uuid and role. */
  readonly uuid: string;
  readonly role: LineageRole;
  readonly depth: number;
  readonly strength: number;
  /** `false` when every hit is a `head` hit (shared ancestor only). */
  readonly eligible: boolean;
}

function better(a: LineageEvidence, b: LineageEvidence): boolean {
  if (a.eligible !== b.eligible) return a.eligible;
  if (a.depth !== b.depth) return a.depth > b.depth;
  if (a.strength !== b.strength) return a.strength > b.strength;
  return false;
}

/** Same rank (neither is better): a tie between two sessions is ambiguous. */
export function sameLineageRank(a: LineageEvidence, b: LineageEvidence): boolean {
  return !better(a, b) && !better(b, a);
}

/**
 * Group hits by session and rank sessions best first: eligible before head-only, then deeper
 * best hit, then stronger role at that hit, then stable id ascending (for a stable order only;
 * equal ranks are a tie for the caller). Hits on uuids that were not asked for are ignored, and so
 * are `copied` hits unless the new session is a fork (`fork`): a uuid copied into a fork still
 * belongs to its origin, so a copy of the same session (a legacy resume) never joins the fork by it.
 */
export function rankLineage(
  hits: readonly LineageCandidate[],
  query: LineageQuery,
  fork = false,
): LineageEvidence[] {
  const bySession = new Map<string, LineageEvidence>();
  for (const hit of hits) {
    if (hit.role === 'copied' && !fork) continue;
    const depth = query.depth.get(hit.matched_uuid);
    const strength = LINEAGE_ROLE_STRENGTH[hit.role];
    if (depth === undefined || strength === undefined) continue;
    const evidence: LineageEvidence = {
      candidate: hit,
      uuid: hit.matched_uuid,
      role: hit.role,
      depth,
      strength,
      eligible: hit.role !== 'head',
    };
    const current = bySession.get(hit.stable_id);
    if (current === undefined || better(evidence, current)) bySession.set(hit.stable_id, evidence);
  }
  return [...bySession.values()].sort((a, b) =>
    better(a, b) ? -1 : better(b, a) ? 1 : cmp(a.candidate.stable_id, b.candidate.stable_id),
  );
}
