// `/branch` inside a running session whose own transcript did not exist at its start (issue 12
// item 3, docs/identity.md): Claude Code creates transcripts lazily, so the origin was recorded at
// SessionStart without a single uuid. The branch's file (it exists at its SessionStart) carries
// `forkedFrom.sessionId` on every copied row: the origin is found by its Claude session id, never
// by uuids that were never indexed. The built hook runs with Claude Code's real payloads.
import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { lazySession, recordOk, startedCopy, useHookWorld, world } from './support/hook-world.js';
import { allSessions, sessionOf } from './support/store-view.js';
import {
  conversation,
  createGitRepo,
  endPayload,
  forkTranscript,
  lastUuid,
  startPayload,
  transcriptPathFor,
  writeTranscript,
} from './support/world.js';
import type { TranscriptRecord } from './support/world.js';

useHookWorld();

/** What `/branch` adds to every row it copies from the origin. */
function forkedFrom(origin: {
  readonly csid: string;
  readonly records: readonly TranscriptRecord[];
}): TranscriptRecord {
  return { forkedFrom: { sessionId: origin.csid, messageUuid: lastUuid(origin.records) } };
}

describe('/branch from a session whose transcript did not exist at its start', () => {
  // /branch ends the origin (SessionEnd `resume`) and starts the branch: SessionStart `fork` on
  // 2.1.332, `resume` with the new id on 2.1.197. A SessionEnd may also be missed (killed hook).
  it.each([
    ['2.1.332 (source fork, after the origin ended)', 'fork', true],
    ['2.1.197 (source resume, after the origin ended)', 'resume', true],
    ['2.1.332 (source fork, no origin end seen)', 'fork', false],
    ['2.1.197 (source resume, no origin end seen)', 'resume', false],
  ] as const)('%s: a fork child of the origin', async (_name, source, originEnded) => {
    const repo = createGitRepo(world, 'app');
    const origin = await lazySession(repo.dir, 'map the retry policy of the payment client');
    if (originEnded) await recordOk(endPayload(origin.csid, repo.dir, origin.path, 'resume'));

    const { csid, path } = await startedCopy(
      origin.records,
      repo.dir,
      ['try exponential backoff instead'],
      source,
      forkedFrom(origin),
    );

    const branch = sessionOf(world, csid);
    expect(branch.stable_id).not.toBe(origin.stableId);
    expect(branch.parent_session_id).toBe(origin.stableId);
    expect(branch.parent_kind).toBe('fork');
    expect(branch.identity_resolution).toMatchObject({
      source: 'transcript_lineage',
      matched: { evidence: 'forked_from', forked_from_session_id: origin.csid },
    });
    expect(sessionOf(world, origin.csid).stable_id).toBe(origin.stableId);
    expect(sessionOf(world, origin.csid).parent_session_id).toBeNull();
    expect(allSessions(world)).toHaveLength(2);

    // The branch's own end changes nothing about the edge, and adds no second parent.
    await recordOk(endPayload(csid, repo.dir, path, 'prompt_input_exit'));
    expect(sessionOf(world, csid)).toMatchObject({
      stable_id: branch.stable_id,
      parent_session_id: origin.stableId,
      parent_kind: 'fork',
    });
    expect(allSessions(world)).toHaveLength(2);
  });

  it('an origin the store never saw (hook installed mid-session): a new session, never a merge', async () => {
    const repo = createGitRepo(world, 'app');
    const unseen = randomUUID();
    const records = conversation(unseen, repo.dir, ['sketch the audit log schema']);
    writeTranscript(transcriptPathFor(world, repo.dir, unseen), records);

    const { csid } = await startedCopy(
      records,
      repo.dir,
      ['add a retention column'],
      'fork',
      forkedFrom({ csid: unseen, records }),
    );

    const branch = sessionOf(world, csid);
    expect(branch.claude_session_ids).toEqual([csid]);
    expect(branch.parent_session_id).toBeNull();
    expect(allSessions(world)).toHaveLength(1);
  });
});

// `--fork-session` on 2.1.197 (measured, docs/claude-code.md#the-registry-of-running-sessions):
// SessionStart says `resume` with the ORIGIN's id and path, and only the registry file holds the
// fork's new id. But `--continue` on 2.1.197 looks exactly the same at SessionStart: the registry
// holds a fresh id that is never used. So the registry's id is not taken at SessionStart; the
// fork's own SessionEnd (new id, its file now written) makes it a fork child of its origin.
describe('2.1.197: the registry holds an id the payload does not', () => {
  it.each([
    ['--fork-session: the fork ends under its own id', true],
    ['--continue: the fresh registry id is never used', false],
  ] as const)('%s', async (_name, forked) => {
    const repo = createGitRepo(world, 'app');
    const origin = randomUUID();
    const originPath = transcriptPathFor(world, repo.dir, origin);
    const records = conversation(origin, repo.dir, ['trace the flaky upload test']).map((row) => ({
      ...row,
      version: '2.1.197',
    }));
    writeTranscript(originPath, records);
    await recordOk(startPayload(origin, repo.dir, originPath, 'startup'));
    await recordOk(endPayload(origin, repo.dir, originPath, 'other'));
    const originStable = sessionOf(world, origin).stable_id;

    // The hook's parent (this test process) is the "Claude process"; its registry entry names a
    // fresh id while the payload names the origin.
    const fresh = randomUUID();
    mkdirSync(world.registryDir, { recursive: true });
    writeFileSync(
      join(world.registryDir, `${process.pid}.json`),
      JSON.stringify({ pid: process.pid, sessionId: fresh, cwd: repo.dir, version: '2.1.197' }),
    );
    await recordOk(startPayload(origin, repo.dir, originPath, 'resume'));
    expect(allSessions(world)).toHaveLength(1);
    expect(sessionOf(world, origin).stable_id).toBe(originStable);

    if (forked) {
      const forkPath = transcriptPathFor(world, repo.dir, fresh);
      writeTranscript(
        forkPath,
        forkTranscript(records, fresh, repo.dir, ['now try it on the retry path']).map((row) => ({
          ...row,
          version: '2.1.197',
        })),
      );
      await recordOk(endPayload(fresh, repo.dir, forkPath, 'other'));
      const fork = sessionOf(world, fresh);
      expect(fork.stable_id).not.toBe(originStable);
      expect(fork).toMatchObject({ parent_session_id: originStable, parent_kind: 'fork' });
      expect(allSessions(world)).toHaveLength(2);
    } else {
      writeTranscript(
        originPath,
        conversation(origin, repo.dir, ['and again'], lastUuid(records)),
        true,
      );
      await recordOk(endPayload(origin, repo.dir, originPath, 'other'));
      expect(allSessions(world)).toHaveLength(1);
      expect(sessionOf(world, origin).claude_session_ids).toEqual([origin]);
    }
    expect(sessionOf(world, origin).parent_session_id).toBeNull();
  });
});
