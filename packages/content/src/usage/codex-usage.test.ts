import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CODEX_FIXTURE_HOME } from '@sessions-db/vitest-config/fixtures';
import { describe, expect, it } from 'vitest';
import { codexRolloutUsage } from '../index.js';

function lines(relative: string): string[] {
  return readFileSync(join(CODEX_FIXTURE_HOME, relative), 'utf8').split('\n');
}

describe('codexRolloutUsage', () => {
  it('takes the cumulative total of a resumed rollout once (not the sum of its token_count events)', () => {
    const usage = codexRolloutUsage(
      lines(
        'sessions/2026/11/02/rollout-2026-11-02T09-00-00-019a3c10-0a00-7000-8000-00000000000a.jsonl',
      ),
    );
    // Events: total 1200 in (200 cached) / 80 out, then total 3000 in (900 cached) / 150 out.
    expect(usage).toEqual({
      input: 2100,
      output: 150,
      cacheWrite5m: 0,
      cacheWrite1h: 0,
      cacheRead: 900,
    });
  });

  it('reads a rollout whose last line was cut mid-record', () => {
    const usage = codexRolloutUsage(
      lines(
        'archived_sessions/rollout-2026-10-01T08-00-00-019a3c10-0100-7000-8000-000000000001.jsonl',
      ),
    );
    expect(usage).toEqual({
      input: 500,
      output: 40,
      cacheWrite5m: 0,
      cacheWrite1h: 0,
      cacheRead: 0,
    });
  });

  it('gives zero tokens for a rollout without token_count events', () => {
    expect(codexRolloutUsage(['{"type":"session_meta","payload":{}}', 'not json'])).toEqual({
      input: 0,
      output: 0,
      cacheWrite5m: 0,
      cacheWrite1h: 0,
      cacheRead: 0,
    });
  });
});
