/**
 * Tiers 1 and 2: exact claude session id, and transcript lineage with its ranking. Topology used
 * throughout: O (uuids o0…o39), F = fork of O at o20 (copies o0…o20, then f0…f29).
 */
import type { SessionRecord } from '@sessions-db/projection';
import { describe, expect, it } from 'vitest';
import { IdentityInputError } from './errors.js';
import { createMemoryIdentityIndex } from './memory-identity-index.js';
import { recordLineageKeys } from './record-keys.js';
import { resolveIdentity } from './resolve-identity.js';
import {
  HOUR,
  NOW,
  csid,
  iso,
  makeRecord,
  stableId,
  transcriptFile,
  uuid,
} from './test-support/records.js';
import { resolveAgainst } from './test-support/resolve.js';
import type { IdentityFacts, IdentityResult } from './types.js';

const CWD = '/home/dev/src/ledger';
const range = (salt: number, from: number, to: number): string[] =>
  Array.from({ length: to - from + 1 }, (_, i) => uuid(from + i, salt));
const o = (i: number): string => uuid(i, 1);
const f = (i: number): string => uuid(i, 2);

const O = stableId(1);
const F = stableId(2);

function session(
  id: string,
  claudeSessionId: string,
  first: string | null,
  last: string | null,
  extra: Parameters<typeof transcriptFile>[3] = {},
  fields: Partial<SessionRecord> = {},
): SessionRecord {
  return makeRecord(id, {
    claude_session_ids: [claudeSessionId],
    cwd: CWD,
    worktree_realpath: CWD,
    branch_at_start: 'main',
    transcript_files: [
      transcriptFile(
        `/home/dev/.claude/projects/-home-dev-src-ledger/${claudeSessionId}.jsonl`,
        first,
        last,
        extra,
      ),
    ],
    ...fields,
  });
}

const origin = session(O, csid(1), o(0), o(39), { tail_uuids: range(1, 32, 39) });
const fork = session(
  F,
  csid(2),
  o(0),
  f(29),
  { tail_uuids: range(2, 22, 29) },
  { parent_session_id: O, parent_kind: 'fork', created_at: iso(-HOUR) },
);

/** The transcript facts of a copy of the whole of O (o0…o39). */
const WHOLE_ORIGIN = { firstUuid: o(0), lastUuid: o(39) } as const;

/**
 * Facts of a transcript `csid(n)` that copied O's start (o0…o15) and wrote `tailUuids` last: its
 * last uuid is the tail's last.
 */
function copiedFromOrigin(
  n: number,
  source: 'resume' | 'fork',
  tailUuids: string[],
  extra: Partial<IdentityFacts> = {},
): Omit<IdentityFacts, 'now'> {
  return {
    claudeSessionId: csid(n),
    source,
    firstUuid: o(0),
    headUuids: range(1, 0, 15),
    tailUuids,
    lastUuid: tailUuids.at(-1) ?? null,
    ...extra,
  };
}

/**
 * `result` is a mint without a parent: tier 2 found two sessions at its deepest shared point,
 * described further by `matched`.
 */
function expectAmbiguousLineage(result: IdentityResult, matched: Record<string, unknown>): void {
  expect(result).toMatchObject({
    source: 'minted',
    matched: { ambiguous: true, ambiguous_count: 2, tier: 'transcript_lineage', ...matched },
  });
  expect(result.parent).toBeUndefined();
}

function resolve(facts: Omit<IdentityFacts, 'now'>, records: SessionRecord[]) {
  return resolveAgainst({ now: NOW, ...facts }, records);
}

describe('tier 1 — exact claude session id', () => {
  it('matches the record holding the csid', () => {
    const { result, minter } = resolve({ claudeSessionId: csid(2) }, [origin, fork]);
    expect(result).toMatchObject({
      stableId: F,
      source: 'claude_session_id_index',
      confidence: 'exact',
    });
    expect(minter.calls).toBe(0);
  });

  it('misses an unknown csid and mints', () => {
    const { result } = resolve({ claudeSessionId: csid(77) }, [origin, fork]);
    expect(result).toMatchObject({ source: 'minted', minted: true });
  });

  it('never matches a skeleton record with an empty claude_session_ids', () => {
    const skeleton = makeRecord(stableId(5), { claude_session_ids: [], alias: 'later' });
    const { result } = resolve({ claudeSessionId: csid(5) }, [skeleton]);
    expect(result.minted).toBe(true);
  });

  it('short-circuits lineage: a known csid wins over shared uuids', () => {
    const { result } = resolve({ claudeSessionId: csid(2), source: 'resume', ...WHOLE_ORIGIN }, [
      origin,
      fork,
    ]);
    expect(result.stableId).toBe(F);
  });

  it('treats a csid held by two records as ambiguous: mint, surface both, never first-wins', () => {
    const twin = session(
      stableId(3),
      csid(1),
      null,
      null,
      {},
      { last_progress_at: iso(-3 * HOUR) },
    );
    for (const records of [
      [origin, twin],
      [twin, origin],
    ]) {
      const { result, minter } = resolve({ claudeSessionId: csid(1), source: 'resume' }, records);
      expect(minter.calls).toBe(1);
      expect(result).toEqual({
        stableId: minter.minted[0],
        source: 'minted',
        confidence: 'minted',
        matched: {
          ambiguous: true,
          ambiguous_count: 2,
          tier: 'claude_session_id_index',
          claude_session_id: csid(1),
        },
        parentCandidates: [O, stableId(3)].map((id) => ({
          stable_id: id,
          source: 'claude_session_id_index',
          confidence: 'exact',
          reason: { claude_session_id: csid(1) },
        })),
        parentCandidatesOmittedCount: 0,
        minted: true,
      });
    }
  });
});

describe('tier 2 — transcript lineage (the original P2 cases)', () => {
  it('links a new transcript whose first parent is a known last uuid (same session)', () => {
    const { result } = resolve(
      {
        claudeSessionId: csid(10),
        source: 'resume',
        firstUuid: uuid(0, 9),
        firstParentUuid: o(39),
      },
      [origin],
    );
    expect(result).toMatchObject({
      stableId: O,
      source: 'transcript_lineage',
      confidence: 'high',
      minted: false,
      matched: { uuid: o(39), role: 'last', relation: 'same_session' },
    });
  });

  it('skips the tier without transcript facts', () => {
    const { result } = resolve({ claudeSessionId: csid(10), source: 'resume' }, [origin]);
    expect(result.source).toBe('minted');
  });

  it('skips the tier when no uuid is known', () => {
    const { result } = resolve(
      {
        claudeSessionId: csid(10),
        firstUuid: uuid(0, 9),
        firstParentUuid: uuid(1, 9),
        lastUuid: uuid(5, 9),
      },
      [origin, fork],
    );
    expect(result.source).toBe('minted');
  });
});

describe('tier 2 — ranking between relatives', () => {
  it('legacy resume of a fork → the fork (its last uuid beats the origin’s first)', () => {
    const { result } = resolve(copiedFromOrigin(11, 'resume', range(2, 22, 29)), [origin, fork]);
    expect(result).toMatchObject({
      stableId: F,
      minted: false,
      matched: { matched_stable_id: F, uuid: f(29), role: 'last', candidates_considered: 2 },
    });
  });

  it('legacy resume of the origin → the origin, even though the fork shares its start', () => {
    const { result } = resolve(copiedFromOrigin(12, 'resume', range(1, 30, 39)), [fork, origin]);
    expect(result).toMatchObject({ stableId: O, matched: { role: 'last' } });
  });

  it('-p --resume <file> under a fresh id (2.1.261+, copied rows) → a fork child, never a merge', () => {
    const facts: Omit<IdentityFacts, 'now'> = copiedFromOrigin(
      18,
      'resume',
      [...range(1, 36, 39), ...range(5, 0, 3)],
      { transcriptVersion: '2.1.261' },
    );
    const { result, minter } = resolve(facts, [origin, fork]);
    expect(result).toMatchObject({
      stableId: minter.minted[0],
      parent: { stableId: O, kind: 'fork' },
      matched: { relation: 'fork', uuid: o(39), role: 'last' },
    });
  });

  it('/cd moves the file (same id, new directory and path) → the same session by its id', () => {
    const { result, minter } = resolve(
      {
        claudeSessionId: csid(1),
        source: 'resume',
        cwd: '/home/dev/src/ledger-api',
        worktreeRealpath: '/home/dev/src/ledger-api',
        ...WHOLE_ORIGIN,
      },
      [origin, fork],
    );
    expect(minter.minted).toEqual([]);
    expect(result).toMatchObject({ stableId: O, source: 'claude_session_id_index' });
  });

  describe('a uuid copied into a fork still belongs to its origin (issue 12 item 8)', () => {
    // F2 forked O at o(15) (decided by that uuid) and never wrote a row of its own, so its file's
    // first and last uuids are both copies. O went on to o(39): it no longer indexes o(15).
    const unDiverged = session(
      stableId(3),
      csid(3),
      o(0),
      o(15),
      {},
      {
        parent_session_id: O,
        parent_kind: 'fork',
        identity_resolution: {
          source: 'transcript_lineage',
          confidence: 'high',
          matched: {
            evidence: 'uuid',
            relation: 'fork',
            matched_stable_id: O,
            uuid: o(15),
            role: 'last',
          },
        },
      },
    );
    // A legacy resume that copied O's history up to o(15) and chains its own rows from there.
    const chained: Omit<IdentityFacts, 'now'> = copiedFromOrigin(16, 'resume', [
      o(15),
      ...range(4, 0, 5),
    ]);

    it('a legacy resume chaining from a copied uuid joins the origin, not the fork', () => {
      const { result, minter } = resolve(chained, [origin, unDiverged]);
      expect(minter.minted).toEqual([]);
      expect(result).toMatchObject({
        stableId: O,
        source: 'transcript_lineage',
        matched: { relation: 'same_session', matched_stable_id: O, uuid: o(0), role: 'first' },
      });
    });

    it('sharing only the copied first uuid, a legacy resume joins the origin (no tie with the fork)', () => {
      const { result } = resolve({ ...chained, headUuids: [o(0)], tailUuids: [] }, [fork, origin]);
      expect(result).toMatchObject({ stableId: O, minted: false });
    });

    it('the fork is still found by its own rows', () => {
      const { result } = resolve(
        { claudeSessionId: csid(17), source: 'resume', firstUuid: o(0), lastUuid: f(29) },
        [origin, fork],
      );
      expect(result).toMatchObject({ stableId: F, matched: { uuid: f(29), role: 'last' } });
    });

    it('a fork may still descend through a copied uuid (fork-of-fork lineage is unchanged)', () => {
      const { result } = resolve({ ...chained, source: 'fork' }, [origin, unDiverged]);
      expect(result.parent).toEqual({ stableId: stableId(3), kind: 'fork' });
      expect(result.matched).toMatchObject({ uuid: o(15), role: 'copied' });
    });

    it('a record that is no fork child keeps its own roles', () => {
      const keys = recordLineageKeys(unDiverged).uuids;
      expect(keys).toEqual([
        [o(0), 'copied'],
        [o(15), 'copied'],
      ]);
      expect(recordLineageKeys({ ...unDiverged, parent_kind: 'manual' }).uuids).toEqual([
        [o(0), 'first'],
        [o(15), 'last'],
      ]);
      expect(recordLineageKeys(fork).uuids).toContainEqual([f(29), 'last']);
    });
  });

  it('fork of a fork at a recent point of the fork → child of the fork', () => {
    const { result, minter } = resolve(copiedFromOrigin(13, 'fork', range(2, 20, 25)), [
      origin,
      fork,
    ]);
    expect(result.parent).toEqual({ stableId: F, kind: 'fork' });
    expect(result.stableId).toBe(minter.minted[0]);
    expect(result.matched).toMatchObject({ uuid: f(25), role: 'tail', relation: 'fork' });
  });

  it('fork of a fork deep in its middle, no marker → ambiguous between fork and origin (never the origin alone)', () => {
    const { result } = resolve(copiedFromOrigin(14, 'fork', range(3, 0, 9)), [origin, fork]);
    expectAmbiguousLineage(result, { uuid: o(0), role: 'first' });
    expect(result.parentCandidates.map((c) => c.stable_id).sort()).toEqual([O, F].sort());
  });

  it('fork of a fork with a forkedFrom marker naming the fork → child of the fork', () => {
    const { result } = resolve(
      copiedFromOrigin(15, 'fork', range(3, 0, 9), {
        forkedFrom: { sessionId: csid(2), messageUuid: f(10) },
      }),
      [origin, fork],
    );
    expect(result.parent).toEqual({ stableId: F, kind: 'fork' });
    expect(result.matched).toEqual({
      evidence: 'forked_from',
      relation: 'fork',
      matched_stable_id: F,
      candidates_considered: 1,
      forked_from_session_id: csid(2),
    });
  });

  it('a forkedFrom marker makes a "resume" a fork (Claude Code before 2.1.214)', () => {
    const { result } = resolve(
      {
        claudeSessionId: csid(16),
        source: 'resume',
        ...WHOLE_ORIGIN,
        forkedFrom: { sessionId: csid(1), messageUuid: o(39) },
      },
      [origin],
    );
    expect(result).toMatchObject({
      source: 'transcript_lineage',
      minted: true,
      parent: { stableId: O, kind: 'fork' },
    });
  });

  it('a marker naming an unknown session falls back to uuid lineage, still as a fork', () => {
    const { result } = resolve(
      {
        claudeSessionId: csid(17),
        ...WHOLE_ORIGIN,
        forkedFrom: { sessionId: csid(404), messageUuid: null },
      },
      [origin],
    );
    expect(result).toMatchObject({
      parent: { stableId: O, kind: 'fork' },
      matched: { evidence: 'uuid', role: 'last' },
    });
  });

  it('a marker naming a csid held by two records is ambiguous', () => {
    const twin = session(stableId(3), csid(1), null, null);
    const { result } = resolve(
      {
        claudeSessionId: csid(18),
        source: 'fork',
        firstUuid: o(0),
        forkedFrom: { sessionId: csid(1) },
      },
      [origin, twin],
    );
    expectAmbiguousLineage(result, { forked_from_session_id: csid(1) });
  });

  it('ignores a marker that names the session itself', () => {
    const { result } = resolve(
      {
        claudeSessionId: csid(19),
        source: 'resume',
        ...WHOLE_ORIGIN,
        forkedFrom: { sessionId: csid(19) },
      },
      [origin],
    );
    expect(result).toMatchObject({
      stableId: O,
      minted: false,
      matched: { relation: 'same_session' },
    });
  });

  it('at the same uuid, a session that ends there beats one that merely holds it in its tail', () => {
    const short = session(stableId(4), csid(4), uuid(0, 4), uuid(3, 4), {
      tail_uuids: range(4, 0, 3),
    });
    const branch = session(stableId(5), csid(5), uuid(0, 4), uuid(5, 5), {
      tail_uuids: [uuid(2, 4), uuid(3, 4), ...range(5, 0, 5)],
    });
    const { result } = resolve(
      {
        claudeSessionId: csid(20),
        source: 'fork',
        firstUuid: uuid(0, 4),
        headUuids: range(4, 0, 3),
        tailUuids: range(4, 0, 3),
        lastUuid: uuid(3, 4),
      },
      [branch, short],
    );
    expect(result.parent).toEqual({ stableId: stableId(4), kind: 'fork' });
  });

  it('the deepest shared point wins: a continuation’s first uuid beats its predecessor’s last', () => {
    const before = session(stableId(6), csid(6), uuid(0, 6), uuid(9, 6));
    const after = session(stableId(7), csid(7), uuid(0, 7), uuid(9, 7), {
      first_parent_uuid: uuid(9, 6),
    });
    const { result } = resolve(
      {
        claudeSessionId: csid(21),
        source: 'resume',
        firstUuid: uuid(0, 6),
        headUuids: [...range(6, 0, 9), ...range(7, 0, 3)],
        tailUuids: range(8, 0, 4),
        lastUuid: uuid(4, 8),
      },
      [before, after],
    );
    expect(result).toMatchObject({
      stableId: stableId(7),
      matched: { uuid: uuid(0, 7), role: 'first' },
    });
  });

  it('two sessions ending at the same uuid are ambiguous', () => {
    const copyA = session(stableId(8), csid(8), o(0), o(39));
    const copyB = session(stableId(9), csid(9), o(0), o(39));
    const { result } = resolve({ claudeSessionId: csid(22), source: 'resume', ...WHOLE_ORIGIN }, [
      copyB,
      copyA,
    ]);
    expectAmbiguousLineage(result, { uuid: o(39), role: 'last' });
    expect(result.parentCandidates).toEqual(
      [stableId(8), stableId(9)].map((id) => ({
        stable_id: id,
        source: 'transcript_lineage',
        confidence: 'high',
        reason: { uuid: o(39), role: 'last' },
      })),
    );
  });

  it('a shared ancestor only (the stored file’s first parent) never merges; it stays a hint', () => {
    const sibling = session(stableId(10), csid(10), uuid(0, 10), uuid(9, 10), {
      first_parent_uuid: uuid(50, 11),
    });
    const { result, minter } = resolve(
      {
        claudeSessionId: csid(23),
        source: 'resume',
        firstUuid: uuid(0, 12),
        firstParentUuid: uuid(50, 11),
        lastUuid: uuid(9, 12),
      },
      [sibling],
    );
    expect(minter.calls).toBe(1);
    expect(result).toMatchObject({ source: 'minted', matched: {} });
    expect(result.parentCandidates).toEqual([
      {
        stable_id: stableId(10),
        source: 'transcript_lineage',
        confidence: 'high',
        reason: { uuid: uuid(50, 11), role: 'head' },
      },
    ]);
  });
});

describe('input validation', () => {
  const index = createMemoryIdentityIndex([]);
  const mintStableId = () => 'sess_x';

  it.each([
    [{ claudeSessionId: '', now: NOW }, 'claudeSessionId'],
    [{ now: NOW }, 'claudeSessionId'],
    [{ claudeSessionId: csid(1), now: Number.NaN }, 'now'],
    [{ claudeSessionId: csid(1) }, 'now'],
  ])('rejects %j', (facts, field) => {
    expect(() => resolveIdentity(facts as IdentityFacts, index, { mintStableId })).toThrow(
      expect.objectContaining({ code: 'IDENTITY_INPUT_INVALID', field }),
    );
  });

  it('rejects a missing mint callback and an empty minted id', () => {
    const facts = { claudeSessionId: csid(1), now: NOW };
    expect(() =>
      resolveIdentity(facts, index, {} as unknown as Parameters<typeof resolveIdentity>[2]),
    ).toThrow(IdentityInputError);
    expect(() => resolveIdentity(facts, index, { mintStableId: () => '' })).toThrow(
      /mintStableId\(\)/,
    );
  });
});
