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
import { exchangeRows } from '../../test-support/transcript-rows.js';

const ORIGIN = '7b3e9d21-4c6a-4f08-9e15-2a8d6c0f3b94';
const FRESH = '1e8c4a7f-3b29-4d65-a0f7-9c2e5b8d1a36';

const U = [
  'a1f0c3e2-5b7d-4e19-8c60-3d2f1e0b9a71',
  'b2e1d4f3-6c8e-4f2a-9d71-4e3a2f1c0b82',
  'c3d2e5a4-7d9f-4a3b-8e82-5f4b3a2d1c93',
  'd4c3f6b5-8eaf-4b4c-9f93-6a5c4b3e2da4',
] as const;

function setup() {
  const home = exampleStore();
  const { run, record } = home;
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
    const first = exchangeRows({
      cwd: '/home/dev/shop',
      sessionId: ORIGIN,
      uuids: [U[0], U[1]],
      prompt: 'add a quantity selector to the cart page',
      minute: '2026-08-05T18:05',
    });
    writeFileSync(join(before, `${ORIGIN}.jsonl`), first);
    expect((await run('import', '--json')).exitCode).toBe(0);
    const recorded = await record(ORIGIN);

    // `/cd ../shop-api`: the same file, moved, goes on with rows in the new directory.
    const after = project('-home-dev-shop-api');
    renameSync(join(before, `${ORIGIN}.jsonl`), join(after, `${ORIGIN}.jsonl`));
    writeFileSync(
      join(after, `${ORIGIN}.jsonl`),
      readFileSync(join(after, `${ORIGIN}.jsonl`), 'utf8') +
        exchangeRows({
          cwd: '/home/dev/shop-api',
          sessionId: ORIGIN,
          parentUuid: U[1],
          uuids: [U[2], U[3]],
          prompt: 'now expose the quantity in the cart api',
          minute: '2026-08-05T18:30',
        }),
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
      exchangeRows({
        cwd: '/home/dev/shop',
        sessionId: sessionId,
        uuids: [U[0], U[1]],
        prompt: 'add a quantity selector to the cart page',
        minute: '2026-08-05T18:05',
      });
    writeFileSync(join(dir, `${ORIGIN}.jsonl`), history(ORIGIN));
    // The origin was recorded before the resume happened (by the hook, or an earlier import).
    expect((await run('import', '--json')).exitCode).toBe(0);
    // The fresh id's file: the resumed rows copied with their uuids (and the new id), then its own.
    writeFileSync(
      join(dir, `${FRESH}.jsonl`),
      history(FRESH) +
        exchangeRows({
          cwd: '/home/dev/shop',
          sessionId: FRESH,
          parentUuid: U[1],
          uuids: [U[2], U[3]],
          prompt: 'also show the subtotal per row',
          minute: '2026-08-05T19:00',
        }),
    );
    expect((await run('import', '--json')).exitCode).toBe(0);
    const origin = await record(ORIGIN);
    const fresh = await record(FRESH);
    expect(fresh.stable_id).not.toBe(origin.stable_id);
    expect(fresh).toMatchObject({ parent_session_id: origin.stable_id, parent_kind: 'fork' });
    expect(origin.claude_session_ids).toEqual([ORIGIN]);
  });
});
