/**
 * Parent candidates (docs/identity.md): hub-spoke hints, deduplicated, sorted and capped so that a
 * `session_seen` payload stays small.
 */
import type { ParentCandidateEntry } from './types.js';

/** The most parent candidates one resolution reports (the rest are counted as omitted). */
export const MAX_PARENT_CANDIDATES = 10;

/** One candidate before capping, with the keys it is sorted by. */
export interface ParentCandidateRow {
  readonly candidate: ParentCandidateEntry;
  readonly strong_corroborator_count: number;
  /** The candidate session's `last_progress_at` (ISO; compared as a string, as the original). */
  readonly last_progress_at: string | null;
  /**
   * Group, lower first (default 0). Ours: the tied rows of an ambiguity use a lower group than
   * the rest, so a below-threshold row can never displace them (docs/identity.md "cap ordering").
   */
  readonly priority?: number;
}

/** Capped candidates and how many were dropped. */
export interface CappedParentCandidates {
  candidates: ParentCandidateEntry[];
  omittedCount: number;
}

function compareRows(a: ParentCandidateRow, b: ParentCandidateRow): number {
  const byPriority = (a.priority ?? 0) - (b.priority ?? 0);
  if (byPriority !== 0) return byPriority;
  const byStrong = b.strong_corroborator_count - a.strong_corroborator_count;
  if (byStrong !== 0) return byStrong;
  const la = a.last_progress_at;
  const lb = b.last_progress_at;
  if (la !== lb) {
    if (la === null || la === '') return 1;
    if (lb === null || lb === '') return -1;
    return la < lb ? 1 : -1;
  }
  const ia = a.candidate.stable_id;
  const ib = b.candidate.stable_id;
  return ia < ib ? -1 : ia > ib ? 1 : 0;
}

/**
 * Deduplicate rows by stable id (the occurrence with the lowest `priority` wins, then the first),
 * sort by priority ascending, strong-corroborator count descending, `last_progress_at` descending
 * (rows without one last), stable id ascending; keep the first `cap` (default
 * {@link MAX_PARENT_CANDIDATES}); `omittedCount` = distinct rows − kept.
 */
export function capParentCandidates(
  rows: readonly ParentCandidateRow[],
  options: { readonly cap?: number } = {},
): CappedParentCandidates {
  const requested = options.cap ?? MAX_PARENT_CANDIDATES;
  const cap = Number.isNaN(requested) ? MAX_PARENT_CANDIDATES : Math.max(0, Math.floor(requested));
  const unique = new Map<string, ParentCandidateRow>();
  for (const row of rows) {
    const id = row.candidate.stable_id;
    const seen = unique.get(id);
    if (seen === undefined || (row.priority ?? 0) < (seen.priority ?? 0)) unique.set(id, row);
  }
  const sorted = [...unique.values()].sort(compareRows);
  const kept = sorted.slice(0, cap);
  return {
    candidates: kept.map((row) => row.candidate),
    omittedCount: sorted.length - kept.length,
  };
}
