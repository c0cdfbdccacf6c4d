// End-to-end: tokens and cost per logical session, task, day and model (issue 15), from hand-written
// transcripts in Claude Code's real format: one response written as two rows, a `/branch` fork
// that copies its origin's history (same message ids), a subagent, and a model without a price.
// Totals are checked to the token; they survive the agent deleting a transcript.
import { appendFileSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openContentIndexReadOnly, readContentMark } from '@sessions-db/content';
import { CATCH_UP_LOG_MARK } from '@sessions-db/store/content';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtCli } from './support/built-cli.js';

const O = '0b5e0000-0000-4000-8000-00000000000a';
const F = '0b5e0000-0000-4000-8000-00000000000f';
const U = '0b5e0000-0000-4000-8000-00000000000c';
const CWD = '/home/u/shop';
const SONNET = 'claude-sonnet-4-5-20250929';

let home: string;
let store: string;
const { cli, json } = builtCli(
  () => home,
  () => ({ HOME: home, PATH: process.env['PATH'] ?? '', SESSIONS_DB_ROOT: store }),
);

type Row = Record<string, unknown>;
const base = (sessionId: string, uuid: string, parentUuid: string | null, ts: string): Row => ({
  parentUuid,
  isSidechain: false,
  userType: 'external',
  cwd: CWD,
  sessionId,
  version: '2.1.240',
  gitBranch: 'main',
  uuid,
  timestamp: ts,
});
const user = (sid: string, uuid: string, parent: string | null, ts: string, text: string): Row => ({
  ...base(sid, uuid, parent, ts),
  type: 'user',
  message: { role: 'user', content: text },
});
const reply = (
  sid: string,
  uuid: string,
  parent: string,
  ts: string,
  response: { id: string; req: string; model: string; usage: Row },
): Row => ({
  ...base(sid, uuid, parent, ts),
  type: 'assistant',
  requestId: response.req,
  message: {
    id: response.id,
    model: response.model,
    role: 'assistant',
    content: [{ type: 'text', text: 'ok' }],
    usage: response.usage,
  },
});
const uuid = (n: number): string => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
/** A prompt (`uuid(n)`, at `minute`:00) and its reply (`uuid(n + 1)`, a second later). */
const turn = (
  sid: string,
  n: number,
  parent: string | null,
  minute: string,
  text: string,
  response: { id: string; req: string; model: string; usage: Row },
): Row[] => [
  user(sid, uuid(n), parent, `${minute}:00.000Z`, text),
  reply(sid, uuid(n + 1), uuid(n), `${minute}:01.000Z`, response),
];
const jsonl = (rows: readonly Row[]): string => rows.map((r) => `${JSON.stringify(r)}\n`).join('');

const R1 = { id: 'msg_01', req: 'req_01', model: SONNET };
const R1_USAGE = {
  input_tokens: 3,
  output_tokens: 400,
  cache_creation_input_tokens: 1000,
  cache_read_input_tokens: 20000,
  cache_creation: { ephemeral_5m_input_tokens: 400, ephemeral_1h_input_tokens: 600 },
};
const R2 = { id: 'msg_02', req: 'req_02', model: SONNET };
const R2_USAGE = { input_tokens: 5, output_tokens: 100, cache_read_input_tokens: 21000 };

beforeAll(() => {
  home = mkdtempSync(join(tmpdir(), 'sdb-usage-e2e-'));
  store = join(home, 'store');
  const dir = join(home, '.claude', 'projects', '-home-u-shop');
  mkdirSync(join(dir, O, 'subagents'), { recursive: true });
  const day1 = '2026-11-02T10:00:0';
  const origin = [
    user(O, uuid(1), null, `${day1}0.000Z`, 'add the cart totals endpoint'),
    // One response streamed as two rows: the first with partial output tokens.
    reply(O, uuid(2), uuid(1), `${day1}1.000Z`, {
      ...R1,
      usage: { ...R1_USAGE, output_tokens: 7 },
    }),
    reply(O, uuid(3), uuid(2), `${day1}2.000Z`, { ...R1, usage: R1_USAGE }),
    user(O, uuid(4), uuid(3), `${day1}3.000Z`, 'and the tests'),
    reply(O, uuid(5), uuid(4), `${day1}4.000Z`, { ...R2, usage: R2_USAGE }),
  ];
  writeFileSync(join(dir, `${O}.jsonl`), jsonl(origin));
  // A subagent of O (its rows carry O's session id): counted toward O.
  writeFileSync(
    join(dir, O, 'subagents', 'agent-a1.jsonl'),
    jsonl([
      { ...user(O, uuid(20), null, `${day1}5.000Z`, 'find the cart module'), isSidechain: true },
      {
        ...reply(O, uuid(21), uuid(20), `${day1}6.000Z`, {
          id: 'msg_sub',
          req: 'req_sub',
          model: 'claude-haiku-4-5-20251001',
          usage: { input_tokens: 1000, output_tokens: 50 },
        }),
        isSidechain: true,
      },
    ]),
  );
  // A `/branch` fork of O the next day: O's rows copied (same ids) with `forkedFrom`, then its own.
  const fork = [
    ...origin.map((row) => ({
      ...row,
      sessionId: F,
      forkedFrom: { sessionId: O, messageUuid: uuid(5) },
    })),
    ...turn(F, 10, uuid(5), '2026-11-03T09:00', 'try it with a discount table', {
      id: 'msg_10',
      req: 'req_10',
      model: 'claude-opus-4-5-20251101',
      usage: { input_tokens: 10, output_tokens: 1000 },
    }),
  ];
  writeFileSync(join(dir, `${F}.jsonl`), jsonl(fork));
  // A session with a model no price table knows.
  writeFileSync(
    join(dir, `${U}.jsonl`),
    jsonl(
      turn(U, 30, null, '2026-11-03T12:00', 'summarise the changelog', {
        id: 'msg_30',
        req: 'req_30',
        model: 'claude-nova-9',
        usage: { input_tokens: 70, output_tokens: 30 },
      }),
    ),
  );
  const imported = cli('import');
  expect(imported.status, imported.stderr).toBe(0);
  for (const [session, task] of [
    [O, 'T-1'],
    [F, 'T-1'],
    [U, 'T-2'],
  ] as const) {
    const linked = cli('link', session, '--task', task);
    expect(linked.status, linked.stderr).toBe(0);
  }
});
afterAll(() => rmSync(home, { recursive: true, force: true }));

interface Tokens {
  input: number;
  output: number;
  cacheWrite5m: number;
  cacheWrite1h: number;
  cacheRead: number;
}
interface UsageJsonRow {
  key: string;
  label?: string | null;
  sessions: number;
  responses: number;
  tokens: Tokens;
  cost: number | null;
  models: { model: string; responses: number; tokens: Tokens; cost: number | null }[];
}

const stableOf = (csid: string): string =>
  json<{ session: { stable_id: string } }>('show', csid).session.stable_id;

// Sonnet 4.5: $3 in, $15 out, $3.75 / $6 cache writes (5 min / 1 h), $0.30 cache reads per MTok;
// Haiku 4.5: $1 / $5; Opus 4.5: $5 / $25.
const ORIGIN_COST =
  (8 * 3 + 500 * 15 + 400 * 3.75 + 600 * 6 + 41000 * 0.3) / 1e6 + (1000 * 1 + 50 * 5) / 1e6;
const FORK_COST = (10 * 5 + 1000 * 25) / 1e6;

describe('sessions-db usage', () => {
  it('by session: every response once, a fork billed only for its own, subagents under their parent', () => {
    const rows = json<UsageJsonRow[]>('usage');
    const bySession = new Map(rows.map((row) => [row.key, row]));
    const origin = bySession.get(stableOf(O));
    expect(origin).toMatchObject({
      label: 'add the cart totals endpoint',
      sessions: 1,
      responses: 3,
      tokens: { input: 1008, output: 550, cacheWrite5m: 400, cacheWrite1h: 600, cacheRead: 41000 },
    });
    expect(origin?.cost).toBeCloseTo(ORIGIN_COST, 10);
    expect(origin?.models.map((m) => [m.model, m.responses])).toEqual([
      ['claude-haiku-4-5-20251001', 1],
      [SONNET, 2],
    ]);
    const fork = bySession.get(stableOf(F));
    expect(fork).toMatchObject({ responses: 1, tokens: { input: 10, output: 1000, cacheRead: 0 } });
    expect(fork?.cost).toBeCloseTo(FORK_COST, 10);
    expect(bySession.get(stableOf(U))).toMatchObject({
      responses: 1,
      tokens: { input: 70, output: 30 },
      cost: null,
    });
    expect(rows).toHaveLength(3);
  });

  it('by task: what the work cost across its sessions; unknown when a model has no price', () => {
    const rows = json<UsageJsonRow[]>('usage', '--by', 'task');
    expect(rows.map((row) => [row.key, row.sessions, row.responses])).toEqual([
      ['T-1', 2, 4],
      ['T-2', 1, 1],
    ]);
    expect(rows[0]?.cost).toBeCloseTo(ORIGIN_COST + FORK_COST, 10);
    expect(rows[1]?.cost).toBeNull();
  });

  it('by day and by model, with --since', () => {
    const days = json<UsageJsonRow[]>('usage', '--by', 'day');
    expect(days.map((row) => [row.key, row.responses])).toEqual([
      ['2026-11-02', 3],
      ['2026-11-03', 2],
    ]);
    const since = json<UsageJsonRow[]>('usage', '--by', 'model', '--since', '2026-11-03');
    expect(since.map((row) => [row.key, row.responses, row.tokens.output]).sort()).toEqual([
      ['claude-nova-9', 1, 30],
      ['claude-opus-4-5-20251101', 1, 1000],
    ]);
  });

  it('prints a table with a total, marks unknown costs, and takes a user price file', () => {
    const text = cli('usage', '--by', 'task');
    expect(text.status, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/^task +sessions +responses +input +output/m);
    expect(text.stdout).toMatch(/^T-2 .*unknown$/m);
    expect(text.stdout).toMatch(/^total +3 +5 /m);
    expect(text.stdout).toMatch(/prices: .+/);

    const prices = join(home, 'prices.json');
    writeFileSync(
      prices,
      JSON.stringify({
        'claude-nova-9': { input: 1, output: 2, cacheWrite5m: 0, cacheWrite1h: 0, cacheRead: 0 },
      }),
    );
    const priced = json<UsageJsonRow[]>('usage', '--by', 'model', '--prices', prices);
    expect(priced.find((row) => row.key === 'claude-nova-9')?.cost).toBeCloseTo(
      (70 * 1 + 30 * 2) / 1e6,
      12,
    );
    writeFileSync(prices, JSON.stringify({ 'claude-nova-9': { input: -1 } }));
    const bad = cli('usage', '--prices', prices);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(
      /price file .*prices\.json: price of "claude-nova-9": input must be/,
    );
  });

  it('show has a usage block and find --cost a cost column, the same numbers', () => {
    const shown = json<{ usage: UsageJsonRow | null }>('show', O);
    expect(shown.usage).toMatchObject({ responses: 3, tokens: { input: 1008, output: 550 } });
    expect(shown.usage?.cost).toBeCloseTo(ORIGIN_COST, 10);
    expect(cli('show', O).stdout).toMatch(/\nusage\n(.*\n)* {2}cost +\$0\.03\n/);
    const found = json<{ stable_id: string; cost: number | null }[]>('find', '--cost');
    const costs = new Map(found.map((s) => [s.stable_id, s.cost]));
    expect(costs.get(stableOf(F))).toBeCloseTo(FORK_COST, 10);
    expect(costs.get(stableOf(U))).toBeNull();
    expect(cli('find', '--cost').stdout).toMatch(/^stable_id +label +state +outcome +cost/m);
  });

  it('outlives the agent deleting a transcript (computed from the archive)', () => {
    const before = json<UsageJsonRow[]>('usage');
    rmSync(join(home, '.claude', 'projects', '-home-u-shop', `${O}.jsonl`));
    expect(json<UsageJsonRow[]>('usage')).toEqual(before);
  });

  it("catches up only from the store's log since its last look, as search does", () => {
    // an event recorded since the last catch-up: the log is past what it read
    expect(cli('link', U, '--task', 'T-3').status).toBe(0);
    const logBytes = statSync(join(store, 'sessions-db-events.jsonl')).size;
    const markNow = (): number | undefined => {
      const index = openContentIndexReadOnly(join(store, 'sessions-db-content.sqlite'));
      try {
        return index === null ? undefined : readContentMark(index, CATCH_UP_LOG_MARK);
      } finally {
        index?.close();
      }
    };
    expect(markNow() ?? 0).toBeLessThan(logBytes);
    expect(cli('usage').status).toBe(0);
    expect(markNow()).toBe(logBytes);
  });

  it('sees the usage a transcript gained since it was imported', () => {
    const stableU = stableOf(U);
    const responsesOfU = (): number | undefined =>
      json<UsageJsonRow[]>('usage').find((row) => row.key === stableU)?.responses;
    expect(responsesOfU()).toBe(1);
    appendFileSync(
      join(home, '.claude', 'projects', '-home-u-shop', `${U}.jsonl`),
      jsonl(
        turn(U, 32, uuid(31), '2026-11-03T12:01', 'and the release notes', {
          id: 'msg_31',
          req: 'req_31',
          model: 'claude-nova-9',
          usage: { input_tokens: 5, output_tokens: 9 },
        }),
      ),
    );
    expect(responsesOfU()).toBe(2);
  });
});
