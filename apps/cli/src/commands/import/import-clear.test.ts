/**
 * `import` links a `/clear` child to the session it was cleared from: post-clear rows of current
 * Claude Code carry the pre-clear id in a snake_case `session_id` beside their own `sessionId`
 * (docs/identity.md). No hook ran, so there is no pid pairing: only the rows link them.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exampleStore } from '../../test-support/harness.js';
import { exchangeRows } from '../../test-support/transcript-rows.js';

const BEFORE = '6a0f3c2e-1b7d-4e95-a8c4-3d2e1f0b9a87'; // the session /clear ended
const AFTER = '0d4b7e10-5c3a-4f82-b6e9-0a1c2d3e4f56'; // the session /clear started
const CWD = '/home/dev/shop';

/** A conversation of two rows; `clearedFrom` adds the post-clear `session_id` to each. */
function conversation(
  sessionId: string,
  uuids: [string, string],
  prompt: string,
  minute: string,
  clearedFrom?: string,
): string {
  const extra = clearedFrom === undefined ? {} : { session_id: clearedFrom };
  return exchangeRows({ cwd: CWD, sessionId, uuids, prompt, minute, extra });
}

/** The session /clear ended. */
const PRE_CLEAR = conversation(
  BEFORE,
  ['1c9e2b4a-7d3f-4a60-9b18-5e2c7d0a4f31', '2d0f3c5b-8e4a-4b71-8c29-6f3d8e1b5a42'],
  'add a quantity selector to the cart page',
  '2026-08-05T18:05',
);
/** The session /clear started: its rows name BEFORE in `session_id`. */
const POST_CLEAR = conversation(
  AFTER,
  ['3e1a4d6c-9f5b-4c82-9d3a-7a4e9f2c6b53', '4f2b5e7d-0a6c-4d93-8e4b-8b5f0a3d7c64'],
  'now write the release notes for the cart changes',
  '2026-08-05T18:20',
  BEFORE,
);

function setup(files: Record<string, string>) {
  const home = exampleStore();
  const dir = join(home.projects, '-home-dev-shop');
  mkdirSync(dir);
  for (const [id, text] of Object.entries(files)) writeFileSync(join(dir, `${id}.jsonl`), text);
  return { dir, run: home.run, record: home.record };
}

describe('import: /clear from history', () => {
  it('links the post-clear session to the pre-clear one (kind clear), two stable ids', async () => {
    const { dir, run, record } = setup({
      [BEFORE]: PRE_CLEAR,
      // Named so it sorts first: only its later first timestamp puts it after its origin.
      [AFTER]: POST_CLEAR,
    });
    const result = await run('import', '--from', dir, '--json');
    expect(result.exitCode).toBe(0);
    const summary = JSON.parse(result.stdout) as {
      counts: Record<string, number>;
      transcripts: { claude_session_id: string; status: string; parent: unknown }[];
    };
    expect(summary.counts).toMatchObject({
      transcripts_scanned: 2,
      sessions_new: 2,
      resumes_linked: 0,
    });
    const before = await record(BEFORE);
    const after = await record(AFTER);
    expect(after.stable_id).not.toBe(before.stable_id);
    expect(after).toMatchObject({ parent_session_id: before.stable_id, parent_kind: 'clear' });
    expect(after.identity_resolution).toMatchObject({
      source: 'clear_pairing',
      matched: { evidence: 'cleared_from', cleared_from_session_id: BEFORE },
    });
    expect(before.parent_session_id).toBeNull();
    const tree = JSON.parse((await run('tree', BEFORE, '--json')).stdout) as unknown;
    expect(JSON.stringify(tree)).toContain(after.stable_id);
  });

  it('a session_id naming a session never seen links nothing and merges nothing', async () => {
    const { dir, run, record } = setup({
      [AFTER]: POST_CLEAR,
    });
    expect((await run('import', '--from', dir, '--json')).exitCode).toBe(0);
    const after = await record(AFTER);
    expect(after.parent_session_id).toBeNull();
    expect(after.claude_session_ids).toEqual([AFTER]);
  });
});
