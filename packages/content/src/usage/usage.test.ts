import { describe, expect, it } from 'vitest';
import {
  BUILTIN_PRICES,
  costOf,
  extractClaudeUsage,
  mergePriceFile,
  PriceFileError,
  priceOf,
  priceUsage,
} from '../index.js';
import { row, u1, u2 } from '../test-support/usage-rows.js';

describe('extractClaudeUsage', () => {
  it('reads every kind of tokens, the model and the response key', () => {
    expect(extractClaudeUsage(row({ uuid: 'a1', msg: 'msg_1', req: 'req_1', usage: u1 }))).toEqual({
      key: 'msg_1:req_1',
      model: 'claude-sonnet-4-5-20250929',
      ts: '2026-01-02T03:04:05.000Z',
      tokens: { input: 2, output: 612, cacheWrite5m: 1557, cacheWrite1h: 0, cacheRead: 86802 },
    });
  });

  it('splits cache writes into 5 minutes and 1 hour when the row says so', () => {
    const r = extractClaudeUsage(row({ uuid: 'a2', msg: 'msg_2', req: 'req_2', usage: u2 }));
    expect(r?.tokens).toEqual({
      input: 10,
      output: 40,
      cacheWrite5m: 100,
      cacheWrite1h: 200,
      cacheRead: 1000,
    });
  });

  it('gives null for user rows, rows without usage and broken lines', () => {
    expect(
      extractClaudeUsage(JSON.stringify({ type: 'user', message: { role: 'user', content: 'x' } })),
    ).toBeNull();
    expect(
      extractClaudeUsage(JSON.stringify({ type: 'assistant', message: { id: 'm', content: [] } })),
    ).toBeNull();
    expect(extractClaudeUsage('{"type":"assistant","message":{"usage":')).toBeNull();
  });

  it('counts negative or fractional counts as zero', () => {
    const r = extractClaudeUsage(
      row({ uuid: 'a', msg: 'm', req: 'r', usage: { input_tokens: -5, output_tokens: 1.5 } }),
    );
    expect(r?.tokens).toEqual({
      input: 0,
      output: 0,
      cacheWrite5m: 0,
      cacheWrite1h: 0,
      cacheRead: 0,
    });
  });
});

describe('pricing', () => {
  it('prices a dated model id by its undated entry, to the cent', () => {
    const p = priceOf('claude-sonnet-4-5-20250929');
    expect(p).toEqual(BUILTIN_PRICES['claude-sonnet-4-5']);
    const tokens = {
      input: 1_000_000,
      output: 1_000_000,
      cacheWrite5m: 1_000_000,
      cacheWrite1h: 1_000_000,
      cacheRead: 1_000_000,
    };
    // 3 + 15 + 3.75 + 6 + 0.30 dollars
    expect(
      costOf(tokens, p ?? { input: 0, output: 0, cacheWrite5m: 0, cacheWrite1h: 0, cacheRead: 0 }),
    ).toBeCloseTo(28.05, 10);
  });

  it('never guesses: an unknown model, a newer version or a bare prefix has no price', () => {
    expect(priceOf('claude-opus-4-7')).toBeUndefined();
    expect(priceOf('claude-sonnet')).toBeUndefined();
    expect(priceOf('gpt-5-codex')).toBeUndefined();
    expect(priceOf('')).toBeUndefined();
  });

  it('lets a user price file add and replace models, and refuses a bad one clearly', () => {
    const table = mergePriceFile({
      'gpt-5-codex': {
        input: 1.25,
        output: 10,
        cacheWrite5m: 0,
        cacheWrite1h: 0,
        cacheRead: 0.125,
      },
    });
    expect(priceOf('gpt-5-codex', table)?.output).toBe(10);
    expect(priceOf('claude-sonnet-4-5', table)).toEqual(BUILTIN_PRICES['claude-sonnet-4-5']);
    expect(() => mergePriceFile({ m: { input: 1 } })).toThrow(PriceFileError);
    expect(() => mergePriceFile({ m: { input: 1 } })).toThrow(
      /"m": output must be a non-negative number/,
    );
    expect(() => mergePriceFile([])).toThrow(PriceFileError);
  });

  it('sums the cost of priced models, and the total is unknown when one model has no price', () => {
    const sonnet = { input: 1000, output: 2000, cacheWrite5m: 0, cacheWrite1h: 0, cacheRead: 0 };
    const known = priceUsage([{ model: 'claude-sonnet-4-5', tokens: sonnet }]);
    // 1000 * 3 / 1e6 + 2000 * 15 / 1e6 = 0.003 + 0.03
    expect(known.cost).toBeCloseTo(0.033, 12);
    const mixed = priceUsage([
      { model: 'claude-sonnet-4-5', tokens: sonnet },
      { model: 'some-new-model', tokens: sonnet },
    ]);
    expect(mixed.cost).toBeNull();
    expect(mixed.models.map((m) => m.cost === null)).toEqual([false, true]);
    expect(mixed.models[1]?.tokens).toEqual(sonnet);
  });
});
