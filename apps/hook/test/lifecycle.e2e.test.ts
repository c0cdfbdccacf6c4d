// Every row of docs/identity.md, end to end: the built hook is spawned with Claude Code's real stdin
// payloads against real transcripts and real git repositories, and the store is read back
// through the store library.
import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { recordOk, startedCopy, useHookWorld, world } from './support/hook-world.js';
import { allSessions, sessionOf } from './support/store-view.js';
import {
  compaction,
  conversation,
  createGitRepo,
  endPayload,
  lastUuid,
  startPayload,
  transcriptPathFor,
  writeTranscript,
} from './support/world.js';

useHookWorld();

/** Register the test process as a running Claude session, as Claude Code does. */
function registerThisProcessAsClaude(): void {
  mkdirSync(world.registryDir, { recursive: true });
  writeFileSync(
    join(world.registryDir, `${process.pid}.json`),
    JSON.stringify({ pid: process.pid }),
  );
}

/** A session A with a transcript, recorded at start and end; returns its facts. */
async function recordedSession(cwd: string, prompts: readonly string[]) {
  const csid = randomUUID();
  const path = transcriptPathFor(world, cwd, csid);
  const records = conversation(csid, cwd, prompts);
  writeTranscript(path, records);
  await recordOk(startPayload(csid, cwd, path, 'startup'));
  await recordOk(endPayload(csid, cwd, path, 'prompt_input_exit'));
  return { csid, path, records, stableId: sessionOf(world, csid).stable_id };
}

describe('docs/identity.md: one logical session, typed lineage', () => {
  it('new session: SessionStart startup before the transcript exists, then SessionEnd fills it in', async () => {
    const repo = createGitRepo(world, 'app');
    const csid = randomUUID();
    const path = transcriptPathFor(world, repo.dir, csid);

    await recordOk(startPayload(csid, repo.dir, path, 'startup', { model: 'claude-sonnet-5' }));
    const started = sessionOf(world, csid);
    expect(started.claude_session_ids).toEqual([csid]);
    expect(started.transcript_files).toEqual([]);
    expect(started.cwd).toBe(repo.dir);
    expect(started.branch_at_start).toBe('main');
    expect(started.head_at_start).toBe(repo.head);
    expect(started.claude_pid).toBe(process.pid);

    const records = conversation(csid, repo.dir, [
      'fix the login redirect loop in the auth middleware',
    ]);
    writeTranscript(path, records);
    await recordOk(endPayload(csid, repo.dir, path, 'prompt_input_exit'));
    const ended = sessionOf(world, csid);
    expect(ended.stable_id).toBe(started.stable_id);
    expect(ended.end_reason).toBe('prompt_input_exit');
    expect(ended.transcript_files).toHaveLength(1);
    expect(ended.transcript_files[0]).toMatchObject({
      path,
      first_uuid: records[0]?.['uuid'],
      last_uuid: lastUuid(records),
      status: 'ok',
    });
    expect(allSessions(world)).toHaveLength(1);
  });

  it('modern resume: the same id appending to the same file keeps the stable id', async () => {
    const repo = createGitRepo(world, 'app');
    const first = await recordedSession(repo.dir, ['add pagination to the orders endpoint']);

    const more = conversation(
      first.csid,
      repo.dir,
      ['now add tests for the last page'],
      lastUuid(first.records),
    );
    writeTranscript(first.path, more, true);
    await recordOk(startPayload(first.csid, repo.dir, first.path, 'resume'));

    const resumed = sessionOf(world, first.csid);
    expect(resumed.stable_id).toBe(first.stableId);
    expect(resumed.claude_session_ids).toEqual([first.csid]);
    expect(resumed.transcript_files).toHaveLength(1);
    expect(resumed.transcript_files[0]?.last_uuid).toBe(lastUuid(more));
    expect(allSessions(world)).toHaveLength(1);
  });

  it('compaction: the same id with a compact_boundary keeps the stable id', async () => {
    const repo = createGitRepo(world, 'app');
    const first = await recordedSession(repo.dir, ['refactor the billing module into services']);
    const boundaryParent = lastUuid(first.records);
    const compacted = compaction(first.csid, repo.dir, boundaryParent);
    const after = conversation(
      first.csid,
      repo.dir,
      ['continue with the invoice service'],
      lastUuid(compacted),
    );
    writeTranscript(first.path, [...compacted, ...after], true);

    await recordOk(startPayload(first.csid, repo.dir, first.path, 'compact'));
    const session = sessionOf(world, first.csid);
    expect(session.stable_id).toBe(first.stableId);
    expect(session.transcript_files[0]?.last_uuid).toBe(lastUuid(after));
    expect(session.transcript_files[0]?.compact_parent_uuids).toContain(boundaryParent);
    expect(allSessions(world)).toHaveLength(1);
  });

  it('legacy resume: a new id whose file copies the history gets the same stable id', async () => {
    const repo = createGitRepo(world, 'app');
    const first = await recordedSession(repo.dir, [
      'migrate the settings page to the new form library',
    ]);

    // Old Claude Code (before 1.0.124: later clients copy only when forking) copied the history
    // with the same uuids and the old session id.
    const { csid } = await startedCopy(
      first.records,
      repo.dir,
      ['also migrate the profile page'],
      'resume',
      { sessionId: first.csid, version: '1.0.100' },
    );

    const resumed = sessionOf(world, csid);
    expect(resumed.stable_id).toBe(first.stableId);
    expect(resumed.claude_session_ids).toEqual(expect.arrayContaining([first.csid, csid]));
    expect(allSessions(world)).toHaveLength(1);
  });

  it('fork: source fork with copied uuids gets a new stable id whose parent edge is fork', async () => {
    const repo = createGitRepo(world, 'app');
    const origin = await recordedSession(repo.dir, [
      'design the caching layer for the catalog service',
    ]);

    const { csid } = await startedCopy(
      origin.records,
      repo.dir,
      ['try a write-through cache instead'],
      'fork',
    );

    const fork = sessionOf(world, csid);
    expect(fork.stable_id).not.toBe(origin.stableId);
    expect(fork.parent_session_id).toBe(origin.stableId);
    expect(fork.parent_kind).toBe('fork');
    expect(sessionOf(world, origin.csid).stable_id).toBe(origin.stableId);
    expect(allSessions(world)).toHaveLength(2);
  });

  it('/clear: SessionEnd clear then SessionStart clear from the same Claude process pairs them', async () => {
    registerThisProcessAsClaude();
    const repo = createGitRepo(world, 'app');
    const before = await recordedSession(repo.dir, [
      'summarize the open pull requests for the release',
    ]);

    await recordOk(endPayload(before.csid, repo.dir, before.path, 'clear'));
    const csid = randomUUID();
    const path = transcriptPathFor(world, repo.dir, csid); // created lazily: not there yet
    // Claude Code may start hooks through a shell: the hook climbs to the registered process.
    await recordOk(startPayload(csid, repo.dir, path, 'clear'), { viaShell: true });

    const cleared = sessionOf(world, csid);
    expect(cleared.stable_id).not.toBe(before.stableId);
    expect(cleared.parent_session_id).toBe(before.stableId);
    expect(cleared.parent_kind).toBe('clear');
    expect(cleared.claude_pid).toBe(process.pid);
    expect(cleared.transcript_files).toEqual([]);
    expect(sessionOf(world, before.csid).end_reason).toBe('clear');
  });

  it('/clear in another Claude process is not paired with this one', async () => {
    registerThisProcessAsClaude();
    const repo = createGitRepo(world, 'app');
    const before = await recordedSession(repo.dir, ['profile the slow report query']);
    await recordOk(endPayload(before.csid, repo.dir, before.path, 'clear'));

    const csid = randomUUID();
    let relayPid: number | undefined;
    await recordOk(
      startPayload(csid, repo.dir, transcriptPathFor(world, repo.dir, csid), 'clear'),
      {
        viaRelay: { registryDir: world.registryDir },
        onSpawn: (child) => {
          relayPid = child.pid;
        },
      },
    );

    const other = sessionOf(world, csid);
    expect(other.claude_pid).toBe(relayPid);
    expect(other.stable_id).not.toBe(before.stableId);
    expect(other.parent_session_id).toBeNull();
    expect(other.parent_kind ?? null).toBeNull();
  });

  it('subagents: their transcripts are never recorded as sessions', async () => {
    const repo = createGitRepo(world, 'app');
    const csid = randomUUID();
    const path = transcriptPathFor(world, repo.dir, csid);
    const records = conversation(csid, repo.dir, ['review the diff with a subagent']);
    writeTranscript(path, records);
    const agentId = randomUUID().replace(/-/g, '').slice(0, 17);
    const subagentDir = join(dirname(path), csid, 'subagents');
    writeTranscript(join(subagentDir, `agent-${agentId}.jsonl`), [
      {
        parentUuid: null,
        isSidechain: true,
        agentId,
        sessionId: csid,
        type: 'user',
        message: { role: 'user', content: 'Review the diff for security problems' },
        uuid: randomUUID(),
        timestamp: '2026-03-01T10:00:00.000Z',
      },
    ]);
    writeFileSync(
      join(subagentDir, `agent-${agentId}.meta.json`),
      JSON.stringify({
        agentType: 'reviewer',
        description: 'review',
        toolUseId: 'toolu_01',
        spawnDepth: 1,
      }),
    );
    // The pre-2.1.2 layout: a top-level sibling file.
    writeTranscript(join(dirname(path), `agent-${agentId.slice(0, 8)}.jsonl`), [
      { parentUuid: null, isSidechain: true, sessionId: csid, type: 'user', uuid: randomUUID() },
    ]);

    await recordOk(startPayload(csid, repo.dir, path, 'startup'));
    await recordOk(endPayload(csid, repo.dir, path, 'other'));

    const sessions = allSessions(world);
    expect(sessions).toHaveLength(1);
    expect(sessions[0]?.claude_session_ids).toEqual([csid]);
    expect(sessions[0]?.transcript_files.map((file) => file.path)).toEqual([path]);
  });
});
