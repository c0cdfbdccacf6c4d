/**
 * The original's corroborators for fingerprint matches (docs/identity.md): two strong (same cwd, same
 * worktree), two weak (same branch at start, recent activity), and the acceptance threshold.
 */
import type { IdentityCandidate } from './identity-index.js';
import type { CorroboratorMap, CorroboratorName } from './types.js';

/** Corroborators that tie a match to the same place (at least one is required to merge). */
export const STRONG_CORROBORATORS: readonly CorroboratorName[] = [
  'same_cwd',
  'same_worktree_realpath',
];

/** Corroborators that never suffice on their own. */
export const WEAK_CORROBORATORS: readonly CorroboratorName[] = [
  'same_branch_at_start',
  'within_time_window',
];

/** Counts of true corroborators. */
export interface CorroboratorCounts {
  readonly strong: number;
  readonly weak: number;
  readonly total: number;
}

/** The incoming side of a corroborator comparison. */
export interface CorroboratorFacts {
  readonly cwd?: string | null | undefined;
  readonly worktreeRealpath?: string | null | undefined;
  readonly branch?: string | null | undefined;
  /** Epoch ms. */
  readonly now: number;
}

/** Count the true strong and weak corroborators of `hits` (unknown keys are ignored). */
export function classifyCorroborators(hits: Partial<CorroboratorMap>): CorroboratorCounts {
  let strong = 0;
  let weak = 0;
  for (const name of STRONG_CORROBORATORS) if (hits[name] === true) strong += 1;
  for (const name of WEAK_CORROBORATORS) if (hits[name] === true) weak += 1;
  return { strong, weak, total: strong + weak };
}

/** The original's acceptance rule: `strong ≥ 1 AND total ≥ minCorroborators` (default 2). */
export function meetsThreshold(counts: CorroboratorCounts, minCorroborators = 2): boolean {
  return counts.strong >= 1 && counts.total >= minCorroborators;
}

function sameNonEmpty(a: string | null | undefined, b: string | null | undefined): boolean {
  return typeof a === 'string' && a !== '' && a === b;
}

/**
 * The four corroborators of one stored session against the incoming facts. Missing or empty on
 * either side is `false`; `within_time_window` is `0 ≤ now − last_progress_at ≤ windowMs`
 * (inclusive; a future timestamp is outside).
 */
export function collectCorroborators(
  facts: CorroboratorFacts,
  candidate: IdentityCandidate,
  windowMs: number,
): CorroboratorMap {
  const last =
    typeof candidate.last_progress_at === 'string' ? Date.parse(candidate.last_progress_at) : NaN;
  const age = facts.now - last;
  return {
    same_cwd: sameNonEmpty(facts.cwd, candidate.cwd),
    same_worktree_realpath: sameNonEmpty(facts.worktreeRealpath, candidate.worktree_realpath),
    same_branch_at_start: sameNonEmpty(facts.branch, candidate.branch_at_start),
    within_time_window: Number.isFinite(last) && age >= 0 && age <= windowMs,
  };
}
