// Transcripts are created lazily (issue 12 item 7, docs/identity.md#late-facts): a session is
// often recorded before its file exists, and when its own SessionEnd does not read the head (short
// of time, killed, never sent), the next hook of any session in the same Claude project does. The
// built hook runs with Claude Code's real payloads against real files.
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { holdWriteLock, runHookProcess } from './support/hook-process.js';
import {
  expectSilentExit,
  lazySession,
  recordOk,
  useHookWorld,
  world,
} from './support/hook-world.js';
import { allSessions, sessionOf } from './support/store-view.js';
import {
  createGitRepo,
  endPayload,
  forkTranscript,
  lastDiagnostics,
  parseEvents,
  readEvents,
  startPayload,
  transcriptPathFor,
  unwrittenSession,
  writeTranscript,
} from './support/world.js';

useHookWorld();

const eventsOf = (stableId: string): number =>
  parseEvents(readEvents(world)).filter((event) => event.stable_id === stableId).length;

describe('the next hook in a project reads the heads its sessions still lack', () => {
  it('a session whose SessionEnd never came gets its first prompt from the next start', async () => {
    const repo = createGitRepo(world, 'app');
    const first = await lazySession(repo.dir, 'profile the thumbnail worker');

    const { notes } = await recordOk(unwrittenSession(world, repo.dir).payload);
    expect(notes).toContain(`caught up the head of ${first.stableId}`);
    const filled = sessionOf(world, first.csid);
    expect(filled).toMatchObject({
      stable_id: first.stableId,
      first_prompt_preview: 'profile the thumbnail worker',
    });
    expect(filled.fingerprints.first_human_prompt_v1).toEqual(expect.any(String));
    expect(filled.transcript_files.map((file) => file.path)).toEqual([first.path]);
    expect(allSessions(world)).toHaveLength(2);

    // Done once: later hooks find nothing left to read for it.
    const before = eventsOf(first.stableId);
    await recordOk(unwrittenSession(world, repo.dir).payload);
    expect(eventsOf(first.stableId)).toBe(before);
  });

  it('a fork started before its origin ended still finds the origin', async () => {
    // `claude --resume O --fork-session` (2.1.332) while O runs on in another terminal: O was
    // recorded without uuids and has not ended; the fork's file, written after its start, copies
    // O's rows with their uuids and no `forkedFrom` marker.
    const repo = createGitRepo(world, 'app');
    const origin = await lazySession(repo.dir, 'draft the migration for invoices');
    const fork = randomUUID();
    const forkPath = transcriptPathFor(world, repo.dir, fork);
    await recordOk(startPayload(fork, repo.dir, forkPath, 'fork'));
    writeTranscript(
      forkPath,
      forkTranscript(origin.records, fork, repo.dir, ['now backfill the old rows']),
    );
    await recordOk(endPayload(fork, repo.dir, forkPath, 'prompt_input_exit'));

    const child = sessionOf(world, fork);
    expect(child.stable_id).not.toBe(origin.stableId);
    expect(child).toMatchObject({ parent_session_id: origin.stableId, parent_kind: 'fork' });
    expect(sessionOf(world, origin.csid)).toMatchObject({
      stable_id: origin.stableId,
      parent_session_id: null,
      first_prompt_preview: 'draft the migration for invoices',
    });
    expect(allSessions(world)).toHaveLength(2);
  });

  it('a busy store: the catch-up waits for nobody, and the run still records its own session', async () => {
    const repo = createGitRepo(world, 'app');
    const first = await lazySession(repo.dir, 'rename the billing flags');
    const release = await holdWriteLock(join(world.storeDir, 'sessions-db.sqlite'));
    const next = unwrittenSession(world, repo.dir);
    try {
      const exit = await runHookProcess(next.payload, {
        env: { ...world.env, SESSIONS_DB_HOOK_DEADLINE_MS: '1500' },
      });
      expectSilentExit(exit);
    } finally {
      await release();
    }
    const entry = lastDiagnostics(world);
    expect(entry).toMatchObject({ outcome: 'recorded' });
    expect(entry.notes).toContain('degraded: appended_unindexed');
    expect(entry.notes.filter((note) => note.startsWith('caught up'))).toEqual([]);
    // The next run indexes it, and catches the first session's head up.
    const { notes } = await recordOk(unwrittenSession(world, repo.dir).payload);
    expect(notes).toContain(`caught up the head of ${first.stableId}`);
    expect(allSessions(world)).toHaveLength(3);
  });

  it('never reads the files of another project', async () => {
    const app = createGitRepo(world, 'app');
    const lib = createGitRepo(world, 'lib');
    const elsewhere = await lazySession(lib.dir, 'bump the parser version');
    const { notes } = await recordOk(unwrittenSession(world, app.dir).payload);
    expect(notes.filter((note) => note.startsWith('caught up'))).toEqual([]);
    expect(sessionOf(world, elsewhere.csid).first_prompt_preview).toBeNull();
  });
});
