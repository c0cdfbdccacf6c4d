import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { computeFingerprints, firstHumanPromptV1, lineagePrefixV1 } from './fingerprints.js';

function nodePrefix(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex').slice(0, 16);
}

describe('firstHumanPromptV1', () => {
  it('matches fixed vectors (SHA-256 prefix of the UTF-8 bytes)', () => {
    expect(firstHumanPromptV1('abc')).toBe('ba7816bf8f01cfea');
    expect(firstHumanPromptV1('fix the login bug')).toBe('f7459994fb8292c5');
    expect(firstHumanPromptV1('修复登录页面的重定向循环 🚀')).toBe('f32ba7a226d5a23a');
  });

  it('is null for an empty or non-string prompt', () => {
    expect(firstHumanPromptV1('')).toBeNull();
    expect(firstHumanPromptV1(null)).toBeNull();
    expect(firstHumanPromptV1(undefined)).toBeNull();
    expect(firstHumanPromptV1(42)).toBeNull();
    expect(firstHumanPromptV1(['abc'])).toBeNull();
  });

  it('equals node:crypto for any non-empty string (full Unicode)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', minLength: 1, maxLength: 80 }), (text) => {
        expect(firstHumanPromptV1(text)).toBe(nodePrefix(text));
      }),
      { numRuns: 300 },
    );
  });
});

describe('lineagePrefixV1', () => {
  it('hashes `<firstUuid>:<firstParentUuid or empty>`', () => {
    expect(lineagePrefixV1('2b4ed4c0-6a1f-4f0e-9a43-5d7c1e9b8a10', null)).toBe('1923ba36c5640127');
    expect(lineagePrefixV1('2b4ed4c0-6a1f-4f0e-9a43-5d7c1e9b8a10')).toBe('1923ba36c5640127');
    expect(lineagePrefixV1('u-1', 'p-0')).toBe('085028acbf23f7e6');
    expect(lineagePrefixV1('u-1', 17)).toBe(nodePrefix('u-1:'));
  });

  it('is null without a first uuid', () => {
    expect(lineagePrefixV1('', 'p-0')).toBeNull();
    expect(lineagePrefixV1(null, 'p-0')).toBeNull();
    expect(lineagePrefixV1(undefined)).toBeNull();
  });

  it('equals node:crypto for any uuid pair', () => {
    fc.assert(
      fc.property(fc.uuid(), fc.option(fc.uuid(), { nil: null }), (first, parent) => {
        expect(lineagePrefixV1(first, parent)).toBe(nodePrefix(`${first}:${parent ?? ''}`));
      }),
      { numRuns: 200 },
    );
  });
});

describe('computeFingerprints', () => {
  it('computes both, under their on-disk names', () => {
    expect(
      computeFingerprints({
        sanitizedPrompt: 'fix the login bug',
        firstUuid: 'u-1',
        firstParentUuid: 'p-0',
      }),
    ).toEqual({ first_human_prompt_v1: 'f7459994fb8292c5', lineage_prefix_v1: '085028acbf23f7e6' });
  });

  it('gives nulls when nothing is known', () => {
    expect(computeFingerprints({})).toEqual({
      first_human_prompt_v1: null,
      lineage_prefix_v1: null,
    });
  });
});
