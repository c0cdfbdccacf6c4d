/**
 * A fork recorded before its transcript existed (SessionStart `fork` in current Claude Code) gets
 * its parent once the file can be read. Topology: O (uuids o0…o9); F, the fork, minted at start
 * with no transcript; its file, read at SessionEnd, starts with O's rows o0…o5, then f0…f3.
 */
import type { SessionRecord } from '@sessions-db/projection';
import { describe, expect, it } from 'vitest';
import { resolveLateParent } from './late-parent.js';
import { createMemoryIdentityIndex } from './memory-identity-index.js';
import { NOW, csid, makeRecord, stableId, transcriptFile, uuid } from './test-support/records.js';
import type { IdentityFacts } from './types.js';

const o = (i: number): string => uuid(i, 1);
const f = (i: number): string => uuid(i, 2);
const O = stableId(1);
const F = stableId(2);
const CWD = '/home/dev/src/ledger';

const origin = makeRecord(O, {
  claude_session_ids: [csid(1)],
  cwd: CWD,
  transcript_files: [
    transcriptFile(`/p/${csid(1)}.jsonl`, o(0), o(9), { tail_uuids: [o(8), o(9)] }),
  ],
});
const mintedFork = makeRecord(F, { claude_session_ids: [csid(2)], cwd: CWD });

/** The fork's facts at SessionEnd, its file written by a client of `version`. */
function endFacts(version: string, overrides: Partial<IdentityFacts> = {}): IdentityFacts {
  return {
    claudeSessionId: csid(2),
    now: NOW,
    hookEvent: 'SessionEnd',
    source: null,
    cwd: CWD,
    firstUuid: o(0),
    lastUuid: f(3),
    headUuids: [o(0), o(1), o(2), o(3), o(4), o(5), f(0), f(1)],
    tailUuids: [f(2), f(3)],
    transcriptVersion: version,
    ...overrides,
  };
}

function late(facts: IdentityFacts, records: readonly SessionRecord[]) {
  return resolveLateParent(facts, createMemoryIdentityIndex([...records]), { stableId: F });
}

describe('resolveLateParent', () => {
  it('finds the origin of a fork whose copied rows come from a client that copies only on fork', () => {
    expect(late(endFacts('2.1.332'), [origin, mintedFork])).toEqual({ stableId: O, kind: 'fork' });
  });

  it('follows a forkedFrom marker', () => {
    const facts = endFacts('2.1.332', {
      headUuids: [f(0)],
      firstUuid: f(0),
      forkedFrom: { sessionId: csid(1), messageUuid: o(5) },
    });
    expect(late(facts, [origin, mintedFork])).toEqual({ stableId: O, kind: 'fork' });
  });

  it('never gives a parent for rows an old client copied on resume (that would be a merge)', () => {
    expect(late(endFacts('1.0.100'), [origin, mintedFork])).toBeNull();
  });

  it('ignores the session itself: its own recorded copy of the rows is no origin', () => {
    const selfWithRows = makeRecord(F, {
      claude_session_ids: [csid(2)],
      cwd: CWD,
      transcript_files: [transcriptFile(`/p/${csid(2)}.jsonl`, o(0), f(3))],
    });
    expect(late(endFacts('2.1.332'), [selfWithRows])).toBeNull();
    expect(late(endFacts('2.1.332'), [origin, selfWithRows])).toEqual({
      stableId: O,
      kind: 'fork',
    });
  });

  it('gives nothing when no other session holds the rows, and never by fingerprint', () => {
    const alone = endFacts('2.1.332', { firstUuid: f(0), headUuids: [f(0), f(1)] });
    expect(late(alone, [origin, mintedFork])).toBeNull();
  });

  it('links a /clear child minted without its pair by the pre-clear id its rows carry (kind clear)', () => {
    // F's own rows (f0…f3) share nothing with O; they name O's Claude session id in `session_id`.
    const cleared = endFacts('2.1.332', {
      firstUuid: f(0),
      headUuids: [f(0), f(1)],
      clearedFrom: csid(1),
    });
    expect(late(cleared, [origin, mintedFork])).toEqual({ stableId: O, kind: 'clear' });
    // The id of a session the store does not know, or the session's own id, gives nothing.
    expect(late({ ...cleared, clearedFrom: csid(9) }, [origin, mintedFork])).toBeNull();
    expect(late({ ...cleared, clearedFrom: csid(2) }, [origin, mintedFork])).toBeNull();
  });

  it('never pairs by the Claude process: a clear end of the same pid gives no late parent', () => {
    const ender = makeRecord(O, {
      claude_session_ids: [csid(1)],
      claude_pid: 4242,
      end_reason: 'clear',
      ended_at: new Date(NOW - 1000).toISOString(),
    });
    const facts = endFacts('2.1.332', {
      firstUuid: f(0),
      headUuids: [f(0), f(1)],
      source: 'clear',
      hookEvent: 'SessionStart',
      claudePid: 4242,
    });
    expect(late(facts, [ender, mintedFork])).toBeNull();
  });
});
