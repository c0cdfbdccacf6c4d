// What the browser lists: `find`'s query on the store, narrowed by `browse --agent`.
import { afterEach, describe, expect, it } from 'vitest';
import { createCommandContext } from '../../command-context.js';
import {
  NOW,
  createFixedStore,
  csidOf,
  memoryDeps,
  seedSession,
} from '../../test-support/harness.js';
import { storeBrowseSource } from './browse-command.js';

const releases: (() => void)[] = [];
afterEach(() => {
  for (const release of releases.splice(0)) release();
});

function sourceOf(agent?: string) {
  const store = createFixedStore();
  const claude = seedSession(store, {
    csid: csidOf(1),
    ts: new Date(NOW - 60_000).toISOString(),
    prompt: 'fix the login redirect',
  });
  const thread = '019a3c10-0a00-7000-8000-00000000000a';
  const recorded = store.recordSessionSeen({
    facts: { claudeSessionId: thread, now: NOW, hookEvent: 'SessionStart', source: 'startup' },
    payload: { claude_session_id: thread, agent: 'codex', first_prompt_preview: 'bump the parser' },
  });
  if (!recorded.ok) throw new Error(recorded.error.message);
  const handle = createCommandContext(memoryDeps(store), {
    json: false,
    quiet: false,
    color: false,
  });
  releases.push(() => handle.release());
  return {
    source: storeBrowseSource(store, handle.context, agent),
    claude,
    codex: recorded.stableId,
  };
}

describe('browse --agent', () => {
  it('lists every agent by default, and only the chosen one with --agent', () => {
    const all = sourceOf();
    const ids = (rows: readonly { stable_id: string }[]): string[] =>
      rows.map((r) => r.stable_id).sort();
    const filter = { query: '', openOnly: false, generation: 0 };
    expect(ids(all.source.list(filter))).toEqual([all.claude, all.codex].sort());
    const codex = sourceOf('codex');
    expect(ids(codex.source.list(filter))).toEqual([codex.codex]);
    const claude = sourceOf('claude');
    expect(ids(claude.source.list(filter))).toEqual([claude.claude]);
  });
});

describe('browse rows', () => {
  it('a limit gives the first rows of the whole list, in its order', () => {
    const { source } = sourceOf();
    const filter = { query: '', openOnly: false, generation: 0 };
    const all = source.list(filter).map((r) => r.stable_id);
    expect(all).toHaveLength(2);
    for (const limit of [1, 2, 3]) {
      expect(source.list(filter, limit).map((r) => r.stable_id)).toEqual(all.slice(0, limit));
    }
  });
});
