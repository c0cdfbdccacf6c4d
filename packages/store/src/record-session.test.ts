import { describe, expect, it } from 'vitest';

import { createMemoryStore } from './open-store.js';
import type { IdentityFacts } from '@sessions-db/identity';
import type { RecordResult, SessionsStore } from './types.js';
import { csid, seenPayload, startFacts, uuid } from './test-support/fixtures.js';

const T0 = Date.parse('2026-05-10T09:00:00.000Z');

function transcript(path: string, uuids: string[]) {
  return {
    path,
    first_uuid: uuids[0] ?? null,
    last_uuid: uuids[uuids.length - 1] ?? null,
    size: 1000,
    mtime: '2026-05-10T09:00:00.000Z',
    status: 'ok',
    tail_uuids: uuids.slice(-8),
  };
}

/**
 * Record the start of a new Claude session whose transcript holds `rows` (first, last and tail
 * uuids from them); `fields` add to its facts.
 */
function recordStartOf(
  store: SessionsStore,
  rows: string[],
  fields: Partial<IdentityFacts> = {},
): { id: string; result: RecordResult } {
  const id = csid();
  const result = store.recordSessionSeen({
    facts: startFacts(id, {
      firstUuid: rows[0]!,
      lastUuid: rows.at(-1)!,
      tailUuids: rows,
      ...fields,
    }),
    payload: seenPayload(id, { transcript_file: transcript(`/p/${id}.jsonl`, rows) }),
  });
  return { id, result };
}

/** A memory store holding one origin session whose transcript has three rows. */
function storeWithOrigin() {
  const store = createMemoryStore();
  const history = [1, 2, 3].map((n) => uuid('orig', n));
  const { result: a } = recordStartOf(store, history);
  return { store, history, a };
}

/** `child` is the only child of `origin`, by a fork edge, in the record and in the tree. */
function expectForkChild(store: SessionsStore, origin: string, child: string): void {
  expect(store.getSession(child)).toMatchObject({
    ok: true,
    session: { parent_session_id: origin, parent_kind: 'fork' },
  });
  const tree = store.sessionTree(origin);
  expect(tree.ok && tree.tree.root.children.map((c) => [c.session.stable_id, c.edgeKind])).toEqual([
    [child, 'fork'],
  ]);
}

describe('recordSessionSeen', () => {
  it('mints, then reuses the stable id for the same Claude session id (resume, compact)', () => {
    const store = createMemoryStore();
    const id = csid();
    const first = store.recordSessionSeen({ facts: startFacts(id), payload: seenPayload(id) });
    const resume = store.recordSessionSeen({
      facts: startFacts(id, { source: 'resume' }),
      payload: seenPayload(id),
    });
    const compact = store.recordSessionSeen({
      facts: startFacts(id, { source: 'compact' }),
      payload: seenPayload(id),
    });
    expect(first).toMatchObject({ ok: true, minted: true, identity: { source: 'minted' } });
    expect(resume).toMatchObject({
      ok: true,
      minted: false,
      identity: { source: 'claude_session_id_index', confidence: 'exact' },
    });
    expect(compact.ok && first.ok && compact.stableId === first.stableId).toBe(true);
    const record = store.getSession(id);
    expect(record).toMatchObject({
      ok: true,
      session: {
        claude_session_ids: [id],
        identity_resolution: { source: 'claude_session_id_index' },
      },
    });
  });

  it('links a legacy resume (new id, copied history) to the same session through transcript lineage', () => {
    const store = createMemoryStore();
    const history = [1, 2, 3, 4].map((n) => uuid('hist', n));
    const { id: old, result: a } = recordStartOf(store, history);
    const copied = [...history, uuid('new', 1)];
    const { id: resumed, result: b } = recordStartOf(store, copied, {
      source: 'resume',
      headUuids: copied,
    });
    expect(a.ok && b.ok).toBe(true);
    if (!a.ok || !b.ok) return;
    expect(b).toMatchObject({
      minted: false,
      identity: { source: 'transcript_lineage', confidence: 'high' },
    });
    expect(b.stableId).toBe(a.stableId);
    expect(store.getSession(resumed)).toMatchObject({
      ok: true,
      session: { claude_session_ids: [old, resumed] },
    });
  });

  it('records a fork as a new session with an automatic fork edge to its origin', () => {
    const { store, history, a } = storeWithOrigin();
    const copied = [...history, uuid('fork', 1)];
    const { result: b } = recordStartOf(store, copied, { source: 'fork', headUuids: copied });
    if (!a.ok || !b.ok) throw new Error('record failed');
    expect(b.minted).toBe(true);
    expect(b.stableId).not.toBe(a.stableId);
    expect(b.eventIds).toHaveLength(2);
    expectForkChild(store, a.stableId, b.stableId);
  });

  it('pairs a /clear (SessionEnd clear, then SessionStart clear from the same Claude process) as a child of kind clear', () => {
    const store = createMemoryStore();
    const before = csid();
    const pid = 4242;
    const a = store.recordSessionSeen({
      facts: startFacts(before, { claudePid: pid, now: T0 }),
      payload: seenPayload(before),
    });
    const end = store.recordSessionEnd(
      {
        facts: {
          ...startFacts(before, { claudePid: pid, now: T0 + 60_000 }),
          hookEvent: 'SessionEnd',
          source: null,
        },
        payload: { claude_session_id: before, reason: 'clear' },
      },
      { ts: new Date(T0 + 60_000).toISOString() },
    );
    expect(end).toMatchObject({ ok: true, minted: false });
    const after = csid();
    const b = store.recordSessionSeen({
      facts: startFacts(after, { source: 'clear', claudePid: pid, now: T0 + 60_500 }),
      payload: seenPayload(after),
    });
    if (!a.ok || !b.ok) throw new Error('record failed');
    expect(b).toMatchObject({ minted: true, identity: { source: 'clear_pairing' } });
    expect(store.getSession(b.stableId)).toMatchObject({
      ok: true,
      session: { parent_session_id: a.stableId, parent_kind: 'clear' },
    });
    expect(store.getSession(a.stableId)).toMatchObject({
      ok: true,
      session: { end_reason: 'clear', claude_pid: pid },
    });
  });

  it('never merges unrelated sessions that share a generic first prompt in the same cwd and branch', () => {
    const store = createMemoryStore();
    const stable = new Set<string>();
    for (let i = 0; i < 12; i += 1) {
      const id = csid();
      const fp = { first_human_prompt_v1: 'a1b2c3d4e5f60718', lineage_prefix_v1: null };
      const r = store.recordSessionSeen({
        facts: startFacts(id, {
          now: T0 + i * 3_600_000,
          fingerprints: fp,
          firstPrompt: 'fix the tests',
        }),
        payload: seenPayload(id, { fingerprints: fp, first_prompt_preview: 'fix the tests' }),
      });
      if (!r.ok) throw new Error(r.error.message);
      stable.add(r.stableId);
    }
    expect(stable.size).toBe(12);
    const last = store.findSessions({ limit: 1 })[0];
    expect(last?.parent_candidate_ids.length).toBeGreaterThan(0);
    expect(last?.parent_session_id).toBeNull();
  });

  it('honours storeFirstPrompt: false (no preview, fingerprints kept)', () => {
    const store = createMemoryStore();
    const id = csid();
    const fp = { first_human_prompt_v1: '0011223344556677', lineage_prefix_v1: null };
    store.recordSessionSeen(
      { facts: startFacts(id), payload: seenPayload(id, { fingerprints: fp }) },
      { storeFirstPrompt: false },
    );
    expect(store.getSession(id)).toMatchObject({
      ok: true,
      session: { first_prompt_preview: null, fingerprints: fp },
    });
  });

  it('degrades an oversized payload instead of losing the session', () => {
    const store = createMemoryStore();
    const id = csid();
    const r = store.recordSessionSeen({
      facts: startFacts(id),
      payload: seenPayload(id, { first_prompt_preview: 'é'.repeat(2500), cwd: '/home/u/proj' }),
    });
    expect(r).toMatchObject({ ok: true, degraded: ['preview_shortened'] });
    const session = store.getSession(id);
    expect(session.ok && [...(session.session.first_prompt_preview ?? '')].length).toBe(80);
  });

  it('records a 5000-character cwd by shortening it with a marker and a hash', () => {
    const store = createMemoryStore();
    const id = csid();
    const r = store.recordSessionSeen({
      facts: startFacts(id),
      payload: seenPayload(id, { cwd: `/${'x'.repeat(5000)}` }),
    });
    expect(r).toMatchObject({ ok: true, degraded: ['paths_shortened'] });
    expect(store.stats().events).toBe(1);
  });

  it('writes harvested titles only when they change', () => {
    const store = createMemoryStore();
    const id = csid();
    const titles = {
      aiTitle: 'Fix login redirect loop',
      customTitle: null,
      sourceTranscript: '/p/x.jsonl',
    };
    const first = store.recordSessionSeen({
      facts: startFacts(id),
      payload: seenPayload(id),
      titles,
    });
    const second = store.recordSessionSeen({
      facts: startFacts(id, { source: 'resume' }),
      payload: seenPayload(id),
      titles,
    });
    expect(first.ok && first.eventIds.length).toBe(2);
    expect(second.ok && second.eventIds.length).toBe(1);
    expect(store.getSession(id)).toMatchObject({
      ok: true,
      session: { ai_title: 'Fix login redirect loop' },
    });
  });
});

describe('recordSessionEnd', () => {
  it('records an end for a known session, refreshing its transcript entry', () => {
    const store = createMemoryStore();
    const id = csid();
    const path = `/p/${id}.jsonl`;
    store.recordSessionSeen({
      facts: startFacts(id),
      payload: seenPayload(id, { transcript_file: transcript(path, [uuid('a', 1)]) }),
    });
    const end = store.recordSessionEnd({
      facts: { ...startFacts(id), hookEvent: 'SessionEnd', source: null },
      payload: {
        claude_session_id: id,
        reason: 'other',
        transcript_file: transcript(path, [uuid('a', 1), uuid('a', 2)]),
      },
    });
    expect(end).toMatchObject({ ok: true, minted: false });
    expect(store.getSession(id)).toMatchObject({
      ok: true,
      session: { end_reason: 'other', transcript_files: [{ path, last_uuid: uuid('a', 2) }] },
    });
  });

  it('fills in the head a session was recorded without (a -p run: no transcript at start), once', () => {
    const store = createMemoryStore();
    const id = csid();
    const path = `/p/${id}.jsonl`;
    store.recordSessionSeen({
      facts: startFacts(id),
      payload: seenPayload(id, { first_prompt_preview: null }),
    });
    expect(store.getSession(id)).toMatchObject({
      ok: true,
      session: { first_prompt_preview: null, fingerprints: { first_human_prompt_v1: null } },
    });
    const endInput = {
      facts: { ...startFacts(id), hookEvent: 'SessionEnd' as const, source: null },
      payload: {
        claude_session_id: id,
        reason: 'other',
        transcript_file: transcript(path, [uuid('h', 1)]),
      },
      seenPayload: seenPayload(id, {
        transcript_file: transcript(path, [uuid('h', 1)]),
        fingerprints: { first_human_prompt_v1: 'fp-prompt', lineage_prefix_v1: 'fp-lineage' },
        first_prompt_preview: 'summarise the release notes',
        // SessionEnd-time facts that must not replace what the start recorded:
        branch_at_start: 'later-branch',
      }),
    };
    const end = store.recordSessionEnd(endInput);
    expect(end.ok && end.eventIds.length).toBe(2);
    expect(store.getSession(id)).toMatchObject({
      ok: true,
      session: {
        end_reason: 'other',
        first_prompt_preview: 'summarise the release notes',
        branch_at_start: 'main',
        fingerprints: { first_human_prompt_v1: 'fp-prompt', lineage_prefix_v1: 'fp-lineage' },
        transcript_files: [{ path }],
      },
    });
    // The head is there now: a second end writes only its own event.
    const again = store.recordSessionEnd(endInput);
    expect(again.ok && again.eventIds.length).toBe(1);
  });

  it('links a fork recorded before its file existed to its origin at SessionEnd (a new parent_set), once', () => {
    const { store, history, a } = storeWithOrigin();
    // Claude Code 2.1.332: SessionStart `fork` before the fork's file exists: minted, no parent.
    const fork = csid();
    const b = store.recordSessionSeen({
      facts: startFacts(fork, { source: 'fork' }),
      payload: seenPayload(fork, { first_prompt_preview: null }),
    });
    if (!a.ok || !b.ok) throw new Error('record failed');
    expect(b.minted).toBe(true);
    expect(store.getSession(b.stableId)).toMatchObject({ session: { parent_session_id: null } });

    const copied = [...history, uuid('fork', 1)];
    const endInput = {
      facts: {
        ...startFacts(fork),
        hookEvent: 'SessionEnd' as const,
        source: null,
        firstUuid: copied[0]!,
        lastUuid: copied[3]!,
        headUuids: copied,
        tailUuids: copied,
        transcriptVersion: '2.1.332',
      },
      payload: {
        claude_session_id: fork,
        reason: 'other',
        transcript_file: transcript(`/p/${fork}.jsonl`, copied),
      },
      seenPayload: seenPayload(fork, { transcript_file: transcript(`/p/${fork}.jsonl`, copied) }),
    };
    const end = store.recordSessionEnd(endInput);
    expect(end).toMatchObject({ ok: true, minted: false, stableId: b.stableId });
    expectForkChild(store, a.stableId, b.stableId);
    // The head is read now: a later end decides nothing again.
    const again = store.recordSessionEnd(endInput);
    expect(again.ok && again.eventIds.length).toBe(1);
    // An origin never becomes a fork of its own fork.
    expect(store.getSession(a.stableId)).toMatchObject({ session: { parent_session_id: null } });
  });

  it('records an unknown session first (session_seen), then its end', () => {
    const store = createMemoryStore();
    const id = csid();
    const end = store.recordSessionEnd({
      facts: { ...startFacts(id), hookEvent: 'SessionEnd', source: null },
      payload: { claude_session_id: id, reason: 'logout' },
      seenPayload: seenPayload(id),
    });
    expect(end).toMatchObject({ ok: true, minted: true });
    expect(end.ok && end.eventIds.length).toBe(2);
    expect(store.getSession(id)).toMatchObject({
      ok: true,
      session: { end_reason: 'logout', first_prompt_preview: 'fix the flaky upload test' },
    });
  });
});
