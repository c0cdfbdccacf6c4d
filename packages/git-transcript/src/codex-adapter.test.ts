import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  claudeAdapter,
  codexAdapter,
  listCodexRollouts,
  readCodexRolloutMeta,
  readCodexSessionIndex,
  readTranscriptMeta,
} from './index.js';
import type { AgentItem } from './index.js';

const HOME = join(import.meta.dirname, 'fixtures', 'codex-home');
const A = '019a3c10-0a00-7000-8000-00000000000a';
const F = '019a3c10-0f00-7000-8000-00000000000f';
const S = '019a3c10-0500-7000-8000-000000000005';
const L = '019a3c10-0100-7000-8000-000000000001';
const Z = '019a3c10-0200-7000-8000-000000000002';
const P = '019a3c10-0300-7000-8000-000000000003';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

function rolloutOf(id: string): string {
  const found = listCodexRollouts(HOME).rollouts.find((r) => r.sessionId === id);
  if (found === undefined) throw new Error(`no rollout ${id}`);
  return found.path;
}

async function itemsOf(path: string): Promise<AgentItem[]> {
  const items: AgentItem[] = [];
  for await (const item of codexAdapter.streamItems(path)) items.push(item);
  return items;
}

describe('listCodexRollouts', () => {
  it('lists dated and archived rollouts, plain and compressed, a plain file winning over its .zst sibling', () => {
    const { rollouts, errors } = listCodexRollouts(HOME);
    expect(errors).toEqual([]);
    expect(rollouts.map((r) => r.sessionId).sort()).toEqual([A, F, S, L, Z, P].sort());
    const byId = new Map(rollouts.map((r) => [r.sessionId, r]));
    expect(byId.get(L)).toMatchObject({ archived: true, compressed: false });
    expect(byId.get(Z)).toMatchObject({ archived: false, compressed: true });
    expect(byId.get(P)?.path.endsWith('.jsonl')).toBe(true);
  });

  it('lists nothing for a home that does not exist', () => {
    expect(listCodexRollouts(join(HOME, 'no-such-home'))).toEqual({ rollouts: [], errors: [] });
  });
});

describe('readCodexRolloutMeta', () => {
  it('reads a paginated rollout resumed in the same file: thread, cwd, branch, first prompt, span, usage', () => {
    const meta = readCodexRolloutMeta(rolloutOf(A));
    expect(meta).toMatchObject({
      status: 'ok',
      sessionId: A,
      threadId: A,
      cwd: '/home/dev/shop',
      gitBranch: 'main',
      version: '0.171.0',
      historyMode: 'paginated',
      firstHumanPromptRaw: 'Add a checkout page to the shop',
      firstTimestamp: '2026-11-02T09:00:00.000Z',
      lastTimestamp: '2026-11-02T11:30:04.500Z',
      forkedFrom: null,
      clearedFrom: null,
      parentThreadId: null,
      usage: {
        inputTokens: 3000,
        cachedInputTokens: 900,
        outputTokens: 150,
        reasoningOutputTokens: 30,
        totalTokens: 3150,
      },
    });
  });

  it('reads the explicit fork origin and the sub-agent parent', () => {
    expect(readCodexRolloutMeta(rolloutOf(F))).toMatchObject({
      forkedFromId: A,
      forkedFrom: { sessionId: A, messageUuid: null },
    });
    expect(readCodexRolloutMeta(rolloutOf(S)).parentThreadId).toBe(A);
  });

  it('reads a legacy rollout whose last line is cut, skipping injected context as the first prompt', () => {
    const meta = readCodexRolloutMeta(rolloutOf(L));
    expect(meta).toMatchObject({
      status: 'ok',
      historyMode: 'legacy',
      firstHumanPromptRaw: 'Why does the cart total round wrongly?',
      lastTimestamp: '2026-10-01T08:00:06.500Z',
    });
  });

  it('decompresses a .jsonl.zst rollout', () => {
    expect(readCodexRolloutMeta(rolloutOf(Z))).toMatchObject({
      status: 'ok',
      sessionId: Z,
      firstHumanPromptRaw: 'Rename the shop to store everywhere',
      usage: { totalTokens: 720 },
    });
  });

  it('reads the same facts through small windows as through whole reads', () => {
    const whole = readCodexRolloutMeta(rolloutOf(A));
    const small = readCodexRolloutMeta(rolloutOf(A), { headBytes: 2048, tailBytes: 1024 });
    expect(small.threadId).toBe(whole.threadId);
    expect(small.lastTimestamp).toBe(whole.lastTimestamp);
    expect(small.usage).toEqual(whole.usage);
  });

  it('says missing for no file and corrupted for a compressed file that is not zstd', () => {
    expect(readCodexRolloutMeta(join(HOME, 'nope.jsonl')).status).toBe('missing');
    const dir = mkdtempSync(join(tmpdir(), 'sdb-codex-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const bad = join(dir, `rollout-2026-11-04T14-00-00-${Z}.jsonl.zst`);
    writeFileSync(bad, 'not zstd at all\n');
    expect(readCodexRolloutMeta(bad).status).toBe('corrupted');
  });
});

describe('codexAdapter.streamItems', () => {
  it('yields each message once from a paginated rollout, with tool calls and cumulative usage', async () => {
    const items = await itemsOf(rolloutOf(A));
    expect(items.filter((i) => i.kind === 'message').map((i) => [i.role, i.text])).toEqual([
      ['user', 'Add a checkout page to the shop'],
      ['assistant', 'Added the checkout page.'],
      ['user', 'Now add tests for it'],
      ['assistant', 'Added two tests.'],
    ]);
    expect(items.filter((i) => i.kind === 'tool_call').map((i) => i.name)).toEqual(['shell']);
    expect(items.filter((i) => i.kind === 'usage').map((i) => i.total.totalTokens)).toEqual([
      1280, 3150,
    ]);
  });

  it('reads the legacy encoding (response_item), skipping the cut last line', async () => {
    const items = await itemsOf(rolloutOf(L));
    expect(items.map((i) => (i.kind === 'message' ? i.text : i.kind))).toEqual([
      'Why does the cart total round wrongly?',
      'tool_call',
      'It rounds each line before summing; sum first.',
      'usage',
    ]);
  });

  it('reads the plain file of a plain + compressed pair', async () => {
    const items = await itemsOf(rolloutOf(P));
    expect(items[0]).toMatchObject({ kind: 'message', text: 'Plain copy: bump the version' });
  });
});

describe('readCodexSessionIndex', () => {
  it('keeps the last name of each thread and skips a cut last row', () => {
    const names = readCodexSessionIndex(HOME);
    expect(names.get(A)).toBe('checkout page and tests');
    expect(names.get(F)).toBe('checkout single form');
    expect(names.has(Z)).toBe(false);
  });
});

describe('agent adapters', () => {
  it('the Claude adapter reads what readTranscriptMeta reads, and lists a projects tree', () => {
    const projects = join(import.meta.dirname, 'fixtures', 'claude-home', 'projects');
    const listed = claudeAdapter.listTranscripts(projects);
    expect(listed.transcripts.length).toBeGreaterThan(0);
    const first = listed.transcripts[0];
    if (first === undefined) throw new Error('no transcript');
    expect(claudeAdapter.readMeta(first.path)).toEqual(readTranscriptMeta(first.path));
  });

  it('name their resume commands and homes', () => {
    expect(codexAdapter.resumeCommand(A)).toEqual(['codex', 'resume', A]);
    expect(claudeAdapter.resumeCommand('x')).toEqual(['claude', '--resume', 'x']);
    expect(codexAdapter.resolveHome({ CODEX_HOME: '/c', HOME: '/h' })).toBe('/c');
    expect(codexAdapter.resolveHome({ HOME: '/h' })).toBe(join('/h', '.codex'));
  });

  it('the Codex adapter lists a copied home like listCodexRollouts', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sdb-codex-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    cpSync(HOME, dir, { recursive: true });
    expect(codexAdapter.listTranscripts(dir).transcripts).toHaveLength(6);
    expect(readFileSync(join(dir, 'session_index.jsonl'), 'utf8')).toContain(A);
  });
});
