/**
 * Tier 3 of `resolveIdentity`: a `/clear` start pairs with the clear `session_end` its own Claude
 * process wrote just before (docs/identity.md#the-tiers).
 */
import type { ClearEndCandidate, IdentityIndex } from './identity-index.js';
import type { ParentCandidateRow } from './parent-candidates.js';
import { ambiguousMint, minted, mintedChild, row } from './resolve-result.js';
import {
  isNonEmptyString,
  PRIORITY_OTHER,
  PRIORITY_TIED,
  parseMs,
  uniqueById,
  type Settings,
} from './resolve-settings.js';
import type { IdentityFacts, IdentityResult } from './types.js';

/**
 * The pre-clear Claude session id the transcript names (`facts.clearedFrom`), when it is a
 * non-empty id other than the session's own and the facts do not say fork (a fork's copied rows
 * may carry its origin's own `session_id`); else null.
 */
export function clearedFromOf(facts: IdentityFacts): string | null {
  const previous = facts.clearedFrom;
  if (facts.source === 'fork' || isNonEmptyString(facts.forkedFrom?.sessionId)) return null;
  return isNonEmptyString(previous) && previous !== facts.claudeSessionId ? previous : null;
}

/**
 * The clear child named by its own transcript: post-`/clear` rows carry the pre-clear id in
 * `session_id`. One session holding that id is the parent; two are ambiguous; none: null.
 */
function resolveClearedFrom(
  facts: IdentityFacts,
  index: IdentityIndex,
  settings: Settings,
): IdentityResult | null {
  const previous = clearedFromOf(facts);
  if (previous === null) return null;
  const holders = uniqueById(index.findByClaudeSessionId(previous));
  const [only] = holders;
  if (only === undefined) return null;
  if (holders.length === 1) {
    return mintedChild(
      settings,
      'clear_pairing',
      { stableId: only.stable_id, kind: 'clear' },
      {
        evidence: 'cleared_from',
        cleared_from_session_id: previous,
        matched_stable_id: only.stable_id,
      },
    );
  }
  return ambiguousMint(settings, holders, 'clear_pairing', { cleared_from_session_id: previous });
}

/**
 * A clear child: first by the pre-clear id its transcript carries (any hook event, and `import`),
 * else by the one open clear end of this Claude process (SessionStart `clear`); several are
 * ambiguous.
 */
export function resolveClear(
  facts: IdentityFacts,
  index: IdentityIndex,
  settings: Settings,
): IdentityResult | null {
  const named = resolveClearedFrom(facts, index, settings);
  if (named !== null) return named;
  const pid = facts.claudePid;
  const hookEvent = facts.hookEvent ?? 'SessionStart';
  if (
    facts.source !== 'clear' ||
    hookEvent !== 'SessionStart' ||
    typeof pid !== 'number' ||
    !Number.isInteger(pid) ||
    pid <= 0
  ) {
    return null;
  }
  const since = facts.now - settings.clearWindowMs;
  const ends = uniqueById(index.findRecentClearEnds(pid, since)).filter((end) => {
    const endedMs = parseMs(end.ended_at);
    return end.claude_pid === pid && endedMs >= since && endedMs <= facts.now;
  });
  // One Claude process runs one session at a time: a clear end followed, in the same process, by
  // the creation of another candidate session was already paired with that session (or one
  // before it). Only ends after which no candidate was created are still open.
  const open = ends.filter(
    (end) =>
      !ends.some((other) => other !== end && parseMs(other.created_at) >= parseMs(end.ended_at)),
  );
  const [only] = open;
  if (only === undefined) return null;
  if (open.length === 1) {
    return mintedChild(
      settings,
      'clear_pairing',
      { stableId: only.stable_id, kind: 'clear' },
      {
        claude_pid: pid,
        ended_at: only.ended_at,
        matched_stable_id: only.stable_id,
        candidates_considered: ends.length,
      },
    );
  }
  const clearRow = (end: ClearEndCandidate, priority: number): ParentCandidateRow =>
    row(
      {
        stable_id: end.stable_id,
        source: 'clear_pairing',
        confidence: 'high',
        reason: { claude_pid: pid, ended_at: end.ended_at },
      },
      end,
      priority,
    );
  const rows = [
    ...open.map((end) => clearRow(end, PRIORITY_TIED)),
    ...ends.filter((end) => !open.includes(end)).map((end) => clearRow(end, PRIORITY_OTHER)),
  ];
  return minted(
    settings,
    { ambiguous: true, ambiguous_count: open.length, tier: 'clear_pairing', claude_pid: pid },
    rows,
  );
}
