// Content work never runs inside the hook's budget (docs/hook.md#content): a SessionEnd starts a
// detached, low-priority indexer (dist/index-content.cjs) that archives the session's transcript
// and indexes what was said, then exits; the hook itself returns at once.
import { randomUUID } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';

import { archiveKey, listVersions, openContentIndex, searchContent } from '@sessions-db/content';
import { describe, expect, it } from 'vitest';

import { useHookWorld, world } from './support/hook-world.js';
import { runHookProcess } from './support/hook-process.js';
import { sessionOf } from './support/store-view.js';
import {
  conversation,
  endPayload,
  lastDiagnostics,
  startPayload,
  transcriptPathFor,
  writeTranscript,
} from './support/world.js';

useHookWorld();

/** Poll `check` until it is true or `timeoutMs` passes (the indexer runs in its own process). */
async function waitFor(what: string, check: () => boolean, timeoutMs = 30_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** A session with a transcript, started and ended through the built hook with `env`. */
async function endedSession(env: Record<string, string>) {
  const csid = randomUUID();
  const cwd = world.root;
  const path = transcriptPathFor(world, cwd, csid);
  writeTranscript(
    path,
    conversation(csid, cwd, ['the checkout test flakes on the tax rounding step']),
  );
  for (const payload of [
    startPayload(csid, cwd, path, 'startup'),
    endPayload(csid, cwd, path, 'prompt_input_exit'),
  ]) {
    const exit = await runHookProcess(payload, { env, cwd });
    expect(exit).toEqual({ code: 0, signal: null, stdout: '', stderr: '' });
  }
  return { csid, path };
}

describe('the background content indexer', () => {
  it('SessionEnd starts it; it archives the transcript and indexes what was said', async () => {
    const env = { ...world.env, SESSIONS_DB_INDEX_CONTENT: '1' };
    const { csid, path } = await endedSession(env);
    expect(lastDiagnostics(world)).toMatchObject({
      outcome: 'recorded',
      notes: expect.arrayContaining(['content indexer started']),
    });
    const archiveDir = join(world.storeDir, 'archive');
    const indexPath = join(world.storeDir, 'sessions-db-content.sqlite');
    const stableId = sessionOf(world, csid).stable_id;
    const found = (): boolean => {
      if (!existsSync(indexPath) || listVersions(archiveDir, archiveKey(path)).length === 0)
        return false;
      const index = openContentIndex(indexPath);
      try {
        return searchContent(index, 'rounding').some((hit) => hit.stable_id === stableId);
      } finally {
        index.close();
      }
    };
    await waitFor('the session in the content index', found);
    expect(statSync(archiveDir).mode & 0o777).toBe(0o700);
  });

  it('SESSIONS_DB_INDEX_CONTENT=0 starts none', async () => {
    await endedSession(world.env);
    expect(lastDiagnostics(world).notes ?? []).not.toContain('content indexer started');
    expect(existsSync(join(world.storeDir, 'archive'))).toBe(false);
  });
});
