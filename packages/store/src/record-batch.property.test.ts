/**
 * Property: random recording histories (starts, resumes, `/clear`s, ends, legacy copies sharing
 * transcript rows, the same prompt in unrelated sessions) recorded in batches of any size, cut by
 * any hold budget, give exactly what recording them one at a time gives: the same results (stable
 * ids, identity decisions, event ids), the same log bytes and the same index; and the live index
 * equals a rebuild of the log.
 */
import { join } from 'node:path';
import type { IdentityFacts } from '@sessions-db/identity';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { openStore } from './open-store.js';
import { storePathsIn } from './paths.js';
import { deterministicClock, hookRecord, recordOneAtATime } from './test-support/fixtures.js';
import { expectSameStores } from './test-support/snapshot.js';
import { tempDir } from './test-support/temp-dir.js';
import type { RecordResult, RecordStep, SessionsStore } from './types.js';

const PROMPTS = [
  'Add a retry budget to the payment webhook consumer for 5xx responses',
  'Rewrite the session token refresh so concurrent tabs never log the user out',
  'hi',
];
const SOURCES: IdentityFacts['source'][] = ['startup', 'resume', 'clear', 'compact'];
const REASONS = ['clear', 'logout', 'prompt_input_exit', 'import'];

interface Op {
  readonly end: boolean;
  readonly session: number;
  /** Transcript rows by number; a small pool, so different sessions share rows (legacy copies). */
  readonly rows: readonly number[] | null;
  readonly prompt: number;
  readonly pid: number;
  readonly source: number;
  readonly reason: number;
  readonly titled: boolean;
}

const op: fc.Arbitrary<Op> = fc.record({
  end: fc.boolean(),
  session: fc.nat(5),
  rows: fc.option(fc.array(fc.nat(9), { minLength: 1, maxLength: 4 }), { nil: null }),
  prompt: fc.nat(PROMPTS.length - 1),
  pid: fc.nat(2),
  source: fc.nat(SOURCES.length - 1),
  reason: fc.nat(REASONS.length - 1),
  titled: fc.boolean(),
});

/** Ops grouped into records (1–3 steps each), and the sizes of the batches they are sent in. */
const history = fc.record({
  records: fc.array(fc.array(op, { minLength: 1, maxLength: 3 }), {
    minLength: 1,
    maxLength: 14,
  }),
  batches: fc.array(fc.integer({ min: 1, max: 6 }), { minLength: 1, maxLength: 8 }),
  holdZero: fc.boolean(),
});

const hex = (n: number, width: number) => n.toString(16).padStart(width, '0');

function stepOf(o: Op, at: number): RecordStep {
  const csid = `7e57c0de-0000-4000-8000-${hex(o.session + 1, 12)}`;
  const rows = o.rows?.map((r) => `0a0b0c0d-0000-4000-8000-${hex(r + 1, 12)}`) ?? null;
  const prompt = PROMPTS[o.prompt] ?? 'hi';
  const { facts, payload } = hookRecord({
    claudeSessionId: csid,
    hookEvent: o.end ? 'SessionEnd' : 'SessionStart',
    source: SOURCES[o.source] ?? 'startup',
    rows,
    prompt,
    pid: 4000 + o.pid,
    version: '2.1.332',
    cwd: '/home/u/proj',
    now: at,
  });
  const titles = o.titled ? { aiTitle: `Title ${o.prompt}` } : undefined;
  const ts = new Date(at).toISOString();
  if (!o.end) {
    return {
      kind: 'seen',
      input: { facts, payload, ...(titles ? { titles } : {}) },
      options: { ts },
    };
  }
  return {
    kind: 'end',
    input: {
      facts,
      payload: {
        claude_session_id: csid,
        reason: REASONS[o.reason] ?? 'other',
        transcript_file: payload.transcript_file ?? null,
      },
      seenPayload: payload,
      ...(titles ? { titles } : {}),
    },
    options: { ts },
  };
}

function openAt(dir: string): SessionsStore {
  return openStore(storePathsIn(dir, 'arg'), { clock: deterministicClock('0197b000', 3) });
}

describe('batched recording (property)', () => {
  it('equals recording one at a time, and the live index equals a rebuild', () => {
    fc.assert(
      fc.property(history, ({ records: ops, batches, holdZero }) => {
        let at = Date.parse('2026-05-10T10:00:00.000Z');
        const records = ops.map((steps) => steps.map((o) => stepOf(o, (at += 60_000))));
        const root = tempDir('sdb-batch-prop-');

        const single = openAt(join(root, 'single'));
        const expected = recordOneAtATime(single, records);
        single.close();

        const batched = openAt(join(root, 'batched'));
        const results: RecordResult[][] = [];
        let rest = records;
        for (let i = 0; rest.length > 0; i += 1) {
          const size = batches[i % batches.length] ?? 1;
          const done = batched.recordSessions(
            rest.slice(0, size),
            holdZero ? { maxHoldMs: 0 } : {},
          );
          results.push(...done);
          rest = rest.slice(done.length);
        }
        batched.close();

        expect(results).toEqual(expected);
        expectSameStores(root, 'batched', 'single');
      }),
      { numRuns: 30 },
    );
  });
});
