import { describe, expect, it } from 'vitest';
import {
  MAX_PARENT_CANDIDATES,
  capParentCandidates,
  type ParentCandidateRow,
} from './parent-candidates.js';
import { HOUR, iso, stableId } from './test-support/records.js';

function fpRow(
  n: number,
  strong: number,
  lastProgress: string | null,
  priority?: number,
): ParentCandidateRow {
  return {
    candidate: {
      stable_id: stableId(n),
      source: 'fingerprint',
      confidence: 'low',
      reason: {
        fingerprints_matched: ['first_human_prompt_v1'],
        corroborator_count: strong,
        strong_corroborator_count: strong,
        weak_corroborator_count: 0,
      },
    },
    strong_corroborator_count: strong,
    last_progress_at: lastProgress,
    ...(priority === undefined ? {} : { priority }),
  };
}

describe('capParentCandidates', () => {
  it('caps 20 rows at MAX_PARENT_CANDIDATES with 10 omitted', () => {
    expect(MAX_PARENT_CANDIDATES).toBe(10);
    const rows = Array.from({ length: 20 }, (_, i) => fpRow(i, i % 3, iso(-i * HOUR)));
    const { candidates, omittedCount } = capParentCandidates(rows);
    expect(candidates).toHaveLength(10);
    expect(omittedCount).toBe(10);
  });

  it('omits nothing under the cap', () => {
    const { candidates, omittedCount } = capParentCandidates([fpRow(1, 1, iso())]);
    expect(candidates).toHaveLength(1);
    expect(omittedCount).toBe(0);
  });

  it('sorts by strong desc, last_progress_at desc (missing last), stable id asc', () => {
    const rows = [
      fpRow(1, 0, iso(-1 * HOUR)),
      fpRow(2, 2, iso(-5 * HOUR)),
      fpRow(3, 1, null),
      fpRow(4, 1, iso(-2 * HOUR)),
      fpRow(5, 1, iso(-2 * HOUR)),
      fpRow(6, 2, iso(-1 * HOUR)),
    ];
    const ids = capParentCandidates(rows).candidates.map((c) => c.stable_id);
    expect(ids).toEqual([6, 2, 4, 5, 3, 1].map(stableId));
  });

  it('dedupes by stable id, keeping the lowest priority then the first', () => {
    const rows = [
      fpRow(1, 0, iso(), 1),
      fpRow(1, 2, iso(), 0),
      fpRow(2, 1, iso()),
      fpRow(2, 0, iso()),
    ];
    const { candidates, omittedCount } = capParentCandidates(rows);
    expect(candidates.map((c) => c.stable_id)).toEqual([stableId(1), stableId(2)]);
    expect(candidates[0]?.reason).toMatchObject({ strong_corroborator_count: 2 });
    expect(candidates[1]?.reason).toMatchObject({ strong_corroborator_count: 1 });
    expect(omittedCount).toBe(0);
  });

  it('keeps priority groups first, so tied rows are never displaced', () => {
    const tied = [fpRow(50, 1, iso(-70 * HOUR), 0), fpRow(51, 1, iso(-71 * HOUR), 0)];
    const others = Array.from({ length: 12 }, (_, i) => fpRow(i, 2, iso(-i * 1000), 1));
    const ids = capParentCandidates([...others, ...tied]).candidates.map((c) => c.stable_id);
    expect(ids.slice(0, 2)).toEqual([stableId(50), stableId(51)]);
    expect(ids).toHaveLength(10);
  });

  it('accepts a custom cap', () => {
    const rows = Array.from({ length: 5 }, (_, i) => fpRow(i, 1, iso()));
    expect(capParentCandidates(rows, { cap: 2 })).toMatchObject({ omittedCount: 3 });
    expect(capParentCandidates(rows, { cap: 0 }).candidates).toEqual([]);
  });
});
