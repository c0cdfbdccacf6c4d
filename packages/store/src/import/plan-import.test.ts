import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { TranscriptMeta } from '@sessions-db/git-transcript';
import { countImport, planImport, planImportInOrder } from './plan-import.js';
import type { PlannedTranscript } from './plan-import.js';
import type {
  KeyedHistory,
  KnownSession,
  ScannedHistory,
  ScannedTranscript,
} from './scan-history.js';

const NOW = Date.parse('2026-04-01T12:00:00.000Z');
const A = '11111111-1111-4111-8111-111111111111';
const B = '22222222-2222-4222-8222-222222222222';
const C = '33333333-3333-4333-8333-333333333333';

function meta(path: string, fields: Partial<TranscriptMeta> = {}): TranscriptMeta {
  return {
    status: 'ok',
    path,
    sessionId: null,
    firstUuid: 'u-1',
    firstParentUuid: null,
    lastUuid: 'u-2',
    headUuids: [],
    tailUuids: [],
    compactBoundaries: [],
    leafUuids: [],
    forkedFrom: null,
    clearedFrom: null,
    firstHumanPromptRaw: 'hello',
    firstTimestamp: '2026-03-01T10:00:00.000Z',
    lastTimestamp: '2026-03-01T11:00:00.000Z',
    cwd: '/home/dev/shop',
    gitBranch: null,
    aiTitle: null,
    customTitle: null,
    prLinks: [],
    version: null,
    size: 100,
    mtime: '2026-03-01T11:00:00.000Z',
    bytesRead: 100,
    ...fields,
  };
}

function transcript(
  sessionId: string,
  fields: Partial<TranscriptMeta> | null = {},
  size = 100,
): ScannedTranscript {
  const path = `/history/-home-dev-shop/${sessionId}.jsonl`;
  return {
    file: {
      path,
      sessionId,
      projectDir: '/history/-home-dev-shop',
      size,
      mtimeMs: Date.parse('2026-03-02T00:00:00.000Z'),
    },
    meta: fields === null ? null : meta(path, { sessionId, ...fields }),
  };
}

function history(
  transcripts: ScannedTranscript[],
  known: [string, KnownSession][] = [],
  subagents: [string, number][] = [],
): ScannedHistory {
  return {
    transcripts,
    known: new Map(known),
    subagentsBySession: new Map(subagents),
    subagentTotal: subagents.reduce((sum, [, n]) => sum + n, 0),
    listingErrors: [],
  };
}

const ids = (planned: readonly PlannedTranscript[]): string[] =>
  planned.map((entry) => entry.base.claude_session_id);

describe('planImport', () => {
  it('orders oldest first by first timestamp, an undated transcript by its mtime', () => {
    const plan = planImport(
      history([
        transcript(A, { firstTimestamp: '2026-03-05T00:00:00.000Z' }),
        transcript(B, { firstTimestamp: null, lastTimestamp: null }),
        transcript(C, { firstTimestamp: '2026-02-01T00:00:00.000Z' }),
      ]),
      { dryRun: false, now: NOW },
    );
    expect(ids(plan.transcripts)).toEqual([C, B, A]);
    expect(plan.sweep).toBe(true);
  });

  it('puts an origin before the copies that tie with it (fork marker, legacy resume copy)', () => {
    const plan = planImport(
      history([
        transcript(A, { forkedFrom: { sessionId: C, messageUuid: null } }),
        transcript(B, { sessionId: C }),
        transcript(C),
      ]),
      { dryRun: false, now: NOW },
    );
    expect(ids(plan.transcripts)).toEqual([C, A, B]);
  });

  it('records with a seen step at the first timestamp and an end step at a later last one', () => {
    const plan = planImport(history([transcript(A), transcript(B, { lastTimestamp: null })]), {
      dryRun: false,
      now: NOW,
    });
    expect(plan.transcripts.map((entry) => entry.action)).toEqual([
      {
        kind: 'record',
        transcript: plan.transcripts[0]?.scanned.meta,
        factsNow: Date.parse('2026-03-01T10:00:00.000Z'),
        steps: [
          { kind: 'seen', ts: '2026-03-01T10:00:00.000Z', titles: false },
          { kind: 'end', ts: '2026-03-01T11:00:00.000Z' },
        ],
      },
      {
        kind: 'record',
        transcript: plan.transcripts[1]?.scanned.meta,
        factsNow: Date.parse('2026-03-01T10:00:00.000Z'),
        steps: [{ kind: 'seen', ts: '2026-03-01T10:00:00.000Z', titles: true }],
      },
    ]);
  });

  it('dates a transcript without timestamps by its file time, its facts by the import time', () => {
    const plan = planImport(
      history([transcript(A, { firstTimestamp: null, lastTimestamp: null })]),
      { dryRun: false, now: NOW },
    );
    expect(plan.transcripts[0]?.action).toMatchObject({
      kind: 'record',
      factsNow: NOW,
      steps: [{ kind: 'seen', ts: '2026-03-01T11:00:00.000Z', titles: true }],
    });
  });

  it('skips with a reason: older than --since, empty, unreadable, no conversation records', () => {
    const plan = planImport(
      history([
        transcript(A, { lastTimestamp: '2026-01-01T00:00:00.000Z' }),
        transcript(B, null, 0),
        transcript(C, { status: 'corrupted', reason: 'no parsable record' }),
        transcript('44444444-4444-4444-8444-444444444444', {
          firstUuid: null,
          firstHumanPromptRaw: null,
        }),
      ]),
      { dryRun: false, now: NOW, since: '2026-02-15T00:00:00.000Z' },
    );
    expect(plan.transcripts.map((entry) => entry.action)).toEqual([
      { kind: 'skip', reason: 'older than --since' },
      { kind: 'skip', reason: 'unreadable transcript (no parsable record)' },
      { kind: 'skip', reason: 'no conversation records' },
      { kind: 'skip', reason: 'empty transcript' },
    ]);
  });

  it('leaves a transcript the store holds with the same path and size; previews the rest on a dry run', () => {
    const unchanged = transcript(A);
    const grown = transcript(B, {}, 500);
    const plan = planImport(
      history(
        [unchanged, grown, transcript(C)],
        [
          [
            A,
            {
              stableId: 'S-A',
              transcripts: [{ path: unchanged.file.path, size: 100 }],
              missingHead: false,
            },
          ],
          [
            B,
            {
              stableId: 'S-B',
              transcripts: [{ path: grown.file.path, size: 100 }],
              missingHead: false,
            },
          ],
        ],
      ),
      { dryRun: true, now: NOW },
    );
    expect(plan.sweep).toBe(false);
    expect(plan.transcripts.map((entry) => entry.action)).toEqual([
      { kind: 'unchanged', stableId: 'S-A' },
      { kind: 'preview', status: 'updated' },
      { kind: 'preview', status: 'new' },
    ]);
  });

  it('records again, once, an unchanged transcript whose session was recorded without its head', () => {
    const headless = transcript(A, { firstHumanPromptRaw: 'fix the flaky checkout test' });
    const noPrompt = transcript(B, { firstHumanPromptRaw: null });
    const known = (path: string): KnownSession => ({
      stableId: 'S',
      transcripts: [{ path, size: 100 }],
      missingHead: true,
    });
    const plan = planImport(
      history(
        [headless, noPrompt],
        [
          [A, known(headless.file.path)],
          [B, known(noPrompt.file.path)],
        ],
      ),
      { dryRun: false, now: NOW },
    );
    expect(plan.transcripts.map((entry) => entry.action.kind)).toEqual(['record', 'unchanged']);
  });

  it('counts subagents under listed sessions only, and totals the lines', () => {
    const plan = planImport(
      history(
        [transcript(A)],
        [],
        [
          [A, 2],
          ['', 1],
          [B, 3],
        ],
      ),
      {
        dryRun: false,
        now: NOW,
      },
    );
    expect(plan.transcripts[0]?.base.subagents).toBe(2);
    const line = plan.transcripts[0]?.base;
    if (line === undefined) throw new Error('no line');
    const { counts, skippedByReason } = countImport(plan, [
      { ...line, status: 'new', parent: { stable_id: 'S-P', kind: 'fork' } },
    ]);
    expect(counts).toEqual({
      transcripts_scanned: 1,
      sessions_new: 1,
      resumes_linked: 0,
      forks_linked: 1,
      sessions_updated: 0,
      already_known: 0,
      subagent_transcripts: 2,
      subagents_without_parent: 4,
      skipped: 0,
    });
    expect(skippedByReason).toEqual({});
  });

  it('plans every transcript exactly once, in an order that does not depend on the listing order', () => {
    const day = fc.integer({ min: 1, max: 4 }).map((d) => `2026-03-0${d}T00:00:00.000Z`);
    const entry = fc.record({
      id: fc.uuid(),
      first: fc.option(day),
      copy: fc.boolean(),
    });
    fc.assert(
      fc.property(fc.uniqueArray(entry, { selector: (e) => e.id, maxLength: 8 }), (entries) => {
        const scanned = entries.map((e) =>
          transcript(e.id, {
            firstTimestamp: e.first,
            ...(e.copy ? { sessionId: A } : {}),
          }),
        );
        const forward = planImport(history(scanned), { dryRun: false, now: NOW });
        const backward = planImport(history([...scanned].reverse()), { dryRun: false, now: NOW });
        expect(ids(backward.transcripts)).toEqual(ids(forward.transcripts));
        expect([...ids(forward.transcripts)].sort()).toEqual(entries.map((e) => e.id).sort());
        const keys = forward.transcripts.map(
          (t) => t.scanned.meta?.firstTimestamp ?? '2026-03-02T00:00:00.000Z',
        );
        expect([...keys].sort()).toEqual(keys);
        const isCopy = (t: PlannedTranscript | undefined): boolean =>
          t?.scanned.meta?.sessionId !== t?.scanned.file.sessionId;
        forward.transcripts.forEach((t, i) => {
          const next = forward.transcripts[i + 1];
          if (next !== undefined && keys[i] === keys[i + 1])
            expect(isCopy(t) && !isCopy(next)).toBe(false);
        });
      }),
    );
  });

  it('decides the same plan, in the same order, when each transcript is read only as the plan reaches it', () => {
    const day = fc.integer({ min: 1, max: 4 }).map((d) => `2026-03-0${d}T00:00:00.000Z`);
    const entry = fc.record({
      id: fc.uuid(),
      first: fc.option(day),
      last: fc.option(day),
      copy: fc.constantFrom('no', 'resume', 'fork'),
      empty: fc.boolean(),
      known: fc.constantFrom('no', 'unchanged', 'grown'),
      // Its first bytes could not tell: read whole before the order.
      readFirst: fc.boolean(),
    });
    fc.assert(
      fc.property(
        fc.uniqueArray(entry, { selector: (e) => e.id, maxLength: 10 }),
        fc.option(day),
        fc.boolean(),
        (entries, since, dryRun) => {
          const scanned = entries.map((e) =>
            transcript(
              e.id,
              e.empty
                ? null
                : {
                    firstTimestamp: e.first,
                    lastTimestamp: e.last,
                    ...(e.copy === 'resume' ? { sessionId: A } : {}),
                    ...(e.copy === 'fork'
                      ? { forkedFrom: { sessionId: B, messageUuid: null } }
                      : {}),
                  },
              e.empty ? 0 : 100,
            ),
          );
          const known: [string, KnownSession][] = entries
            .filter((e) => e.known !== 'no')
            .map((e) => [
              e.id,
              {
                stableId: `sess_${e.id}`,
                missingHead: false,
                transcripts: [
                  {
                    path: `/history/-home-dev-shop/${e.id}.jsonl`,
                    size: e.known === 'unchanged' ? 100 : 50,
                  },
                ],
              },
            ]);
          const subagents: [string, number][] = entries.slice(0, 2).map((e) => [e.id, 2]);
          const whole = history(scanned, known, [...subagents, ['', 1]]);
          const reads: string[] = [];
          const keyed: KeyedHistory = {
            known: whole.known,
            subagentsBySession: whole.subagentsBySession,
            subagentTotal: whole.subagentTotal,
            listingErrors: [],
            keyed: scanned.map((t, i) =>
              entries[i]?.readFirst === true || t.meta === null
                ? { file: t.file, firstTimestamp: t.meta?.firstTimestamp ?? null, meta: t.meta }
                : { file: t.file, firstTimestamp: t.meta.firstTimestamp },
            ),
            readInOrder(order) {
              return {
                meta(position) {
                  const at = order[position];
                  if (at === undefined) throw new RangeError('no such position');
                  if (at.meta !== undefined) return at.meta;
                  reads.push(at.file.sessionId);
                  return scanned.find((t) => t.file === at.file)?.meta ?? null;
                },
                close: () => undefined,
              };
            },
          };
          const input = { since: since ?? undefined, dryRun, now: NOW };
          const expected = planImport(whole, input);
          const stream = planImportInOrder(keyed, input);
          const planned: PlannedTranscript[] = [];
          for (let next = stream.next(); next !== undefined; next = stream.next())
            planned.push(next);
          expect(planned).toEqual(expected.transcripts);
          expect(stream.total).toBe(expected.transcripts.length);
          expect(stream.subagentTranscripts).toBe(expected.subagentTranscripts);
          expect(stream.subagentsWithoutParent).toBe(expected.subagentsWithoutParent);
          expect(stream.sweep).toBe(expected.sweep);
          // Each transcript read once.
          expect(new Set(reads).size).toBe(reads.length);
        },
      ),
      { numRuns: 300 },
    );
  });
});
