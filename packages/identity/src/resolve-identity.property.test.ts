/** Properties of `resolveIdentity` over generated stores and facts (fast-check). */
import type { SessionRecord } from '@sessions-db/projection';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { computeFingerprints, firstHumanPromptV1 } from './fingerprints.js';
import { createMemoryIdentityIndex } from './memory-identity-index.js';
import { MAX_PARENT_CANDIDATES } from './parent-candidates.js';
import { resolveIdentity } from './resolve-identity.js';
import {
  HOUR,
  NOW,
  createMinter,
  csid,
  iso,
  makeRecord,
  promptFacts,
  recordResolution,
  stableId,
  transcriptFile,
  uuid,
} from './test-support/records.js';
import { resolveAgainst } from './test-support/resolve.js';
import type { IdentityFacts, IdentityStartSource } from './types.js';

// Small pools so generated records and facts collide often.
const CSIDS = [1, 2, 3, 4, 5, 6].map(csid);
const UUIDS = Array.from({ length: 12 }, (_, i) => uuid(i, 0x50));
const PROMPTS = [
  'continue',
  'fix the tests',
  'Add a retry budget to the payment webhook consumer for 5xx responses',
];
const PROMPT_FPS = PROMPTS.map((prompt) => firstHumanPromptV1(prompt));
const LINEAGE_FPS = ['0123456789abcdef', 'fedcba9876543210'];
const CWDS = ['/home/dev/src/api', '/home/dev/src/api/packages/web'];
const BRANCHES = ['main', 'feat/retries'];
const PIDS = [4_100, 4_200];
const SOURCES: IdentityStartSource[] = ['startup', 'resume', 'clear', 'compact', 'fork', 'import'];
const GENERIC = [
  'hi',
  'continue',
  'fix the tests',
  'run the tests',
  'go on',
  'please continue',
  'ok',
];

const pick = <T>(values: readonly T[]) => fc.constantFrom(...values);
const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: null });

const recordFields = fc.record({
  csids: fc.subarray(CSIDS, { maxLength: 2 }),
  file: maybe(
    fc.record({
      first: pick(UUIDS),
      last: pick(UUIDS),
      firstParent: maybe(pick(UUIDS)),
      tail: fc.subarray(UUIDS, { maxLength: 3 }),
    }),
  ),
  promptFp: maybe(pick(PROMPT_FPS)),
  lineageFp: maybe(pick(LINEAGE_FPS)),
  cwd: maybe(pick(CWDS)),
  branch: maybe(pick(BRANCHES)),
  progressOffset: fc.integer({ min: -100 * HOUR, max: HOUR }),
  end: maybe(
    fc.record({
      reason: pick(['clear', 'other']),
      pid: pick(PIDS),
      offset: fc.integer({ min: -30_000, max: 5_000 }),
    }),
  ),
});

const store = fc
  .uniqueArray(fc.integer({ min: 1, max: 60 }), { maxLength: 10 })
  .chain((ids) => fc.tuple(...ids.map((id) => recordFields.map((fields) => ({ id, fields })))))
  .map((rows) =>
    rows.map(({ id, fields }): SessionRecord =>
      makeRecord(stableId(id), {
        claude_session_ids: fields.csids,
        transcript_files:
          fields.file === null
            ? []
            : [
                transcriptFile(`/t/${id}.jsonl`, fields.file.first, fields.file.last, {
                  first_parent_uuid: fields.file.firstParent,
                  tail_uuids: fields.file.tail,
                }),
              ],
        fingerprints: {
          first_human_prompt_v1: fields.promptFp,
          lineage_prefix_v1: fields.lineageFp,
        },
        ...(fields.cwd === null ? {} : { cwd: fields.cwd }),
        worktree_realpath: fields.cwd,
        branch_at_start: fields.branch,
        last_progress_at: iso(fields.progressOffset),
        created_at: iso(fields.progressOffset - HOUR),
        ...(fields.end === null
          ? {}
          : {
              end_reason: fields.end.reason,
              claude_pid: fields.end.pid,
              ended_at: iso(fields.end.offset),
            }),
      }),
    ),
  );

const factsArb: fc.Arbitrary<IdentityFacts> = fc
  .record({
    claudeSessionId: pick([...CSIDS, csid(99)]),
    source: maybe(pick(SOURCES)),
    claudePid: maybe(pick(PIDS)),
    cwd: maybe(pick(CWDS)),
    branch: maybe(pick(BRANCHES)),
    firstUuid: maybe(pick(UUIDS)),
    firstParentUuid: maybe(pick(UUIDS)),
    lastUuid: maybe(pick(UUIDS)),
    headUuids: fc.subarray(UUIDS, { maxLength: 3 }),
    tailUuids: fc.subarray(UUIDS, { maxLength: 3 }),
    forkedFrom: maybe(fc.record({ sessionId: pick(CSIDS), messageUuid: maybe(pick(UUIDS)) })),
    prompt: maybe(fc.nat({ max: PROMPTS.length - 1 })),
    lineageFp: maybe(pick(LINEAGE_FPS)),
  })
  .map(({ prompt, lineageFp, cwd, ...rest }) => ({
    ...rest,
    now: NOW,
    cwd,
    worktreeRealpath: cwd,
    fingerprints: {
      first_human_prompt_v1: prompt === null ? null : (PROMPT_FPS[prompt] ?? null),
      lineage_prefix_v1: lineageFp,
    },
    firstPrompt: prompt === null ? null : (PROMPTS[prompt] ?? null),
  }));

const shuffled = <T>(values: readonly T[]) =>
  fc.shuffledSubarray([...values], { minLength: values.length, maxLength: values.length });

const resolveWith = resolveAgainst;

describe('resolveIdentity properties', () => {
  it('is deterministic for the same facts, whatever order the sessions were indexed in', () => {
    fc.assert(
      fc.property(
        store.chain((records) => fc.tuple(fc.constant(records), shuffled(records))),
        factsArb,
        ([records, reordered], facts) => {
          expect(resolveWith(facts, reordered).result).toEqual(resolveWith(facts, records).result);
        },
      ),
      { numRuns: 400 },
    );
  });

  it('a unique exact claude session id hit wins over everything else', () => {
    fc.assert(
      fc.property(store, factsArb, (records, facts) => {
        const holders = records.filter((r) => r.claude_session_ids.includes(facts.claudeSessionId));
        fc.pre(holders.length === 1);
        const { result, minter } = resolveWith(facts, records);
        expect(result).toMatchObject({
          stableId: holders[0]?.stable_id,
          source: 'claude_session_id_index',
          confidence: 'exact',
          minted: false,
        });
        expect(minter.calls).toBe(0);
      }),
      { numRuns: 300 },
    );
  });

  it('calls mintStableId iff the result is minted, and uses its value only then', () => {
    fc.assert(
      fc.property(store, factsArb, (records, facts) => {
        const { result, minter } = resolveWith(facts, records);
        const known = new Set(records.map((r) => r.stable_id));
        if (result.minted) {
          expect(minter.calls).toBe(1);
          expect(result.stableId).toBe(minter.minted[0]);
        } else {
          expect(minter.calls).toBe(0);
          expect(known.has(result.stableId)).toBe(true);
          expect(result.parent).toBeUndefined();
        }
        if (result.parent !== undefined) {
          expect(known.has(result.parent.stableId)).toBe(true);
          expect(result.parent.stableId).not.toBe(result.stableId);
        }
      }),
      { numRuns: 400 },
    );
  });

  it('never exceeds 10 candidates, counts the omitted ones consistently, never lists itself', () => {
    fc.assert(
      fc.property(store, factsArb, (records, facts) => {
        const { result } = resolveWith(facts, records);
        const ids = result.parentCandidates.map((c) => c.stable_id);
        expect(ids.length).toBeLessThanOrEqual(MAX_PARENT_CANDIDATES);
        expect(new Set(ids).size).toBe(ids.length);
        expect(ids).not.toContain(result.stableId);
        expect(result.parentCandidatesOmittedCount).toBeGreaterThanOrEqual(0);
        if (result.parentCandidatesOmittedCount > 0)
          expect(ids).toHaveLength(MAX_PARENT_CANDIDATES);
        expect(ids.length + result.parentCandidatesOmittedCount).toBeLessThanOrEqual(
          records.length,
        );
      }),
      { numRuns: 400 },
    );
  });

  it('never merges two unrelated generated sessions that open with a generic prompt', () => {
    const session = fc.record({
      prompt: pick(GENERIC),
      cwd: pick(CWDS),
      branch: pick(BRANCHES),
      source: pick<IdentityStartSource>(['startup', 'resume', 'compact', 'import']),
      gapMs: fc.integer({ min: 0, max: 3 * HOUR }),
    });
    fc.assert(
      fc.property(fc.array(session, { minLength: 2, maxLength: 25 }), (sessions) => {
        const records = new Map<string, SessionRecord>();
        const minter = createMinter();
        let now = NOW;
        const ids = sessions.map((s, n) => {
          now += s.gapMs;
          const facts = promptFacts(n, s.prompt, {
            now,
            source: s.source,
            cwd: s.cwd,
            worktreeRealpath: s.cwd,
            branch: s.branch,
            headUuids: [uuid(n, 0xf1)],
            fingerprints: computeFingerprints({
              sanitizedPrompt: s.prompt,
              firstUuid: uuid(n, 0xf1),
            }),
          });
          const result = resolveIdentity(facts, createMemoryIdentityIndex(records.values()), {
            mintStableId: minter.mint,
          });
          return recordResolution(records, facts, result);
        });
        expect(new Set(ids).size).toBe(sessions.length);
      }),
      { numRuns: 150 },
    );
  });
});
