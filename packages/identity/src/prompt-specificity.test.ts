import { describe, expect, it } from 'vitest';
import { assessFirstPrompt } from './prompt-specificity.js';

describe('assessFirstPrompt', () => {
  it.each([
    ['hi', 'generic_phrase'],
    ['continue', 'generic_phrase'],
    ['Continue.', 'generic_phrase'],
    ['fix the tests', 'generic_phrase'],
    ['Run the tests', 'generic_phrase'],
    ['/clear', 'too_short'],
    ['/compact', 'too_short'],
    ['please continue where you left off', 'generic_phrase'],
    ['Please continue where you left off!', 'generic_phrase'],
    ["Let's continue with the remaining tasks from the plan", 'too_few_rare_words'],
    ['look at the failing tests in this repo and fix all of them please', 'too_few_rare_words'],
    ['fix the bug in the login page', 'too_short'],
    ['implement oauth', 'too_short'],
    ['修复测试', 'too_short'],
    ['', 'absent'],
    ['   ', 'absent'],
  ])('%j is not specific (%s)', (prompt, verdict) => {
    const assessment = assessFirstPrompt(prompt);
    expect(assessment.specific).toBe(false);
    expect(assessment.verdict).toBe(verdict);
  });

  it.each([
    'Add a Stripe webhook handler for invoice.payment_failed that retries twice',
    'Refactor the SQLite session store to use BEGIN IMMEDIATE transactions',
    '/review-pr check the migration order of 0042_add_ledger_index carefully',
    '把支付回调里的重复扣款问题修好，并给退款流程补上幂等键检查',
  ])('%j is specific', (prompt) => {
    expect(assessFirstPrompt(prompt)).toMatchObject({ specific: true, verdict: 'specific' });
  });

  it('treats non-strings as absent', () => {
    expect(assessFirstPrompt(null).verdict).toBe('absent');
    expect(assessFirstPrompt(undefined).verdict).toBe('absent');
    expect(assessFirstPrompt(12).verdict).toBe('absent');
  });

  it('counts code points, words and rare words', () => {
    expect(
      assessFirstPrompt('Refactor the SQLite session store to use BEGIN IMMEDIATE transactions'),
    ).toEqual({
      specific: true,
      verdict: 'specific',
      codePoints: 69,
      words: 10,
      rareWords: 6,
    });
  });
});
