/**
 * One test per row of docs/identity.md ("What happened in Claude Code" → result), from realistic facts.
 * (The subagent row never reaches identity: subagent transcripts are not sessions.)
 */
import type { IdentityResolution, ParentCandidate, SessionRecord } from '@sessions-db/projection';
import { describe, expect, it } from 'vitest';
import { computeFingerprints } from './fingerprints.js';
import type { createMinter } from './test-support/records.js';
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

const CWD = '/home/dev/src/payments-api';
const PROMPT = 'Add a Stripe webhook handler for invoice.payment_failed that retries twice';
const ORIGIN = stableId(1);
const ORIGIN_CSID = csid(1);
/** The origin's conversation: u0 … u39. */
const ORIGIN_UUIDS = Array.from({ length: 40 }, (_, i) => uuid(i, 1));
const ORIGIN_FINGERPRINTS = computeFingerprints({
  sanitizedPrompt: PROMPT,
  firstUuid: ORIGIN_UUIDS[0],
});

function originRecord(fields: Partial<SessionRecord> = {}): SessionRecord {
  return makeRecord(ORIGIN, {
    claude_session_ids: [ORIGIN_CSID],
    cwd: CWD,
    worktree_realpath: CWD,
    branch_at_start: 'main',
    fingerprints: { ...ORIGIN_FINGERPRINTS },
    first_prompt_preview: PROMPT,
    transcript_files: [
      transcriptFile(
        `/home/dev/.claude/projects/-home-dev-src-payments-api/${ORIGIN_CSID}.jsonl`,
        ORIGIN_UUIDS[0] ?? null,
        ORIGIN_UUIDS[39] ?? null,
        { first_parent_uuid: null, tail_uuids: ORIGIN_UUIDS.slice(32) },
      ),
    ],
    claude_pid: 73_114,
    ...fields,
  });
}

const resolve = resolveAgainst;

/** Where the origin ran: its directory, worktree and branch. */
const IN_ORIGIN_WORKTREE = { cwd: CWD, worktreeRealpath: CWD, branch: 'main' } as const;

/** The SessionStart of `claudeSessionId` with `source`, at NOW, with more `fields`. */
function sessionStart(
  claudeSessionId: string,
  source: NonNullable<IdentityFacts['source']>,
  fields: Partial<IdentityFacts> = {},
): IdentityFacts {
  return { claudeSessionId, now: NOW, hookEvent: 'SessionStart', source, ...fields };
}

function expectMinted(result: IdentityResult, minter: ReturnType<typeof createMinter>): void {
  expect(result.minted).toBe(true);
  expect(minter.calls).toBe(1);
  expect(result.stableId).toBe(minter.minted[0]);
}

describe('docs/identity.md table', () => {
  it('new session (startup, no transcript yet) → new stable id', () => {
    const { result, minter } = resolve(
      sessionStart(csid(2), 'startup', {
        claudePid: 80_001,
        ...IN_ORIGIN_WORKTREE,
      }),
      [originRecord()],
    );
    expectMinted(result, minter);
    expect(result).toMatchObject({ source: 'minted', confidence: 'minted', matched: {} });
    expect(result.parent).toBeUndefined();
    expect(result.parentCandidates).toEqual([]);
  });

  it('--resume / --continue (same session_id, same file) → same stable id (exact)', () => {
    const { result, minter } = resolve(
      sessionStart(ORIGIN_CSID, 'resume', {
        cwd: CWD,
        firstUuid: ORIGIN_UUIDS[0] ?? null,
        lastUuid: ORIGIN_UUIDS[39] ?? null,
      }),
      [originRecord()],
    );
    expect(result).toEqual({
      stableId: ORIGIN,
      source: 'claude_session_id_index',
      confidence: 'exact',
      matched: { claude_session_id: ORIGIN_CSID },
      parentCandidates: [],
      parentCandidatesOmittedCount: 0,
      minted: false,
    });
    expect(minter.calls).toBe(0);
  });

  it('compaction (same session_id, compact_boundary in the same file) → same stable id (exact)', () => {
    const { result } = resolve(
      sessionStart(ORIGIN_CSID, 'compact', {
        firstUuid: ORIGIN_UUIDS[0] ?? null,
        compactBoundaries: [ORIGIN_UUIDS[39] ?? ''],
        lastUuid: uuid(99, 7),
      }),
      [originRecord()],
    );
    expect(result).toMatchObject({
      stableId: ORIGIN,
      source: 'claude_session_id_index',
      minted: false,
    });
  });

  it('legacy resume (new session_id, history copied with the same uuids) → same stable id (lineage)', () => {
    const { result, minter } = resolve(
      sessionStart(csid(3), 'resume', {
        cwd: CWD,
        firstUuid: ORIGIN_UUIDS[0] ?? null,
        firstParentUuid: null,
        headUuids: ORIGIN_UUIDS.slice(0, 16),
        tailUuids: ORIGIN_UUIDS.slice(24),
        lastUuid: ORIGIN_UUIDS[39] ?? null,
        fingerprints: ORIGIN_FINGERPRINTS,
        firstPrompt: PROMPT,
      }),
      [originRecord()],
    );
    expect(minter.calls).toBe(0);
    expect(result).toEqual({
      stableId: ORIGIN,
      source: 'transcript_lineage',
      confidence: 'high',
      matched: {
        evidence: 'uuid',
        relation: 'same_session',
        matched_stable_id: ORIGIN,
        candidates_considered: 1,
        uuid: ORIGIN_UUIDS[39],
        role: 'last',
      },
      parentCandidates: [],
      parentCandidatesOmittedCount: 0,
      minted: false,
    });
  });

  it('fork (new session_id, copied uuids then diverging) → new stable id, parent = origin, kind fork', () => {
    const own = Array.from({ length: 6 }, (_, i) => uuid(i, 2));
    const { result, minter } = resolve(
      sessionStart(csid(4), 'fork', {
        cwd: CWD,
        firstUuid: ORIGIN_UUIDS[0] ?? null,
        headUuids: ORIGIN_UUIDS.slice(0, 16),
        tailUuids: [...ORIGIN_UUIDS.slice(20, 26), ...own],
        lastUuid: own[5] ?? null,
        fingerprints: ORIGIN_FINGERPRINTS,
        firstPrompt: PROMPT,
      }),
      [originRecord()],
    );
    expectMinted(result, minter);
    expect(result.parent).toEqual({ stableId: ORIGIN, kind: 'fork' });
    expect(result).toMatchObject({
      source: 'transcript_lineage',
      confidence: 'high',
      matched: { relation: 'fork', matched_stable_id: ORIGIN, evidence: 'uuid' },
    });
  });

  it('/clear (SessionEnd clear, then SessionStart clear in the same process) → new stable id, parent kind clear', () => {
    const ended = originRecord({ end_reason: 'clear', ended_at: iso(-1_800) });
    const { result, minter } = resolve(
      sessionStart(csid(5), 'clear', {
        claudePid: 73_114,
        ...IN_ORIGIN_WORKTREE,
      }),
      [
        ended,
        makeRecord(stableId(9), { claude_session_ids: [csid(9)], created_at: iso(-3 * HOUR) }),
      ],
    );
    expectMinted(result, minter);
    expect(result.parent).toEqual({ stableId: ORIGIN, kind: 'clear' });
    expect(result).toMatchObject({
      source: 'clear_pairing',
      confidence: 'high',
      matched: { claude_pid: 73_114, ended_at: iso(-1_800), matched_stable_id: ORIGIN },
    });
  });
});

it('produces values the projection record types accept as they are (no mapping layer)', () => {
  const { result } = resolve({ claudeSessionId: csid(1), now: NOW }, [
    makeRecord(stableId(7), { claude_session_ids: [csid(1)] }),
    makeRecord(stableId(8), { claude_session_ids: [csid(1)] }),
  ]);
  const stored: ParentCandidate[] = result.parentCandidates;
  const audit: IdentityResolution = {
    source: result.source,
    confidence: result.confidence,
    matched: result.matched,
  };
  expect(stored.map((c) => c.stable_id)).toEqual([stableId(7), stableId(8)]);
  expect(audit.matched).toMatchObject({ ambiguous: true });
});
