/** Tier 3: clear pairing (SessionEnd `clear` then SessionStart `clear` in one Claude process). */
import type { SessionRecord } from '@sessions-db/projection';
import { describe, expect, it } from 'vitest';
import { computeFingerprints } from './fingerprints.js';
import { DEFAULT_CLEAR_WINDOW_MS } from './resolve-identity.js';
import { HOUR, NOW, csid, iso, makeRecord, stableId } from './test-support/records.js';
import { resolveAgainst } from './test-support/resolve.js';
import type { IdentityFacts } from './types.js';

const PID = 51_207;
const CWD = '/home/dev/src/checkout-web';

function ended(
  n: number,
  endedOffsetMs: number,
  fields: Partial<SessionRecord> = {},
): SessionRecord {
  return makeRecord(stableId(n), {
    claude_session_ids: [csid(n)],
    cwd: CWD,
    worktree_realpath: CWD,
    branch_at_start: 'main',
    claude_pid: PID,
    end_reason: 'clear',
    ended_at: iso(endedOffsetMs),
    created_at: iso(endedOffsetMs - 20 * 60_000),
    ...fields,
  });
}

const clearStart: IdentityFacts = {
  claudeSessionId: csid(100),
  now: NOW,
  hookEvent: 'SessionStart',
  source: 'clear',
  claudePid: PID,
  cwd: CWD,
  worktreeRealpath: CWD,
  branch: 'main',
};

function resolve(facts: IdentityFacts, records: SessionRecord[], clearWindowMs?: number) {
  return resolveAgainst(facts, records, clearWindowMs === undefined ? {} : { clearWindowMs });
}

describe('tier 3 — clear pairing', () => {
  it('pairs with the one clear end of the same pid in the window → child, kind clear', () => {
    const { result, minter } = resolve(clearStart, [ended(1, -900)]);
    expect(result).toEqual({
      stableId: minter.minted[0],
      source: 'clear_pairing',
      confidence: 'high',
      matched: {
        claude_pid: PID,
        ended_at: iso(-900),
        matched_stable_id: stableId(1),
        candidates_considered: 1,
      },
      parent: { stableId: stableId(1), kind: 'clear' },
      parentCandidates: [],
      parentCandidatesOmittedCount: 0,
      minted: true,
    });
  });

  it('has an inclusive window edge (15 000 ms) and excludes 1 ms more', () => {
    expect(DEFAULT_CLEAR_WINDOW_MS).toBe(15_000);
    expect(resolve(clearStart, [ended(1, -15_000)]).result.parent).toEqual({
      stableId: stableId(1),
      kind: 'clear',
    });
    const outside = resolve(clearStart, [ended(1, -15_001)]).result;
    expect(outside.parent).toBeUndefined();
    expect(outside.source).toBe('minted');
  });

  it('honours a custom window', () => {
    expect(resolve(clearStart, [ended(1, -40_000)], 60_000).result.parent?.kind).toBe('clear');
  });

  it.each([
    ['no matching end at all', [] as SessionRecord[], clearStart],
    ['an end from another pid', [ended(1, -900, { claude_pid: PID + 1 })], clearStart],
    ['an end outside the window', [ended(1, -5 * 60_000)], clearStart],
    [
      'an end with another reason',
      [ended(1, -900, { end_reason: 'prompt_input_exit' })],
      clearStart,
    ],
    ['an end in the future', [ended(1, 2_000)], clearStart],
    ['a start without a pid (tier skipped)', [ended(1, -900)], { ...clearStart, claudePid: null }],
    [
      'a start that is not a clear',
      [ended(1, -900)],
      { ...clearStart, source: 'startup' as const },
    ],
    [
      'a SessionEnd (its reason is not a source)',
      [ended(1, -900)],
      { ...clearStart, hookEvent: 'SessionEnd' as const },
    ],
  ])('mints with no parent for %s', (_label, records, facts) => {
    const { result, minter } = resolve(facts, records);
    expect(result.parent).toBeUndefined();
    expect(result.minted).toBe(true);
    expect(result.stableId).toBe(minter.minted[0]);
  });

  it('two open clear ends of the same pid are ambiguous: mint, surface both', () => {
    // Two records claiming the same process at once (e.g. a reused pid): neither was created
    // after the other ended, so neither end was consumed.
    const a = ended(1, -4_000, { created_at: iso(-HOUR) });
    const b = ended(2, -2_000, { created_at: iso(-HOUR + 1) });
    const { result } = resolve(clearStart, [b, a]);
    expect(result.parent).toBeUndefined();
    expect(result).toMatchObject({
      source: 'minted',
      matched: { ambiguous: true, ambiguous_count: 2, tier: 'clear_pairing', claude_pid: PID },
    });
    expect(result.parentCandidates.map((c) => [c.stable_id, c.source, c.reason])).toEqual([
      [stableId(1), 'clear_pairing', { claude_pid: PID, ended_at: iso(-4_000) }],
      [stableId(2), 'clear_pairing', { claude_pid: PID, ended_at: iso(-2_000) }],
    ]);
  });

  it('a rapid double /clear pairs with the latest session: the earlier end was already consumed', () => {
    // A cleared at -9 s → B started at -8.5 s (same process) and was cleared at -1 s → now C.
    const a = ended(1, -9_000);
    const b = ended(2, -1_000, { created_at: iso(-8_500) });
    const { result } = resolve(clearStart, [a, b]);
    expect(result.parent).toEqual({ stableId: stableId(2), kind: 'clear' });
    expect(result.matched).toMatchObject({
      candidates_considered: 2,
      matched_stable_id: stableId(2),
    });
  });

  it('the exact tier comes first: a clear start for a known csid is decided by tier 1', () => {
    const { result } = resolve({ ...clearStart, claudeSessionId: csid(1) }, [ended(1, -900)]);
    expect(result).toMatchObject({ source: 'claude_session_id_index', stableId: stableId(1) });
  });
});

describe('tier 3 — the pre-clear id in the transcript (import, a late read)', () => {
  // What `import` knows of a post-clear transcript: no hook, no pid, only its rows.
  const imported: IdentityFacts = {
    claudeSessionId: csid(100),
    now: NOW,
    hookEvent: 'import',
    source: 'import',
    cwd: CWD,
    worktreeRealpath: CWD,
    branch: 'main',
    clearedFrom: csid(1),
  };
  const previous = (n: number, fields: Partial<SessionRecord> = {}): SessionRecord =>
    makeRecord(stableId(n), {
      claude_session_ids: [csid(1)],
      cwd: CWD,
      worktree_realpath: CWD,
      ...fields,
    });

  it('links the child to the session holding the pre-clear id, kind clear', () => {
    const { result, minter } = resolve(imported, [previous(1)]);
    expect(result).toEqual({
      stableId: minter.minted[0],
      source: 'clear_pairing',
      confidence: 'high',
      matched: {
        evidence: 'cleared_from',
        cleared_from_session_id: csid(1),
        matched_stable_id: stableId(1),
      },
      parent: { stableId: stableId(1), kind: 'clear' },
      parentCandidates: [],
      parentCandidatesOmittedCount: 0,
      minted: true,
    });
  });

  it('wins over a clear end of the same process that names another session', () => {
    const facts: IdentityFacts = { ...clearStart, clearedFrom: csid(1) };
    const { result } = resolve(facts, [
      previous(1),
      ended(2, -900, { claude_session_ids: [csid(2)] }),
    ]);
    expect(result.parent).toEqual({ stableId: stableId(1), kind: 'clear' });
  });

  it('two sessions holding the pre-clear id → ambiguous: mint, list both, no parent', () => {
    const { result, minter } = resolve(imported, [previous(2), previous(1)]);
    expect(result.stableId).toBe(minter.minted[0]);
    expect(result.parent).toBeUndefined();
    expect(result.matched).toEqual({
      ambiguous: true,
      ambiguous_count: 2,
      tier: 'clear_pairing',
      cleared_from_session_id: csid(1),
    });
    expect(result.parentCandidates.map((c) => c.stable_id)).toEqual([stableId(1), stableId(2)]);
  });

  it('an unknown pre-clear id, or the session own id, links nothing and never merges by fingerprint', () => {
    const prompt = 'migrate the checkout totals service to the new pricing engine tables';
    const fingerprints = computeFingerprints({ sanitizedPrompt: prompt });
    const lookAlike = makeRecord(stableId(3), {
      claude_session_ids: [csid(3)],
      cwd: CWD,
      worktree_realpath: CWD,
      branch_at_start: 'main',
      last_progress_at: iso(-HOUR),
      fingerprints,
    });
    const facts: IdentityFacts = {
      ...imported,
      clearedFrom: csid(9),
      fingerprints,
      firstPrompt: prompt,
    };
    const unknown = resolve(facts, [lookAlike]).result;
    expect(unknown).toMatchObject({ source: 'minted', minted: true });
    expect(unknown.parent).toBeUndefined();
    expect(unknown.parentCandidates.map((c) => c.stable_id)).toEqual([stableId(3)]);
    // Without the clear marker, the same facts merge (the original's rules): the marker is what refuses it.
    const { clearedFrom: _ignored, ...plain } = facts;
    expect(resolve(plain, [lookAlike]).result).toMatchObject({
      stableId: stableId(3),
      source: 'fingerprint_corroborator',
    });
    const self = resolve({ ...imported, clearedFrom: csid(100) }, [previous(1)]).result;
    expect(self).toMatchObject({ source: 'minted', matched: {} });
  });

  it('a fork (by source or marker) whose copied rows carry a session_id is no clear child', () => {
    for (const fork of [
      { source: 'fork' as const },
      { forkedFrom: { sessionId: csid(7), messageUuid: null } },
    ]) {
      const { result } = resolve({ ...imported, ...fork }, [previous(1)]);
      expect(result.parent).toBeUndefined();
      expect(result.source).toBe('minted');
    }
  });

  it('an exact claude session id still decides first (the child was recorded before)', () => {
    const child = makeRecord(stableId(5), { claude_session_ids: [csid(100)] });
    const { result } = resolve(imported, [previous(1), child]);
    expect(result).toMatchObject({ stableId: stableId(5), source: 'claude_session_id_index' });
  });
});
