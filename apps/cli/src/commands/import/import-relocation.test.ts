/**
 * Claude Code moves or re-keys a transcript without starting a new logical session (CLAUDE-CODE.md
 * facts, docs/identity.md): `/cd` moves the file to the new project folder under the same id, and
 * `-p --resume <file>` (2.1.261 and later) can resume a file under a fresh id, copying its rows.
 * Neither may split a session nor merge two.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { SessionRecord } from '@sessions-db/projection';
import { exampleStore } from '../../test-support/harness.js';

const ORIGIN = '7b3e9d21-4c6a-4f08-9e15-2a8d6c0f3b94';
const FRESH = '1e8c4a7f-3b29-4d65-a0f7-9c2e5b8d1a36';

function row(cwd: string, sessionId: string, fields: Record<string, unknown>): string {
  const base = { isSidechain: false, userType: 'external', cwd, sessionId, gitBranch: 'main' };
  return `${JSON.stringify({ ...base, ...fields })}\n`;
}

/** A user prompt and its answer, `version` on both rows. */
function exchange(
  cwd: string,
  sessionId: string,
  version: string,
  parent: string | null,
  uuids: [string, string],
  prompt: string,
  ts: string,
): string {
  return (
    row(cwd, sessionId, {
      parentUuid: parent,
      version,
      type: 'user',
      message: { role: 'user', content: prompt },
      uuid: uuids[0],
      timestamp: `${ts}:00.000Z`,
      origin: { kind: 'human' },
    }) +
    row(cwd, sessionId, {
      parentUuid: uuids[0],
      version,
      type: 'assistant',
      message: {
        id: `msg_${uuids[1].slice(0, 8)}`,
        model: 'claude-sonnet-5',
        role: 'assistant',
        content: [{ type: 'text', text: 'Done.' }],
      },
      uuid: uuids[1],
      timestamp: `${ts}:07.000Z`,
    })
  );
}

const U = [
  'a1f0c3e2-5b7d-4e19-8c60-3d2f1e0b9a71',
  'b2e1d4f3-6c8e-4f2a-9d71-4e3a2f1c0b82',
  'c3d2e5a4-7d9f-4a3b-8e82-5f4b3a2d1c93',
  'd4c3f6b5-8eaf-4b4c-9f93-6a5c4b3e2da4',
] as const;

function setup() {
  const home = exampleStore();
  const { run } = home;
  const record = async (ref: string): Promise<SessionRecord> =>
    (JSON.parse((await run('show', ref, '--json')).stdout) as { session: SessionRecord }).session;
  const project = (name: string): string => {
    const dir = join(home.projects, name);
    mkdirSync(dir, { recursive: true });
    return dir;
  };
  return { run, record, project };
}

describe('import: relocated and re-keyed transcripts', () => {
  it('/cd moves the file to another project folder under the same id: one session, not two', async () => {
    const { run, record, project } = setup();
    const before = project('-home-dev-shop');
    const first = exchange(
      '/home/dev/shop',
      ORIGIN,
      '2.1.332',
      null,
      [U[0], U[1]],
      'add a quantity selector to the cart page',
      '2026-08-05T18:05',
    );
    writeFileSync(join(before, `${ORIGIN}.jsonl`), first);
    expect((await run('import', '--json')).exitCode).toBe(0);
    const recorded = await record(ORIGIN);

    // `/cd ../shop-api`: the same file, moved, goes on with rows in the new directory.
    const after = project('-home-dev-shop-api');
    renameSync(join(before, `${ORIGIN}.jsonl`), join(after, `${ORIGIN}.jsonl`));
    writeFileSync(
      join(after, `${ORIGIN}.jsonl`),
      readFileSync(join(after, `${ORIGIN}.jsonl`), 'utf8') +
        exchange(
          '/home/dev/shop-api',
          ORIGIN,
          '2.1.332',
          U[1],
          [U[2], U[3]],
          'now expose the quantity in the cart api',
          '2026-08-05T18:30',
        ),
    );
    const second = JSON.parse((await run('import', '--json')).stdout) as {
      counts: Record<string, number>;
    };
    expect(second.counts).toMatchObject({ sessions_new: 0 });
    const moved = await record(ORIGIN);
    expect(moved.stable_id).toBe(recorded.stable_id);
    expect(moved.claude_session_ids).toEqual([ORIGIN]);
    expect(moved.transcript_files.map((file) => file.path)).toContain(
      join(after, `${ORIGIN}.jsonl`),
    );
    expect(moved.last_progress_at).toBe('2026-08-05T18:30:07.000Z');
    const found = JSON.parse((await run('find', '--json')).stdout) as SessionRecord[];
    expect(found.filter((s) => s.claude_session_ids.includes(ORIGIN))).toHaveLength(1);
  });

  it('-p --resume <file> under a fresh id (copied rows of a current client): a fork child, never merged, never unlinked', async () => {
    const { run, record, project } = setup();
    const dir = project('-home-dev-shop');
    const history = (sessionId: string) =>
      exchange(
        '/home/dev/shop',
        sessionId,
        '2.1.332',
        null,
        [U[0], U[1]],
        'add a quantity selector to the cart page',
        '2026-08-05T18:05',
      );
    writeFileSync(join(dir, `${ORIGIN}.jsonl`), history(ORIGIN));
    // The origin was recorded before the resume happened (by the hook, or an earlier import).
    expect((await run('import', '--json')).exitCode).toBe(0);
    // The fresh id's file: the resumed rows copied with their uuids (and the new id), then its own.
    writeFileSync(
      join(dir, `${FRESH}.jsonl`),
      history(FRESH) +
        exchange(
          '/home/dev/shop',
          FRESH,
          '2.1.332',
          U[1],
          [U[2], U[3]],
          'also show the subtotal per row',
          '2026-08-05T19:00',
        ),
    );
    expect((await run('import', '--json')).exitCode).toBe(0);
    const origin = await record(ORIGIN);
    const fresh = await record(FRESH);
    expect(fresh.stable_id).not.toBe(origin.stable_id);
    expect(fresh).toMatchObject({ parent_session_id: origin.stable_id, parent_kind: 'fork' });
    expect(origin.claude_session_ids).toEqual([ORIGIN]);
  });
});
