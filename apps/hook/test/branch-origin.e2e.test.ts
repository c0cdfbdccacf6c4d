// `/branch` inside a running session whose own transcript did not exist at its start (issue 12
// item 3, docs/identity.md): Claude Code creates transcripts lazily, so the origin was recorded at
// SessionStart without a single uuid. The branch's file (it exists at its SessionStart) carries
// `forkedFrom.sessionId` on every copied row: the origin is found by its Claude session id, never
// by uuids that were never indexed. The built hook runs with Claude Code's real payloads.
import { randomUUID } from 'node:crypto';

import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { assertBuilt, runHookProcess } from './support/hook-process.js';
import { allSessions, sessionOf } from './support/store-view.js';
import {
  conversation,
  createGitRepo,
  createWorld,
  endPayload,
  lastDiagnostics,
  lastUuid,
  removeWorld,
  startPayload,
  transcriptPathFor,
  writeTranscript,
} from './support/world.js';
import type { TranscriptRecord, World } from './support/world.js';

let world: World;
beforeAll(assertBuilt);
beforeEach(() => {
  world = createWorld();
});
afterEach(() => removeWorld(world));

async function record(payload: string): Promise<void> {
  const exit = await runHookProcess(payload, { env: world.env });
  expect(exit).toEqual({ code: 0, signal: null, stdout: '', stderr: '' });
  const entry = lastDiagnostics(world);
  expect(entry, JSON.stringify(entry)).toMatchObject({ outcome: 'recorded' });
}

/** What `/branch` writes: the origin's rows under the new id, each with `forkedFrom`, then its own. */
function branchFile(
  origin: { readonly csid: string; readonly records: readonly TranscriptRecord[] },
  csid: string,
  cwd: string,
  prompt: string,
): TranscriptRecord[] {
  const at = lastUuid(origin.records);
  const copies = origin.records.map((row) => ({
    ...row,
    sessionId: csid,
    forkedFrom: { sessionId: origin.csid, messageUuid: at },
  }));
  return [...copies, ...conversation(csid, cwd, [prompt], at)];
}

/** An origin recorded at SessionStart `startup` before its transcript existed; the file comes later. */
async function lazyOrigin(cwd: string, prompt: string) {
  const csid = randomUUID();
  const path = transcriptPathFor(world, cwd, csid);
  await record(startPayload(csid, cwd, path, 'startup'));
  expect(sessionOf(world, csid).transcript_files).toEqual([]);
  const records = conversation(csid, cwd, [prompt]);
  writeTranscript(path, records);
  return { csid, path, records, stableId: sessionOf(world, csid).stable_id };
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
    const origin = await lazyOrigin(repo.dir, 'map the retry policy of the payment client');
    if (originEnded) await record(endPayload(origin.csid, repo.dir, origin.path, 'resume'));

    const csid = randomUUID();
    const path = transcriptPathFor(world, repo.dir, csid);
    writeTranscript(path, branchFile(origin, csid, repo.dir, 'try exponential backoff instead'));
    await record(startPayload(csid, repo.dir, path, source));

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
    await record(endPayload(csid, repo.dir, path, 'prompt_input_exit'));
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

    const csid = randomUUID();
    const path = transcriptPathFor(world, repo.dir, csid);
    writeTranscript(
      path,
      branchFile({ csid: unseen, records }, csid, repo.dir, 'add a retention column'),
    );
    await record(startPayload(csid, repo.dir, path, 'fork'));

    const branch = sessionOf(world, csid);
    expect(branch.claude_session_ids).toEqual([csid]);
    expect(branch.parent_session_id).toBeNull();
    expect(allSessions(world)).toHaveLength(1);
  });
});
