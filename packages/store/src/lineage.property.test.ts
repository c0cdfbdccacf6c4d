/**
 * Store-level properties over random interleavings of what Claude Code does (fast-check): new
 * sessions, same-id resumes, legacy copy-resumes, forks (their file present at start or written
 * later), `/clear`, in any order and with the same specific prompt typed in unrelated sessions.
 *
 * - No false merge, no split: every logical session ends under exactly one stable id, and two
 *   logical sessions never share one (docs/identity.md).
 * - Typed lineage: every fork and clear child has its origin as parent, with its kind.
 * - One truth: the live index, a `rebuild`, and the pure fold of the log give the same sessions.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseLog } from '@sessions-db/event-log';
import type { IdentityFacts } from '@sessions-db/identity';
import { foldEvents, serializeProjection } from '@sessions-db/projection';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { openStore } from './open-store.js';
import { storePathsIn } from './paths.js';
import { hookRecord } from './test-support/fixtures.js';
import { tempDir } from './test-support/temp-dir.js';
import { snapshotIndex } from './test-support/snapshot.js';
import type { SessionsStore } from './types.js';

/** What happens next, relative to the logical sessions that exist so far. */
type Step =
  | { readonly kind: 'startup'; readonly prompt: number; readonly lazy: boolean }
  | { readonly kind: 'resume'; readonly target: number }
  | { readonly kind: 'legacy-resume'; readonly target: number }
  | { readonly kind: 'fork'; readonly target: number; readonly lazy: boolean }
  | { readonly kind: 'clear'; readonly target: number; readonly prompt: number };

// A specific prompt (fingerprint merges would be allowed by its words) typed in unrelated sessions.
const PROMPTS = [
  'Add a retry budget to the payment webhook consumer for 5xx responses',
  'Rewrite the session token refresh so concurrent tabs never log the user out',
];

const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({
    kind: fc.constant('startup' as const),
    prompt: fc.nat(PROMPTS.length - 1),
    lazy: fc.boolean(),
  }),
  fc.record({ kind: fc.constant('resume' as const), target: fc.nat(20) }),
  fc.record({ kind: fc.constant('legacy-resume' as const), target: fc.nat(20) }),
  fc.record({ kind: fc.constant('fork' as const), target: fc.nat(20), lazy: fc.boolean() }),
  fc.record({
    kind: fc.constant('clear' as const),
    target: fc.nat(20),
    prompt: fc.nat(PROMPTS.length - 1),
  }),
);

/** One logical session of the model: its Claude session ids and the rows of its transcript. */
interface Logical {
  readonly csids: string[];
  rows: string[];
  /** The Claude process it runs in now (a resume starts a new one). */
  pid: number;
  readonly prompt: string;
  readonly parent: { readonly index: number; readonly kind: 'fork' | 'clear' } | null;
}

const CWD = '/home/u/proj';

function hex(n: number, width: number): string {
  return n.toString(16).padStart(width, '0');
}

/** Run a scenario against a store on disk; returns the model and the store's paths. */
function play(steps: readonly Step[]) {
  const dir = tempDir('sdb-lineage-prop-');
  const paths = storePathsIn(join(dir, 'store'), 'arg');
  let clock = Date.parse('2026-05-10T09:00:00.000Z');
  let ids = 0;
  const store = openStore(paths, {
    clock: {
      now: () => clock,
      newSessionId: () => `sess_0197${hex(++ids, 8)}-0000-7000-8000-000000000000`,
    },
  });
  const logical: Logical[] = [];
  let csidCounter = 0;
  let rowCounter = 0;
  const newCsid = (): string => `7e57c0de-0000-4000-8000-${hex(++csidCounter, 12)}`;
  const newRows = (n: number): string[] =>
    Array.from({ length: n }, () => `0a0b0c0d-0000-4000-8000-${hex(++rowCounter, 12)}`);

  /** Facts and payload of one hook run of `csid` whose transcript holds `rows` (null: no file yet). */
  const facts = (
    csid: string,
    hookEvent: 'SessionStart' | 'SessionEnd',
    source: IdentityFacts['source'] | undefined,
    rows: readonly string[] | null,
    prompt: string,
    pid: number,
    version: string,
  ) =>
    hookRecord({
      claudeSessionId: csid,
      hookEvent,
      source,
      rows,
      prompt,
      pid,
      version,
      cwd: CWD,
      now: clock,
    });

  const must = (result: { ok: boolean }, what: string): void => {
    if (!result.ok) throw new Error(`${what} failed: ${JSON.stringify(result)}`);
  };
  const start = (
    csid: string,
    source: IdentityFacts['source'],
    rows: readonly string[] | null,
    prompt: string,
    pid: number,
    version = '2.1.332',
  ): void => {
    clock += 1000;
    const run = facts(csid, 'SessionStart', source, rows, prompt, pid, version);
    must(store.recordSessionSeen({ facts: run.facts, payload: run.payload }), `start ${csid}`);
  };
  const end = (
    csid: string,
    rows: readonly string[],
    prompt: string,
    pid: number,
    reason: string,
    version = '2.1.332',
  ): void => {
    clock += 1000;
    const run = facts(csid, 'SessionEnd', null, rows, prompt, pid, version);
    must(
      store.recordSessionEnd({
        facts: run.facts,
        payload: {
          claude_session_id: csid,
          reason,
          transcript_file: run.payload.transcript_file ?? null,
        },
        seenPayload: run.payload,
      }),
      `end ${csid}`,
    );
  };

  /** The logical session each Claude process shows now (a `/clear` replaces it). */
  const current = new Map<number, number>();
  let pids = 5000;
  for (const s of steps) {
    const picked =
      logical.length === 0 ? null : logical[('target' in s ? s.target : 0) % logical.length]!;
    // Only the session a process shows can be cleared: after a /clear that is the new one.
    const targetIndex =
      picked === null
        ? -1
        : s.kind === 'clear'
          ? (current.get(picked.pid) ?? logical.indexOf(picked))
          : logical.indexOf(picked);
    const target = targetIndex < 0 ? null : logical[targetIndex]!;
    if (s.kind === 'startup' || target === null) {
      const prompt = PROMPTS['prompt' in s ? s.prompt : 0]!;
      const l: Logical = {
        csids: [newCsid()],
        rows: newRows(3),
        pid: ++pids,
        prompt,
        parent: null,
      };
      logical.push(l);
      current.set(l.pid, logical.length - 1);
      start(l.csids[0]!, 'startup', s.kind === 'startup' && s.lazy ? null : l.rows, prompt, l.pid);
      end(l.csids[0]!, l.rows, prompt, l.pid, 'other');
    } else if (s.kind === 'resume') {
      const csid = target.csids[target.csids.length - 1]!;
      target.pid = ++pids;
      current.set(target.pid, targetIndex);
      target.rows = [...target.rows, ...newRows(2)];
      start(csid, 'resume', target.rows, target.prompt, target.pid);
      end(csid, target.rows, target.prompt, target.pid, 'other');
    } else if (s.kind === 'legacy-resume') {
      // A client before 1.0.124 copied the history into a new id: the same logical session.
      const csid = newCsid();
      target.csids.push(csid);
      target.pid = ++pids;
      current.set(target.pid, targetIndex);
      target.rows = [...target.rows, ...newRows(2)];
      start(csid, 'resume', target.rows, target.prompt, target.pid, '1.0.100');
      end(csid, target.rows, target.prompt, target.pid, 'other', '1.0.100');
    } else if (s.kind === 'fork') {
      const l: Logical = {
        csids: [newCsid()],
        rows: [...target.rows, ...newRows(2)],
        pid: ++pids,
        prompt: target.prompt,
        parent: { index: targetIndex, kind: 'fork' },
      };
      logical.push(l);
      current.set(l.pid, logical.length - 1);
      start(l.csids[0]!, 'fork', s.lazy ? null : l.rows, l.prompt, l.pid);
      end(l.csids[0]!, l.rows, l.prompt, l.pid, 'other');
    } else {
      // `/clear`: the old session ends (reason clear), a new one starts in the same process.
      const csid = target.csids[target.csids.length - 1]!;
      end(csid, target.rows, target.prompt, target.pid, 'clear');
      const prompt = PROMPTS[s.prompt]!;
      const l: Logical = {
        csids: [newCsid()],
        rows: newRows(2),
        pid: target.pid,
        prompt,
        parent: { index: targetIndex, kind: 'clear' },
      };
      logical.push(l);
      current.set(l.pid, logical.length - 1);
      start(l.csids[0]!, 'clear', null, prompt, l.pid);
      end(l.csids[0]!, l.rows, prompt, l.pid, 'other');
    }
  }
  return { store, logical, paths };
}

function stableIdsOf(store: SessionsStore, l: Logical): Set<string> {
  return new Set(
    l.csids.map((csid) => {
      const found = store.getSession(csid);
      if (!found.ok) throw new Error(`${csid} not recorded`);
      return found.session.stable_id;
    }),
  );
}

describe('the store over random interleavings of Claude Code sessions', () => {
  it('never merges two logical sessions, never splits one, and links every fork and clear to its origin', () => {
    fc.assert(
      fc.property(fc.array(step, { minLength: 1, maxLength: 12 }), (steps) => {
        const { store, logical } = play(steps);
        try {
          const owners = logical.map((l) => stableIdsOf(store, l));
          for (const ids of owners) expect(ids.size).toBe(1);
          const stable = owners.map((ids) => [...ids][0]!);
          expect(new Set(stable).size).toBe(logical.length);
          expect(store.findSessions({ limit: null })).toHaveLength(logical.length);
          logical.forEach((l, i) => {
            const found = store.getSession(stable[i]!);
            if (!found.ok) throw new Error('missing');
            if (l.parent === null) {
              expect(found.session.parent_session_id).toBeNull();
            } else {
              expect(found.session.parent_session_id).toBe(stable[l.parent.index]);
              expect(found.session.parent_kind).toBe(l.parent.kind);
            }
            expect(found.session.first_prompt_preview).toBe(l.prompt);
          });
        } finally {
          store.close();
        }
      }),
      { numRuns: 40 },
    );
  });

  it('gives the same sessions through the live index, a rebuild and the pure fold of the log', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 10 }), async (steps) => {
        const { store, paths } = play(steps);
        try {
          const live = snapshotIndex(paths.indexPath);
          const log = readFileSync(paths.eventsPath, 'utf8');
          const chunks: string[] = [];
          await store.exportProjection({
            write: (c: string) => (chunks.push(c), true),
            once: () => undefined,
          } as unknown as NodeJS.WritableStream);
          const pure = serializeProjection(foldEvents(parseLog(log).events).projection);
          const unstamped = (text: string): string => text.replace(/"updated": "[^"]*"/, '');
          expect(unstamped(chunks.join(''))).toBe(unstamped(pure));
          expect(await store.rebuild({ writeProjectionJson: false })).toMatchObject({ ok: true });
          expect(snapshotIndex(paths.indexPath)).toEqual(live);
        } finally {
          store.close();
        }
      }),
      { numRuns: 15 },
    );
  });
});
