/**
 * The traps: realistic sequences recorded one by one into an in-memory store, where a wrong
 * decision would merge unrelated work or split one piece of work.
 */
import type { SessionRecord } from '@sessions-db/projection';
import { describe, expect, it } from 'vitest';
import { computeFingerprints } from './fingerprints.js';
import { createMemoryIdentityIndex } from './memory-identity-index.js';
import { MAX_PARENT_CANDIDATES } from './parent-candidates.js';
import { resolveIdentity } from './resolve-identity.js';
import {
  HOUR,
  NOW,
  createMinter,
  csid,
  makeRecord,
  promptFacts,
  recordResolution,
  stableId,
  uuid,
} from './test-support/records.js';
import { resolveAgainst } from './test-support/resolve.js';
import type { IdentityFacts, IdentityResult } from './types.js';

const REPO = '/home/dev/src/billing';
const WT_A = '/home/dev/src/billing';
const WT_B = '/home/dev/src/billing-wt/proration';
const SPECIFIC = 'Make proration use calendar days instead of 30-day months for annual plans';

/** A tiny store: resolve against the current records, then record the result. */
function createSimulation() {
  const records = new Map<string, SessionRecord>();
  const minter = createMinter();
  return {
    records,
    see(facts: IdentityFacts): IdentityResult {
      const result = resolveIdentity(facts, createMemoryIdentityIndex(records.values()), {
        mintStableId: minter.mint,
      });
      recordResolution(records, facts, result);
      return result;
    },
    end(stable: string, reason: string, pid: number, at: number): void {
      const record = records.get(stable);
      if (record === undefined) throw new Error(`unknown ${stable}`);
      record.end_reason = reason;
      record.ended_at = new Date(at).toISOString();
      record.claude_pid = pid;
    },
  };
}

const place = { cwd: REPO, worktreeRealpath: WT_A, branch: 'main' } as const;

/** The SessionEnd of `csid(1)` in `place` after writing `rows`: its tail is the last eight. */
function endAfter(rows: readonly string[], fields: Partial<IdentityFacts> = {}): IdentityFacts {
  return {
    claudeSessionId: csid(1),
    now: NOW,
    hookEvent: 'SessionEnd',
    ...place,
    firstUuid: rows[0] ?? null,
    lastUuid: rows.at(-1) ?? null,
    tailUuids: rows.slice(-8),
    ...fields,
  };
}

describe('many unrelated sessions with the same generic first prompt', () => {
  it.each(['fix the tests', 'continue', 'hi', 'run the tests'])(
    '20 imports of %j in the same cwd, branch and 72 h stay 20 sessions',
    (prompt) => {
      const sim = createSimulation();
      const results = Array.from({ length: 20 }, (_, n) =>
        sim.see(
          promptFacts(n, prompt, {
            ...place,
            hookEvent: 'import',
            source: 'import',
            now: NOW + n * 2 * HOUR,
          }),
        ),
      );
      expect(new Set(results.map((r) => r.stableId)).size).toBe(20);
      expect(results.every((r) => r.minted && r.source === 'minted')).toBe(true);
      // Each later session lists its look-alikes as hints, capped at 10.
      expect(results[5]?.parentCandidates).toHaveLength(5);
      const last = results[19];
      expect(last?.parentCandidates).toHaveLength(MAX_PARENT_CANDIDATES);
      expect(last?.parentCandidatesOmittedCount).toBe(9);
      expect(last?.matched).toEqual({ prompt_only_rejected: 10 + 9 });
    },
  );

  it('the same holds for starts whose transcript already exists', () => {
    const sim = createSimulation();
    const ids = new Set(
      Array.from(
        { length: 20 },
        (_, n) =>
          sim.see(
            promptFacts(n, 'continue', { ...place, source: 'startup', now: NOW + n * 60_000 }),
          ).stableId,
      ),
    );
    expect(ids.size).toBe(20);
  });
});

describe('the same specific prompt in two worktrees', () => {
  /** Import SPECIFIC in `place` as csid(1), then in `where` an hour later as csid(2). */
  function importTwice(where: Partial<IdentityFacts>): { a: IdentityResult; b: IdentityResult } {
    const sim = createSimulation();
    const imported = { source: 'import', hookEvent: 'import' } as const;
    const a = sim.see(promptFacts(1, SPECIFIC, { ...place, ...imported }));
    const b = sim.see(promptFacts(2, SPECIFIC, { ...where, ...imported, now: NOW + HOUR }));
    return { a, b };
  }

  it('stays two sessions', () => {
    const { a, b } = importTwice({ cwd: WT_B, worktreeRealpath: WT_B, branch: 'main' });
    expect(b.stableId).not.toBe(a.stableId);
    expect(b.parentCandidates.map((c) => c.stable_id)).toEqual([a.stableId]);
  });

  it('but a long, specific prompt in the same worktree merges, as the original did', () => {
    const { a, b } = importTwice(place);
    expect(b).toMatchObject({
      stableId: a.stableId,
      source: 'fingerprint_corroborator',
      minted: false,
    });
  });
});

describe('lineage through a realistic sequence', () => {
  const originUuids = Array.from({ length: 30 }, (_, i) => uuid(i, 0xa));
  const forkUuids = Array.from({ length: 12 }, (_, i) => uuid(i, 0xb));
  const fp = computeFingerprints({ sanitizedPrompt: SPECIFIC, firstUuid: originUuids[0] });
  const originEnd = endAfter(originUuids, { fingerprints: fp, firstPrompt: SPECIFIC });

  it('legacy resume → same session; fork → child; legacy resume of the fork → the fork', () => {
    const sim = createSimulation();
    const origin = sim.see({
      claudeSessionId: csid(1),
      now: NOW - HOUR,
      source: 'startup',
      ...place,
    });
    expect(sim.see(originEnd).stableId).toBe(origin.stableId);

    const resumed = sim.see({
      ...originEnd,
      claudeSessionId: csid(2),
      hookEvent: 'SessionStart',
      source: 'resume',
      now: NOW + HOUR,
    });
    expect(resumed).toMatchObject({
      stableId: origin.stableId,
      source: 'transcript_lineage',
      minted: false,
    });

    const forked = sim.see({
      ...originEnd,
      claudeSessionId: csid(3),
      hookEvent: 'SessionStart',
      source: 'fork',
      tailUuids: [...originUuids.slice(14, 20), ...forkUuids],
      lastUuid: forkUuids[11] ?? null,
      now: NOW + 2 * HOUR,
    });
    expect(forked.parent).toEqual({ stableId: origin.stableId, kind: 'fork' });

    const resumedFork = sim.see({
      ...originEnd,
      claudeSessionId: csid(4),
      hookEvent: 'SessionStart',
      source: 'resume',
      tailUuids: forkUuids,
      lastUuid: forkUuids[11] ?? null,
      now: NOW + 3 * HOUR,
    });
    expect(resumedFork).toMatchObject({ stableId: forked.stableId, minted: false });
    expect(sim.records.size).toBe(2);
  });
});

describe('/clear through a realistic sequence', () => {
  const PID = 60_321;
  /** The session that is cleared: started by Claude process PID. */
  const startup: IdentityFacts = {
    claudeSessionId: csid(1),
    now: NOW,
    source: 'startup',
    claudePid: PID,
    ...place,
  };

  it('links the cleared conversation as a child of kind clear', () => {
    const sim = createSimulation();
    const a = sim.see(startup);
    sim.end(a.stableId, 'clear', PID, NOW + 30 * 60_000);
    const b = sim.see({
      claudeSessionId: csid(2),
      now: NOW + 30 * 60_000 + 400,
      hookEvent: 'SessionStart',
      source: 'clear',
      claudePid: PID,
      ...place,
    });
    expect(b.parent).toEqual({ stableId: a.stableId, kind: 'clear' });
    expect(b.stableId).not.toBe(a.stableId);
  });

  it.each([
    ['no end was recorded', null],
    ['the end came from another process', { pid: PID + 1, at: 400 }],
    ['the end is older than the window', { pid: PID, at: 16_000 }],
  ])('mints with no parent when %s', (_label, end) => {
    const sim = createSimulation();
    const a = sim.see(startup);
    const startAt = NOW + HOUR;
    if (end !== null) sim.end(a.stableId, 'clear', end.pid, startAt - end.at);
    const b = sim.see({
      claudeSessionId: csid(2),
      now: startAt,
      source: 'clear',
      claudePid: PID,
      ...place,
    });
    expect(b.parent).toBeUndefined();
    expect(b).toMatchObject({ source: 'minted', minted: true });
  });
});

describe('a claude session id held by two records', () => {
  it('is ambiguous in either order, never first-wins', () => {
    const one = makeRecord(stableId(1), { claude_session_ids: [csid(7)] });
    const two = makeRecord(stableId(2), { claude_session_ids: [csid(7), csid(8)] });
    for (const records of [
      [one, two],
      [two, one],
    ]) {
      const { result, minter } = resolveAgainst({ claudeSessionId: csid(7), now: NOW }, records);
      expect(result.stableId).toBe(minter.minted[0]);
      expect(result.parentCandidates.map((c) => c.stable_id)).toEqual([stableId(1), stableId(2)]);
    }
  });
});

describe('audit size', () => {
  it('keeps the identity part of a session_seen payload well under the 4096-byte line cap', () => {
    const prompt = 'fix the tests';
    const records = Array.from({ length: 40 }, (_, n) =>
      makeRecord(stableId(n), {
        claude_session_ids: [csid(n)],
        cwd: REPO,
        worktree_realpath: WT_A,
        branch_at_start: 'main',
        fingerprints: computeFingerprints({ sanitizedPrompt: prompt, firstUuid: uuid(0, 0xc) }),
      }),
    );
    const facts = promptFacts(99, prompt, {
      ...place,
      source: 'resume',
      firstUuid: uuid(0, 0xc),
    });
    const withBoth = {
      ...facts,
      fingerprints: computeFingerprints({ sanitizedPrompt: prompt, firstUuid: uuid(0, 0xc) }),
    };
    const result = resolveIdentity(withBoth, createMemoryIdentityIndex(records), {
      mintStableId: () => 'sess_019e1a00-0000-7000-8000-000000000000',
    });
    expect(result.matched).toEqual({ ambiguous: true, ambiguous_count: 40 });
    const audit = JSON.stringify({
      identity_resolution: {
        source: result.source,
        confidence: result.confidence,
        matched: result.matched,
      },
      parent_candidate_ids: result.parentCandidates,
      parent_candidates_omitted_count: result.parentCandidatesOmittedCount,
    });
    expect(result.parentCandidates).toHaveLength(10);
    // The worst case: 10 fingerprint candidates with the original's full reason (≈ 2.8 KB, the
    // same shape the original writes); every list inside is bounded.
    expect(new TextEncoder().encode(audit).length).toBeLessThan(2_900);
  });
});

describe('real Claude Code clients', () => {
  const originUuids = Array.from({ length: 20 }, (_, i) => uuid(i, 0x1a));
  const forkUuids = Array.from({ length: 6 }, (_, i) => uuid(i, 0x1b));
  const originEnd = (version: string | null): IdentityFacts =>
    endAfter(originUuids, { transcriptVersion: version });
  // `--resume X --fork-session` on 2.1.332: the copy keeps the uuids and has no `forkedFrom`;
  // seen by import (no start source), its rows' version is what tells a fork from a legacy resume.
  const copy = (version: string | null): IdentityFacts => ({
    ...originEnd(version),
    claudeSessionId: csid(2),
    hookEvent: 'import',
    source: 'import',
    tailUuids: [...originUuids.slice(14), ...forkUuids],
    lastUuid: forkUuids[5] ?? null,
    now: NOW + HOUR,
  });

  it.each(['1.0.124', '2.1.197', '2.1.332'])(
    'a copy without forkedFrom written by %s is a fork child, not a merge',
    (version) => {
      const sim = createSimulation();
      const origin = sim.see(originEnd(version));
      const fork = sim.see(copy(version));
      expect(fork.stableId).not.toBe(origin.stableId);
      expect(fork).toMatchObject({
        source: 'transcript_lineage',
        minted: true,
        parent: { stableId: origin.stableId, kind: 'fork' },
      });
      expect(sim.records.size).toBe(2);
    },
  );

  it.each(['1.0.123', '0.2.9', null, 'unknown'])(
    'a copy written by %s (or an unknown version) is a legacy resume: the same session',
    (version) => {
      const sim = createSimulation();
      const origin = sim.see(originEnd(version));
      const resumed = sim.see(copy(version));
      expect(resumed).toMatchObject({ stableId: origin.stableId, minted: false });
      expect(resumed.parent).toBeUndefined();
    },
  );

  it('a startup with the same specific prompt in the same place never merges: a hint only', () => {
    const sim = createSimulation();
    const a = sim.see(promptFacts(1, SPECIFIC, { ...place, source: 'startup' }));
    const b = sim.see(promptFacts(2, SPECIFIC, { ...place, source: 'startup', now: NOW + HOUR }));
    expect(b.stableId).not.toBe(a.stableId);
    expect(b).toMatchObject({ source: 'minted', minted: true });
    expect(b.parentCandidates.map((c) => c.stable_id)).toEqual([a.stableId]);
  });

  it('the same facts without a startup source still merge, as the original did', () => {
    const sim = createSimulation();
    const a = sim.see(promptFacts(1, SPECIFIC, { ...place, source: 'startup' }));
    const b = sim.see(promptFacts(2, SPECIFIC, { ...place, source: 'resume', now: NOW + HOUR }));
    expect(b).toMatchObject({ stableId: a.stableId, source: 'fingerprint_corroborator' });
  });
});
