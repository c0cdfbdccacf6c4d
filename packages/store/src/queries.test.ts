import { describe, expect, it } from 'vitest';

import { createMemoryStore } from './open-store.js';
import { csid, seenPayload, startFacts } from './test-support/fixtures.js';
import type { SessionsStore } from './types.js';

const DAY = 86_400_000;
const T0 = Date.parse('2026-03-01T12:00:00.000Z');

/** Sessions created one day apart (ts pinned), with distinct cwd/branch/prompt. */
function seeded(): { store: SessionsStore; ids: string[] } {
  const store = createMemoryStore();
  const rows = [
    { cwd: '/home/u/api', branch: 'main', prompt: 'Add rate limiting to the login endpoint' },
    {
      cwd: '/home/u/api',
      branch: 'feat/search',
      prompt: 'Implement full text search for invoices',
    },
    { cwd: '/home/u/web', branch: 'main', prompt: 'Fix the CSS grid on the pricing page' },
    { cwd: '/home/u/web-admin', branch: 'main', prompt: 'Upgrade React Router to v7' },
  ];
  const ids = rows.map((row, i) => {
    const id = csid();
    const r = store.recordSessionSeen(
      {
        facts: startFacts(id, {
          now: T0 + i * DAY,
          cwd: row.cwd,
          worktreeRealpath: row.cwd,
          branch: row.branch,
        }),
        payload: seenPayload(id, {
          cwd: row.cwd,
          worktree_path_observed: row.cwd,
          worktree_realpath: row.cwd,
          branch_at_start: row.branch,
          branch_current: row.branch,
          first_prompt_preview: row.prompt,
        }),
      },
      { ts: new Date(T0 + i * DAY).toISOString() },
    );
    if (!r.ok) throw new Error(r.error.message);
    return r.stableId;
  });
  return { store, ids };
}

describe('findSessions', () => {
  it('lists newest progress first with the default limit', () => {
    const { store, ids } = seeded();
    expect(store.findSessions().map((r) => r.stable_id)).toEqual([...ids].reverse());
    expect(store.findSessions({ limit: 2 })).toHaveLength(2);
    expect(store.findSessions({ limit: null })).toHaveLength(4);
    expect(store.findSessions({ limit: 0 })).toHaveLength(4);
  });

  it('filters by cwd substring (case-sensitive), branch (current or at start), state, outcome, alias', () => {
    const { store, ids } = seeded();
    expect(store.findSessions({ cwd: '/home/u/web' }).map((r) => r.stable_id)).toEqual([
      ids[3],
      ids[2],
    ]);
    expect(store.findSessions({ cwd: '/HOME' })).toEqual([]);
    expect(store.findSessions({ branch: 'feat/search' }).map((r) => r.stable_id)).toEqual([ids[1]]);
    store.closeSession(ids[0]!, { outcome: 'done' });
    expect(store.findSessions({ outcome: 'done' }).map((r) => r.stable_id)).toEqual([ids[0]]);
    expect(store.findSessions({ state: 'active' })).toHaveLength(4);
    store.setAlias(ids[2]!, 'pricing');
    expect(store.findSessions({ alias: 'pricing' }).map((r) => r.stable_id)).toEqual([ids[2]]);
  });

  it('ANDs filters, and --since and --text narrow by time and by a case-insensitive substring', () => {
    const { store, ids } = seeded();
    expect(
      store.findSessions({ cwd: '/home/u/api', branch: 'main' }).map((r) => r.stable_id),
    ).toEqual([ids[0]]);
    expect(
      store.findSessions({ since: new Date(T0 + 2 * DAY).toISOString() }).map((r) => r.stable_id),
    ).toEqual([ids[3], ids[2]]);
    expect(store.findSessions({ text: 'INVOICES' }).map((r) => r.stable_id)).toEqual([ids[1]]);
    store.linkSession(ids[3]!, { tasks: 'FE-77' });
    expect(store.findSessions({ text: 'fe-77' }).map((r) => r.stable_id)).toEqual([ids[3]]);
    expect(store.findSessions({ text: 'feat/search' }).map((r) => r.stable_id)).toEqual([ids[1]]);
  });

  it('sorts by creation when asked', () => {
    const { store, ids } = seeded();
    store.setAlias(ids[0]!, 'touched');
    expect(store.findSessions({ limit: 1 })[0]?.stable_id).toBe(ids[0]);
    expect(store.findSessions({ limit: 1, sort: 'created' })[0]?.stable_id).toBe(ids[3]);
  });
});

describe('sessionTree', () => {
  it('draws descendants with edge kinds and, on request, the ancestor chain', () => {
    const { store, ids } = seeded();
    const [a, b, c, d] = ids as [string, string, string, string];
    store.setParent(b, a);
    store.setParent(c, b);
    store.setParent(d, a);
    const tree = store.sessionTree(b, { ancestors: true });
    if (!tree.ok) throw new Error(tree.error.message);
    expect(tree.tree.root.session.stable_id).toBe(b);
    expect(tree.tree.root.children.map((n) => [n.session.stable_id, n.edgeKind])).toEqual([
      [c, 'manual'],
    ]);
    expect(tree.tree.ancestors.map((n) => n.session.stable_id)).toEqual([a]);
    const top = store.sessionTree(a);
    expect(top.ok && top.tree.root.children.map((n) => n.session.stable_id)).toEqual([b, d]);
  });

  it('is cycle-safe and reports an unknown session', () => {
    const { store } = seeded();
    expect(store.sessionTree('sess_missing')).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' },
    });
  });
});

describe('sessionTimeline and stats', () => {
  it('returns the events of a session oldest first, and counts', () => {
    const { store, ids } = seeded();
    store.setAlias(ids[1]!, 'search');
    store.closeSession(ids[1]!, { outcome: 'blocked' });
    expect(store.sessionTimeline(ids[1]!).map((e) => e.op)).toEqual([
      'session_seen',
      'alias_set',
      'close',
    ]);
    expect(store.sessionTimeline(ids[1]!, { limit: 1 }).map((e) => e.op)).toEqual(['close']);
    expect(store.stats()).toMatchObject({
      sessions: 4,
      events: 6,
      byOutcome: { open: 3, blocked: 1 },
      byState: { active: 4 },
      lagBytes: 0,
    });
  });
});

describe('runSweep', () => {
  it('plans in a dry run without writing, applies in one transaction, and is idempotent', () => {
    const { store } = seeded();
    const now = T0 + 40 * DAY;
    const dry = store.runSweep({ dryRun: true, now });
    expect(dry).toMatchObject({ ok: true, dry_run: true, summary: { total: 4, to_archived: 4 } });
    expect(store.stats().events).toBe(4);
    const real = store.runSweep({ now });
    expect(real).toMatchObject({
      ok: true,
      dry_run: false,
      summary: { total: 4, applied: 4, to_archived: 4 },
    });
    expect(store.stats().byState).toEqual({ archived: 4 });
    expect(store.runSweep({ now })).toMatchObject({ ok: true, summary: { total: 0 } });
  });

  it('validates thresholds, including the effective pair', () => {
    const { store } = seeded();
    expect(store.runSweep({ idleThresholdDays: 0 })).toMatchObject({
      ok: false,
      error: { message: 'runSweep: idleThresholdDays must be a positive number (got: 0)' },
    });
    expect(store.runSweep({ idleThresholdDays: 40 })).toMatchObject({
      ok: false,
      error: { message: 'runSweep: archiveThresholdDays (30) must be >= idleThresholdDays (40)' },
    });
  });
});
