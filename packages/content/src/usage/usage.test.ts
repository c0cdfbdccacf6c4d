import { describe, expect, it } from 'vitest';
import {
  BUILTIN_PRICES,
  costOf,
  dedupeUsage,
  extractClaudeUsage,
  mergePriceFile,
  PriceFileError,
  priceOf,
  priceUsage,
} from '../index.js';
import type { OwnedUsage, UsageRecord } from '../index.js';

interface RowSpec {
  uuid: string;
  msg: string;
  req: string;
  model?: string;
  usage: Record<string, unknown>;
}

/** A Claude Code assistant row in the transcript's real shape (CLAUDE-CODE.md). */
function row(spec: RowSpec): string {
  return JSON.stringify({
    parentUuid: null,
    isSidechain: false,
    type: 'assistant',
    uuid: spec.uuid,
    timestamp: '2026-01-02T03:04:05.000Z',
    sessionId: 's',
    requestId: spec.req,
    message: {
      id: spec.msg,
      model: spec.model ?? 'claude-sonnet-4-5-20250929',
      role: 'assistant',
      content: [{ type: 'text', text: 'hi' }],
      usage: spec.usage,
    },
  });
}

function records(lines: readonly string[]): UsageRecord[] {
  return lines.flatMap((l) => {
    const r = extractClaudeUsage(l);
    return r === null ? [] : [r];
  });
}

function owned(owner: string, lines: readonly string[]): OwnedUsage[] {
  return records(lines).map((record) => ({ owner, record }));
}

const u1 = {
  input_tokens: 2,
  output_tokens: 612,
  cache_creation_input_tokens: 1557,
  cache_read_input_tokens: 86802,
};
const u2 = {
  input_tokens: 10,
  output_tokens: 40,
  cache_creation_input_tokens: 300,
  cache_read_input_tokens: 1000,
  cache_creation: { ephemeral_5m_input_tokens: 100, ephemeral_1h_input_tokens: 200 },
};

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

describe('dedupeUsage', () => {
  it('counts one response written as several rows once, with its final counts', () => {
    const lines = [
      row({ uuid: 'a1', msg: 'msg_1', req: 'req_1', usage: { ...u1, output_tokens: 10 } }),
      row({ uuid: 'a2', msg: 'msg_1', req: 'req_1', usage: u1 }),
      row({ uuid: 'a3', msg: 'msg_2', req: 'req_2', usage: u2 }),
    ];
    expect(dedupeUsage(owned('S', lines))).toEqual([
      {
        owner: 'S',
        model: 'claude-sonnet-4-5-20250929',
        responses: 2,
        tokens: { input: 12, output: 652, cacheWrite5m: 1657, cacheWrite1h: 200, cacheRead: 87802 },
      },
    ]);
  });

  it('bills a legacy resume copy and a fork copy to the origin only', () => {
    const origin = [
      row({ uuid: 'a1', msg: 'msg_1', req: 'req_1', usage: u1 }),
      row({ uuid: 'a2', msg: 'msg_2', req: 'req_2', usage: u2 }),
    ];
    // A legacy resume file repeats the history, then adds its own response.
    const resumed = [
      ...origin,
      row({ uuid: 'a3', msg: 'msg_3', req: 'req_3', usage: { input_tokens: 7, output_tokens: 8 } }),
    ];
    // A fork copies the history up to its fork point under the same ids.
    const fork = [
      origin[0] ?? '',
      row({
        uuid: 'f1',
        msg: 'msg_4',
        req: 'req_4',
        usage: { input_tokens: 100, output_tokens: 1 },
      }),
    ];
    const totals = dedupeUsage([
      ...owned('S', origin),
      ...owned('S', resumed),
      ...owned('F', fork),
    ]);
    expect(totals.map((t) => [t.owner, t.responses, t.tokens.input, t.tokens.output])).toEqual([
      ['S', 3, 19, 660],
      ['F', 1, 100, 1],
    ]);
  });

  it('counts a subagent transcript passed under its parent toward the parent', () => {
    const parent = [row({ uuid: 'a1', msg: 'msg_1', req: 'req_1', usage: u1 })];
    const subagent = [
      row({
        uuid: 'x1',
        msg: 'msg_9',
        req: 'req_9',
        model: 'claude-haiku-4-5-20251001',
        usage: { input_tokens: 50, output_tokens: 5 },
      }),
    ];
    const totals = dedupeUsage([...owned('P', parent), ...owned('P', subagent)]);
    expect(totals.map((t) => [t.owner, t.model, t.tokens.input])).toEqual([
      ['P', 'claude-sonnet-4-5-20250929', 2],
      ['P', 'claude-haiku-4-5-20251001', 50],
    ]);
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
