import { describe, expect, it } from 'vitest';

import { createMemoryStore } from './open-store.js';
import { csid, seenPayload, startFacts } from './test-support/fixtures.js';
import type { SessionsStore } from './types.js';

function storeWith(n: number): { store: SessionsStore; ids: string[] } {
  const store = createMemoryStore();
  const ids: string[] = [];
  for (let i = 0; i < n; i += 1) {
    const id = csid();
    const r = store.recordSessionSeen({
      facts: startFacts(id, { cwd: `/w/${i}`, worktreeRealpath: `/w/${i}` }),
      payload: seenPayload(id, { cwd: `/w/${i}` }),
    });
    if (!r.ok) throw new Error(r.error.message);
    ids.push(r.stableId);
  }
  return { store, ids };
}

function eventCount(store: SessionsStore): number {
  return store.stats().events;
}

describe('setAlias', () => {
  it('sets, then clears, an alias', () => {
    const { store, ids } = storeWith(1);
    const [id] = ids as [string];
    expect(store.setAlias(id, 'auth-refactor')).toMatchObject({
      ok: true,
      stable_id: id,
      dry_run: false,
      event: { op: 'alias_set', payload: { alias: 'auth-refactor' } },
    });
    expect(store.getSession(id)).toMatchObject({ ok: true, session: { alias: 'auth-refactor' } });
    expect(store.setAlias(id, null)).toMatchObject({
      ok: true,
      event: { payload: { alias: null } },
    });
    expect(store.getSession(id)).toMatchObject({ ok: true, session: { alias: null } });
  });

  it('refuses an empty alias and an unknown session, writing nothing', () => {
    const { store, ids } = storeWith(1);
    const before = eventCount(store);
    expect(store.setAlias(ids[0]!, '')).toMatchObject({
      ok: false,
      error: { code: 'INVALID_ARGUMENT', message: 'setAlias: alias must be a non-empty string' },
    });
    expect(store.setAlias('sess_nope', 'x')).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND', message: 'stable_id not found: sess_nope' },
    });
    expect(eventCount(store)).toBe(before);
  });

  it('dry run builds the event but writes nothing', () => {
    const { store, ids } = storeWith(1);
    const before = eventCount(store);
    const dry = store.setAlias(ids[0]!, 'x', { dryRun: true });
    expect(dry).toMatchObject({
      ok: true,
      dry_run: true,
      event: { op: 'alias_set', stable_id: ids[0] },
    });
    expect(eventCount(store)).toBe(before);
    expect(store.getSession(ids[0]!)).toMatchObject({ ok: true, session: { alias: null } });
  });
});

describe('setParent', () => {
  it('sets a manual edge and clears it', () => {
    const { store, ids } = storeWith(2);
    const [a, b] = ids as [string, string];
    expect(store.setParent(b, a)).toMatchObject({
      ok: true,
      parent_id: a,
      event: { payload: { parent_session_id: a, kind: 'manual' } },
    });
    expect(store.getSession(b)).toMatchObject({
      ok: true,
      session: { parent_session_id: a, parent_kind: 'manual' },
    });
    expect(store.setParent(b, null)).toMatchObject({ ok: true, parent_id: null });
    expect(store.getSession(b)).toMatchObject({ ok: true, session: { parent_session_id: null } });
  });

  it('refuses self-parenting, unknown parents and cycles of 2 and 3 hops, writing nothing', () => {
    const { store, ids } = storeWith(3);
    const [a, b, c] = ids as [string, string, string];
    expect(store.setParent(a, a)).toMatchObject({
      ok: false,
      error: { message: 'setParent: parent and child cannot be the same stable_id' },
    });
    expect(store.setParent(a, 'sess_missing')).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' },
    });
    expect(store.setParent(b, a).ok).toBe(true);
    const before = eventCount(store);
    expect(store.setParent(a, b)).toMatchObject({
      ok: false,
      error: {
        code: 'CYCLE',
        message: `setParent: would create a cycle: proposed parent ${b} reaches child ${a} after 1 hop(s)`,
      },
    });
    expect(store.setParent(c, b).ok).toBe(true);
    expect(store.setParent(a, c)).toMatchObject({
      ok: false,
      error: { code: 'CYCLE', message: expect.stringContaining('after 2 hop(s)') },
    });
    expect(eventCount(store)).toBe(before + 1);
  });

  it('allows re-parenting deep in a chain when no cycle results', () => {
    const { store, ids } = storeWith(4);
    const [a, b, c, d] = ids as [string, string, string, string];
    store.setParent(b, a);
    store.setParent(c, b);
    expect(store.setParent(d, c).ok).toBe(true);
    expect(store.setParent(c, a).ok).toBe(true);
  });
});

describe('closeSession and reopenSession', () => {
  it('closes with an outcome and reason, and reopen clears them', () => {
    const { store, ids } = storeWith(1);
    const id = ids[0]!;
    expect(store.closeSession(id, { outcome: 'done', reason: 'merged in #42' }).ok).toBe(true);
    const closed = store.getSession(id);
    expect(closed).toMatchObject({
      ok: true,
      session: { outcome: 'done', closed_reason: 'merged in #42' },
    });
    expect(closed.ok && typeof closed.session.closed_at).toBe('string');
    expect(store.reopenSession(id)).toMatchObject({ ok: true, event: { op: 'reopen' } });
    expect(store.getSession(id)).toMatchObject({
      ok: true,
      session: { outcome: 'open', closed_at: null, closed_reason: null },
    });
  });

  it('refuses outcomes outside the enum and non-string reasons', () => {
    const { store, ids } = storeWith(1);
    expect(store.closeSession(ids[0]!, { outcome: 'finished' })).toMatchObject({
      ok: false,
      error: {
        message:
          'closeSession: outcome must be one of: open, done, blocked, abandoned, merged, superseded',
      },
    });
    expect(
      store.closeSession(ids[0]!, { outcome: 'done', reason: 42 as unknown as string }),
    ).toMatchObject({
      ok: false,
      error: { message: 'closeSession: reason must be a string' },
    });
  });
});

describe('linkSession and unlinkSession', () => {
  it('normalizes lists, adds and removes, and finds by task and project', () => {
    const { store, ids } = storeWith(2);
    const [a, b] = ids as [string, string];
    expect(store.linkSession(a, { tasks: 'PROJ-1', projects: ['web', 'web', ''] })).toMatchObject({
      ok: true,
      tasks: ['PROJ-1'],
      projects: ['web'],
    });
    store.linkSession(b, { tasks: ['PROJ-1', 'PROJ-2'] });
    expect(
      store
        .findSessions({ task: 'PROJ-1' })
        .map((r) => r.stable_id)
        .sort(),
    ).toEqual([a, b].sort());
    expect(store.findSessions({ project: 'web' }).map((r) => r.stable_id)).toEqual([a]);
    expect(store.unlinkSession(b, { tasks: 'PROJ-1' }).ok).toBe(true);
    expect(store.findSessions({ task: 'PROJ-1' }).map((r) => r.stable_id)).toEqual([a]);
    expect(store.getSession(b)).toMatchObject({ ok: true, session: { tasks: ['PROJ-2'] } });
  });

  it('refuses an empty link', () => {
    const { store, ids } = storeWith(1);
    expect(store.linkSession(ids[0]!, {})).toMatchObject({
      ok: false,
      error: { message: 'linkTask: provide at least one task or project' },
    });
    expect(store.unlinkSession(ids[0]!, { tasks: [] })).toMatchObject({
      ok: false,
      error: { message: 'unlinkTask: provide at least one task or project' },
    });
  });
});

describe('parent candidates and titles', () => {
  it('adds manual parent candidates and records AI and custom titles', () => {
    const { store, ids } = storeWith(2);
    const [a, b] = ids as [string, string];
    expect(store.addParentCandidates(b, [a]).ok).toBe(true);
    expect(store.getSession(b)).toMatchObject({
      ok: true,
      session: {
        parent_candidate_ids: [{ parent_id: a, source: 'manual' }],
        parent_session_id: null,
      },
    });
    expect(store.recordAiTitle(a, 'Fix login redirect').ok).toBe(true);
    expect(store.recordCustomTitle(a, 'auth-refactor').ok).toBe(true);
    expect(store.getSession(a)).toMatchObject({
      ok: true,
      session: { ai_title: 'Fix login redirect', custom_title: 'auth-refactor' },
    });
    expect(store.addParentCandidates(a, [a])).toMatchObject({ ok: false });
  });
});

describe('session references', () => {
  it('an ambiguous prefix is an error listing the candidates', () => {
    const { store } = storeWith(3);
    const result = store.getSession('sess_');
    expect(result).toMatchObject({ ok: false, error: { code: 'AMBIGUOUS_REFERENCE' } });
    if (!result.ok) {
      expect(result.error.message).toMatch(/matches 3 sessions: sess_/);
      expect((result.error.details as { candidates: unknown[] }).candidates).toHaveLength(3);
    }
  });

  it('a prefix names a session by its stable id (with or without sess_, in any case) or its Claude session id, literally', () => {
    const store = createMemoryStore();
    const claudeIds = [
      '0f1e2d3c-4b5a-4978-8a6b-5c4d3e2f1a0b',
      '9a8b7c6d-5e4f-4321-8fed-cba987654321',
    ];
    const ids = claudeIds.map((id, i) => {
      const r = store.recordSessionSeen({
        facts: startFacts(id, { cwd: `/w/${i}`, worktreeRealpath: `/w/${i}` }),
        payload: seenPayload(id, { cwd: `/w/${i}` }),
      });
      if (!r.ok) throw new Error(r.error.message);
      return r.stableId;
    });
    const [id, other] = ids as [string, string];
    const bare = id.slice('sess_'.length, -2);
    for (const ref of [bare, bare.toUpperCase(), `sess_${bare}`, `SESS_${bare.toUpperCase()}`]) {
      expect(store.getSession(ref)).toMatchObject({
        ok: true,
        matchedBy: 'prefix',
        session: { stable_id: id },
      });
    }
    const claudeId = claudeIds[1] ?? '';
    expect(store.getSession(claudeId.slice(0, 13).toUpperCase())).toMatchObject({
      ok: true,
      session: { stable_id: other },
    });
    // LIKE's wildcards are plain characters of a prefix.
    for (const ref of [`${bare.slice(0, 6)}%`, `${bare.slice(0, 6)}_`, 'sess%', '____'])
      expect(store.getSession(ref)).toMatchObject({ ok: false });
  });

  it('an alias shared by two sessions is ambiguous, not first-wins', () => {
    const { store, ids } = storeWith(2);
    store.setAlias(ids[0]!, 'same');
    store.setAlias(ids[1]!, 'same');
    expect(store.getSession('same')).toMatchObject({
      ok: false,
      error: { code: 'AMBIGUOUS_REFERENCE' },
    });
  });
});
