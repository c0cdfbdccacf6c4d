// Codex CLI's hook payloads (docs/agents-codex.md#hooks, measured on codex-cli 0.171.0): the built
// hook recognises them by their rollout `transcript_path` and records the session with
// `agent: codex`, reading the rollout for its facts.
import { cpSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';

import { beforeEach, describe, expect, it } from 'vitest';

import { recordOk, useHookWorld, world } from './support/hook-world.js';
import { sessionOf } from './support/store-view.js';
import { startPayload } from './support/world.js';
import { CODEX_FIXTURE_HOME } from '@sessions-db/vitest-config/fixtures';

const FIXTURE_HOME = CODEX_FIXTURE_HOME;
const A = '019a3c10-0a00-7000-8000-00000000000a';
const F = '019a3c10-0f00-7000-8000-00000000000f';
const DAY = join('sessions', '2026', '11', '02');

let codexHome: string;
useHookWorld();
beforeEach(() => {
  codexHome = join(world.home, '.codex');
  cpSync(FIXTURE_HOME, codexHome, { recursive: true });
  mkdirSync(join(world.root, 'shop'), { recursive: true });
});

function rollout(name: string): string {
  return join(codexHome, DAY, name);
}

/** A Codex CLI hook payload of thread `id` in `shop`, its rollout file `name`, with `fields`. */
function codexPayload(id: string, name: string, fields: Record<string, unknown>): string {
  const cwd = join(world.root, 'shop');
  return JSON.stringify({ session_id: id, transcript_path: rollout(name), cwd, ...fields });
}

const ROLLOUT_A = `rollout-2026-11-02T09-00-00-${A}.jsonl`;
const ROLLOUT_F = `rollout-2026-11-02T10-00-00-${F}.jsonl`;
/** The fields Codex adds to a SessionStart beside its source. */
const START = { hook_event_name: 'SessionStart', model: 'gpt-5', permission_mode: 'default' };

describe('Codex CLI hook payloads', () => {
  it('records SessionStart and SessionEnd of a Codex thread with agent codex and the rollout facts', async () => {
    await recordOk(codexPayload(A, ROLLOUT_A, { ...START, source: 'startup' }));
    await recordOk(codexPayload(A, ROLLOUT_A, { hook_event_name: 'SessionEnd', reason: 'other' }));
    const session = sessionOf(world, A);
    expect(session).toMatchObject({
      agent: 'codex',
      claude_session_ids: [A],
      first_prompt_preview: 'Add a checkout page to the shop',
      end_reason: 'other',
    });
    expect(session.transcript_files.map((t) => t.path)).toEqual([rollout(ROLLOUT_A)]);
    // No prompt fingerprint for a Codex thread: its id never changes, so nothing merges by prompt.
    expect(session.fingerprints.first_human_prompt_v1).toBeNull();
  });

  it('links a fork SessionStart (source fork, new thread id) to its origin through the rollout', async () => {
    await recordOk(
      codexPayload(A, ROLLOUT_A, { hook_event_name: 'SessionStart', source: 'startup' }),
    );
    await recordOk(codexPayload(F, ROLLOUT_F, { ...START, source: 'fork' }));
    const origin = sessionOf(world, A);
    expect(sessionOf(world, F)).toMatchObject({
      agent: 'codex',
      parent_session_id: origin.stable_id,
      parent_kind: 'fork',
    });
  });

  it('leaves Claude Code payloads as they were: no agent field', async () => {
    const csid = '0b58b276-5b06-4814-8e9c-08e240d64658';
    const path = join(world.claudeHome, 'projects', '-shop', `${csid}.jsonl`);
    await recordOk(startPayload(csid, join(world.root, 'shop'), path, 'startup'));
    expect('agent' in sessionOf(world, csid)).toBe(false);
  });
});
