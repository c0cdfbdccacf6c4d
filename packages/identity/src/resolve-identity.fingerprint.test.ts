/**
 * Tier 4 (fingerprint + corroborators) and tier 5 (mint): the original's rules (docs/identity.md,
 * the §16 identity list) on the lineage fingerprint, and our prompt-only rule.
 */
import type { SessionRecord } from '@sessions-db/projection';
import { describe, expect, it } from 'vitest';
import { computeFingerprints, firstHumanPromptV1, lineagePrefixV1 } from './fingerprints.js';
import {
  HOUR,
  NOW,
  csid,
  iso,
  makeRecord,
  recordResolution,
  stableId,
  uuid,
} from './test-support/records.js';
import { resolveAgainst } from './test-support/resolve.js';
import type { IdentityFacts } from './types.js';

const CWD = '/home/dev/src/inventory-svc';
const OTHER_CWD = '/home/dev/src/inventory-svc/packages/api';
const WT = '/home/dev/src/inventory-svc';
const OTHER_WT = '/home/dev/src/inventory-svc-wt/reserve-stock';
const LP = lineagePrefixV1(uuid(0, 40), null) ?? '';
const SPECIFIC = 'Add optimistic locking to the stock reservation endpoint using row versions';
const GENERIC = 'fix the tests';

/** Facts with no transcript uuids (so tier 2 never fires), only fingerprints. */
function facts(fields: Partial<IdentityFacts> = {}): IdentityFacts {
  return {
    claudeSessionId: csid(900),
    now: NOW,
    hookEvent: 'SessionStart',
    source: 'resume',
    cwd: CWD,
    worktreeRealpath: WT,
    branch: 'feat/reserve',
    fingerprints: { lineage_prefix_v1: LP },
    ...fields,
  };
}

function candidate(n: number, fields: Partial<SessionRecord> = {}): SessionRecord {
  return makeRecord(stableId(n), {
    claude_session_ids: [csid(n)],
    cwd: CWD,
    worktree_realpath: WT,
    branch_at_start: 'feat/reserve',
    last_progress_at: iso(-HOUR),
    fingerprints: { first_human_prompt_v1: null, lineage_prefix_v1: LP },
    ...fields,
  });
}

/** Corroborator selection: which of the four hold for `candidate(n, place(...))`. */
function place(
  cwd: boolean,
  worktree: boolean,
  branch: boolean,
  recent: boolean,
  extra: Partial<SessionRecord> = {},
): Partial<SessionRecord> {
  return {
    cwd: cwd ? CWD : OTHER_CWD,
    worktree_realpath: worktree ? WT : OTHER_WT,
    branch_at_start: branch ? 'feat/reserve' : 'main',
    last_progress_at: recent ? iso(-HOUR) : iso(-100 * HOUR),
    ...extra,
  };
}

const resolve = resolveAgainst;

describe('tier 4 — the original rules (lineage fingerprint)', () => {
  it('accepts with 2 corroborators (same_cwd + within window)', () => {
    const { result, minter } = resolve(facts(), [candidate(1, place(true, false, false, true))]);
    expect(minter.calls).toBe(0);
    expect(result).toEqual({
      stableId: stableId(1),
      source: 'fingerprint_corroborator',
      confidence: 'low',
      matched: {
        fingerprints_matched: ['lineage_prefix_v1'],
        corroborators: {
          same_cwd: true,
          same_worktree_realpath: false,
          same_branch_at_start: false,
          within_time_window: true,
        },
        corroborator_count: 2,
        strong_corroborator_count: 1,
      },
      parentCandidates: [],
      parentCandidatesOmittedCount: 0,
      minted: false,
    });
  });

  it('rejects with 1 corroborator and keeps the match as a candidate', () => {
    const { result } = resolve(facts(), [candidate(1, place(true, false, false, false))]);
    expect(result).toMatchObject({
      source: 'minted',
      confidence: 'minted',
      matched: {},
      minted: true,
    });
    expect(result.parentCandidates).toEqual([
      {
        stable_id: stableId(1),
        source: 'fingerprint',
        confidence: 'low',
        reason: {
          fingerprints_matched: ['lineage_prefix_v1'],
          corroborator_count: 1,
          strong_corroborator_count: 1,
          weak_corroborator_count: 0,
        },
      },
    ]);
  });

  it('has an inclusive 72 h edge; 1 ms more is outside', () => {
    const at = (offset: number) =>
      resolve(facts(), [
        candidate(1, place(true, false, false, false, { last_progress_at: iso(offset) })),
      ]).result.source;
    expect(at(-72 * HOUR)).toBe('fingerprint_corroborator');
    expect(at(-72 * HOUR - 1)).toBe('minted');
  });

  it('rejects weak-only evidence (same branch + same window)', () => {
    const { result } = resolve(facts(), [candidate(1, place(false, false, true, true))]);
    expect(result.source).toBe('minted');
    expect(result.parentCandidates).toHaveLength(1);
  });

  it('accepts two strong, and strong + weak', () => {
    expect(resolve(facts(), [candidate(1, place(true, true, false, false))]).result.stableId).toBe(
      stableId(1),
    );
    expect(resolve(facts(), [candidate(1, place(false, true, true, false))]).result.stableId).toBe(
      stableId(1),
    );
  });

  it('honours timeWindowHours (0 allowed, negative → 72) and minCorroborators', () => {
    const recent = [candidate(1, place(true, false, false, true))];
    expect(resolve(facts(), recent, { timeWindowHours: 0 }).result.source).toBe('minted');
    expect(resolve(facts(), recent, { timeWindowHours: -5 }).result.source).toBe(
      'fingerprint_corroborator',
    );
    expect(resolve(facts(), recent, { minCorroborators: 3 }).result.source).toBe('minted');
  });

  it('lists the matched fingerprints in the original order', () => {
    const fhp = firstHumanPromptV1(GENERIC) ?? '';
    const both = candidate(1, {
      fingerprints: { first_human_prompt_v1: fhp, lineage_prefix_v1: LP },
    });
    const { result } = resolve(
      facts({ fingerprints: { first_human_prompt_v1: fhp, lineage_prefix_v1: LP } }),
      [both],
    );
    expect(result.matched).toMatchObject({
      fingerprints_matched: ['first_human_prompt_v1', 'lineage_prefix_v1'],
    });
  });

  it('on one accept, lists the below-threshold matches as candidates', () => {
    const { result } = resolve(facts(), [
      candidate(1, place(true, true, true, true)),
      candidate(2, place(false, false, true, true)),
      candidate(3, place(true, false, false, false)),
    ]);
    expect(result.stableId).toBe(stableId(1));
    expect(result.parentCandidates.map((c) => c.stable_id)).toEqual([stableId(3), stableId(2)]);
  });

  it('two above threshold → ambiguous: mint, above rows first (never displaced), then below', () => {
    const { result } = resolve(facts(), [
      candidate(3, place(false, false, false, true, { last_progress_at: iso(-60_000) })),
      candidate(1, place(true, false, true, false, { last_progress_at: iso(-100 * HOUR) })),
      candidate(2, place(true, false, true, false, { last_progress_at: iso(-90 * HOUR) })),
      // Below threshold, same strong count and newer than both: the original's cap would have
      // sorted it first (docs/identity.md "cap ordering claim").
      candidate(4, place(true, false, false, false, { last_progress_at: iso(-80 * HOUR) })),
    ]);
    expect(result).toMatchObject({
      source: 'minted',
      minted: true,
      matched: { ambiguous: true, ambiguous_count: 2 },
    });
    expect(result.parentCandidates.map((c) => c.stable_id)).toEqual([2, 1, 4, 3].map(stableId));
  });

  it('caps 20 matches at 10 candidates with 10 omitted, sorted by strong, progress, id', () => {
    const records = Array.from({ length: 20 }, (_, i) =>
      candidate(
        i + 1,
        place(i % 2 === 0, false, false, false, { last_progress_at: iso(-(i + 1) * HOUR) }),
      ),
    );
    const { result } = resolve(facts(), records);
    expect(result.parentCandidates).toHaveLength(10);
    expect(result.parentCandidatesOmittedCount).toBe(10);
    expect(result.parentCandidates.map((c) => c.stable_id)).toEqual(
      [1, 3, 5, 7, 9, 11, 13, 15, 17, 19].map(stableId),
    );
  });

  it('mints on an empty store, then finds itself by csid (mint-then-P1 loop)', () => {
    const records = new Map<string, SessionRecord>();
    const first = resolve(facts(), []);
    expect(first.result).toMatchObject({ source: 'minted', matched: {}, parentCandidates: [] });
    recordResolution(records, facts(), first.result);
    const second = resolve(facts({ now: NOW + HOUR }), [...records.values()]);
    expect(second.result).toMatchObject({
      stableId: first.result.stableId,
      source: 'claude_session_id_index',
    });
  });

  it('a fork without lineage never merges on fingerprints: the match is only a hint', () => {
    const { result } = resolve(facts({ source: 'fork' }), [
      candidate(1, place(true, true, true, true)),
    ]);
    expect(result).toMatchObject({ source: 'minted', minted: true, matched: {} });
    expect(result.parent).toBeUndefined();
    expect(result.parentCandidates.map((c) => c.stable_id)).toEqual([stableId(1)]);
  });
});

describe('tier 4 — prompt-only matches (ours)', () => {
  function promptFacts(prompt: string | null, fields: Partial<IdentityFacts> = {}): IdentityFacts {
    return facts({
      fingerprints: computeFingerprints({
        sanitizedPrompt: prompt ?? SPECIFIC,
        firstUuid: uuid(0, 41),
      }),
      ...(prompt === null ? {} : { firstPrompt: prompt }),
      ...fields,
    });
  }
  function promptCandidate(
    n: number,
    prompt: string,
    where: Partial<SessionRecord>,
  ): SessionRecord {
    return candidate(n, {
      ...where,
      fingerprints: { first_human_prompt_v1: firstHumanPromptV1(prompt), lineage_prefix_v1: null },
    });
  }

  it('merges a long, specific prompt with both strong corroborators, as the original did', () => {
    const { result } = resolve(promptFacts(SPECIFIC), [
      promptCandidate(1, SPECIFIC, place(true, true, false, true)),
    ]);
    expect(result).toMatchObject({
      stableId: stableId(1),
      source: 'fingerprint_corroborator',
      confidence: 'low',
      matched: {
        fingerprints_matched: ['first_human_prompt_v1'],
        prompt_only: true,
        strong_corroborator_count: 2,
      },
    });
  });

  it('refuses a specific prompt with only one strong corroborator (the original would merge)', () => {
    const { result } = resolve(promptFacts(SPECIFIC), [
      promptCandidate(1, SPECIFIC, place(true, false, true, true)),
    ]);
    expect(result).toMatchObject({ source: 'minted', matched: { prompt_only_rejected: 1 } });
    expect(result.parentCandidates[0]?.reason).toMatchObject({
      rejected: 'prompt_only',
      corroborator_count: 3,
    });
  });

  it.each([
    'hi',
    'continue',
    GENERIC,
    'run the tests',
    '/clear',
    'please continue where you left off',
  ])('never merges on the generic prompt %j, even with all four corroborators', (prompt) => {
    const { result } = resolve(promptFacts(prompt), [
      promptCandidate(1, prompt, place(true, true, true, true)),
    ]);
    expect(result.source).toBe('minted');
    expect(result.parentCandidates.map((c) => c.stable_id)).toEqual([stableId(1)]);
  });

  it('never merges when the prompt text is unknown', () => {
    const { result } = resolve(promptFacts(null), [
      promptCandidate(1, SPECIFIC, place(true, true, true, true)),
    ]);
    expect(result.source).toBe('minted');
  });

  it('never merges when the prompt text is not what the fingerprint was computed from', () => {
    const input = promptFacts(SPECIFIC, { firstPrompt: `${SPECIFIC} and add tests` });
    const { result } = resolve(input, [
      promptCandidate(1, SPECIFIC, place(true, true, true, true)),
    ]);
    expect(result.source).toBe('minted');
  });

  it('keeps the original rules when the lineage fingerprint matched too (generic prompt)', () => {
    const both = candidate(1, {
      ...place(true, false, false, true),
      fingerprints: { first_human_prompt_v1: firstHumanPromptV1(GENERIC), lineage_prefix_v1: LP },
    });
    const input = facts({
      fingerprints: { first_human_prompt_v1: firstHumanPromptV1(GENERIC), lineage_prefix_v1: LP },
      firstPrompt: GENERIC,
    });
    expect(resolve(input, [both]).result.stableId).toBe(stableId(1));
  });

  it('a clear start that did not pair never merges on fingerprints', () => {
    const { result } = resolve(promptFacts(SPECIFIC, { source: 'clear', claudePid: 999 }), [
      promptCandidate(1, SPECIFIC, place(true, true, true, true)),
    ]);
    expect(result).toMatchObject({ source: 'minted', matched: {} });
  });
});
