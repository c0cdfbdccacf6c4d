import { describe, expect, it } from 'vitest';
import {
  STRONG_CORROBORATORS,
  WEAK_CORROBORATORS,
  classifyCorroborators,
  collectCorroborators,
  meetsThreshold,
} from './corroborators.js';
import type { IdentityCandidate } from './identity-index.js';
import { HOUR, NOW, iso } from './test-support/records.js';

const WINDOW = 72 * HOUR;

function candidate(fields: Partial<IdentityCandidate> = {}): IdentityCandidate {
  return {
    stable_id: 'sess_019e0f2d-0001-7f00-8a11-0b2c3d4e5f60',
    cwd: '/home/dev/src/payments',
    worktree_realpath: '/home/dev/src/payments',
    branch_at_start: 'main',
    last_progress_at: iso(-HOUR),
    created_at: iso(-2 * HOUR),
    fingerprints: { first_human_prompt_v1: null, lineage_prefix_v1: null },
    ...fields,
  };
}

describe('corroborator constants', () => {
  it('lists the original strong and weak corroborators', () => {
    expect(STRONG_CORROBORATORS).toEqual(['same_cwd', 'same_worktree_realpath']);
    expect(WEAK_CORROBORATORS).toEqual(['same_branch_at_start', 'within_time_window']);
  });
});

describe('classifyCorroborators / meetsThreshold', () => {
  it.each([
    [{ same_cwd: true, within_time_window: true }, { strong: 1, weak: 1, total: 2 }, true],
    [{ same_cwd: true }, { strong: 1, weak: 0, total: 1 }, false],
    [
      { same_branch_at_start: true, within_time_window: true },
      { strong: 0, weak: 2, total: 2 },
      false,
    ],
    [{ same_cwd: true, same_worktree_realpath: true }, { strong: 2, weak: 0, total: 2 }, true],
    [
      {
        same_cwd: true,
        same_worktree_realpath: true,
        same_branch_at_start: true,
        within_time_window: true,
      },
      { strong: 2, weak: 2, total: 4 },
      true,
    ],
    [{}, { strong: 0, weak: 0, total: 0 }, false],
  ])('%j → %j, accepted %s', (hits, counts, accepted) => {
    expect(classifyCorroborators(hits)).toEqual(counts);
    expect(meetsThreshold(classifyCorroborators(hits))).toBe(accepted);
  });

  it('honours minCorroborators', () => {
    expect(meetsThreshold({ strong: 1, weak: 0, total: 1 }, 1)).toBe(true);
    expect(meetsThreshold({ strong: 1, weak: 1, total: 2 }, 3)).toBe(false);
    expect(meetsThreshold({ strong: 0, weak: 2, total: 2 }, 0)).toBe(false);
  });
});

describe('collectCorroborators', () => {
  const facts = {
    cwd: '/home/dev/src/payments',
    worktreeRealpath: '/home/dev/src/payments',
    branch: 'main',
    now: NOW,
  };

  it('marks all four when everything matches', () => {
    expect(collectCorroborators(facts, candidate(), WINDOW)).toEqual({
      same_cwd: true,
      same_worktree_realpath: true,
      same_branch_at_start: true,
      within_time_window: true,
    });
  });

  it('treats missing or empty values on either side as false', () => {
    const result = collectCorroborators(
      { cwd: '', worktreeRealpath: null, now: NOW },
      candidate({ cwd: '', branch_at_start: null, last_progress_at: null }),
      WINDOW,
    );
    expect(result).toEqual({
      same_cwd: false,
      same_worktree_realpath: false,
      same_branch_at_start: false,
      within_time_window: false,
    });
  });

  it('has an inclusive window edge, +1 ms outside, future excluded', () => {
    const at = (offset: number) =>
      collectCorroborators(facts, candidate({ last_progress_at: iso(offset) }), WINDOW)
        .within_time_window;
    expect(at(-WINDOW)).toBe(true);
    expect(at(-WINDOW - 1)).toBe(false);
    expect(at(0)).toBe(true);
    expect(at(1)).toBe(false);
    expect(
      collectCorroborators(facts, candidate({ last_progress_at: 'not a date' }), WINDOW)
        .within_time_window,
    ).toBe(false);
  });
});
