import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CODEX_FIXTURE_HOME } from '@sessions-db/vitest-config/fixtures';
import { describe, expect, it } from 'vitest';
import { codexRolloutUsage } from '../index.js';

function lines(relative: string): string[] {
  return readFileSync(join(CODEX_FIXTURE_HOME, relative), 'utf8').split('\n');
}

/** Codex usage: what it counts as input and cache reads; it never writes a cache. */
const usage = (input: number, output: number, cacheRead: number) => ({
  input,
  output,
  cacheWrite5m: 0,
  cacheWrite1h: 0,
  cacheRead,
});

describe('codexRolloutUsage', () => {
  it.each([
    [
      'takes the cumulative total of a resumed rollout once (not the sum of its token_count events)',
      'sessions/2026/11/02/rollout-2026-11-02T09-00-00-019a3c10-0a00-7000-8000-00000000000a.jsonl',
      // Events: total 1200 in (200 cached) / 80 out, then total 3000 in (900 cached) / 150 out.
      usage(2100, 150, 900),
    ],
    [
      'reads a rollout whose last line was cut mid-record',
      'archived_sessions/rollout-2026-10-01T08-00-00-019a3c10-0100-7000-8000-000000000001.jsonl',
      usage(500, 40, 0),
    ],
  ])('%s', (_name, rollout, expected) => {
    expect(codexRolloutUsage(lines(rollout))).toEqual(expected);
  });

  it('gives zero tokens for a rollout without token_count events', () => {
    expect(codexRolloutUsage(['{"type":"session_meta","payload":{}}', 'not json'])).toEqual(
      usage(0, 0, 0),
    );
  });
});
