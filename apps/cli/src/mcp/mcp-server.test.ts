// The MCP server in-process, spoken to by the SDK's own Client over its in-memory transport, on a
// real store imported from the example history (Claude Code) and the Codex fixture home.
import { appendFileSync, cpSync, existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { openContentIndex } from '@sessions-db/content';
import { describe, expect, it, onTestFinished } from 'vitest';
import { snapshotFiles } from '@sessions-db/vitest-config/file-snapshot';
import { CODEX_FIXTURE_HOME, exampleStore } from '../test-support/harness.js';
import type { CliDeps } from '../cli-deps.js';
import { createMcpServer } from './create-mcp-server.js';

const API = '-home-alex-code-acme-api';
const F3 = 'f3c6fd46-875c-4307-a483-67e5a4e7788d'; // fork of ee73, 13 message rows
const CHECKOUT = '24ed44c2-375c-431a-94e6-28a399e663b9';
const CODEX_A = '019a3c10-0a00-7000-8000-00000000000a';

/** One tool call's outcome: the JSON document it answered and whether it is an error. */
interface Answer {
  readonly isError: boolean;
  readonly text: string;
  readonly data: unknown;
  readonly structured: unknown;
}

async function connect(deps: CliDeps, store: string): Promise<Client> {
  const { server } = createMcpServer(deps, { location: { store } });
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await server.connect(serverSide);
  const client = new Client({ name: 'sessions-db-test', version: '0.0.0' });
  await client.connect(clientSide);
  onTestFinished(() => client.close());
  return client;
}

async function call(client: Client, name: string, args: Record<string, unknown>): Promise<Answer> {
  const result = await client.callTool({ name, arguments: args });
  const content = result.content as { type: string; text: string }[];
  expect(content).toHaveLength(1);
  const text = content[0]?.text ?? '';
  let data: unknown;
  try {
    data = JSON.parse(text) as unknown;
  } catch {
    data = undefined;
  }
  return { isError: result.isError === true, text, data, structured: result.structuredContent };
}

const snapshot = snapshotFiles;

/** The example history and the Codex fixtures imported into a temp store, and a client on it. */
async function importedStore() {
  const home = exampleStore();
  cpSync(CODEX_FIXTURE_HOME, join(home.home, '.codex'), { recursive: true });
  const f3 = join(home.projects, API, `${F3}.jsonl`);
  const lines = readFileSync(f3, 'utf8').trimEnd().split('\n');
  const last = JSON.parse(lines.at(-1) ?? '{}') as { uuid?: string };
  appendFileSync(
    f3,
    `${JSON.stringify({
      parentUuid: last.uuid ?? null,
      isSidechain: false,
      type: 'user',
      message: { role: 'user', content: 'deploy it with the key AKIAIOSFODNN7EXAMPLE please' },
      uuid: '6a1c0d52-3f0e-4e5e-9d0b-6c1f2a3b4c5d',
      timestamp: '2026-03-04T17:00:00.000Z',
      sessionId: F3,
      cwd: '/home/alex/code/acme-api',
    })}\n`,
  );
  const imported = await home.run('import', '--quiet');
  expect(imported.exitCode, imported.stderr).toBe(0);
  const json = async <T>(...argv: string[]): Promise<T> => {
    const result = await home.run(...argv, '--json');
    expect(result.exitCode, result.stdout).toBe(0);
    return JSON.parse(result.stdout) as T;
  };
  const client = await connect(home.deps, home.storeDir);
  return { ...home, json, client, f3 };
}

describe('sessions-db mcp (in-process)', () => {
  it('lists five read-only tools with typed input schemas', async () => {
    const { client } = await importedStore();
    expect(client.getServerVersion()?.name).toBe('sessions-db');
    const { tools } = await client.listTools();
    expect(tools.map((tool) => tool.name)).toEqual([
      'search_sessions',
      'find_sessions',
      'show_session',
      'session_tree',
      'session_messages',
    ]);
    for (const tool of tools) {
      expect(tool.annotations?.readOnlyHint, tool.name).toBe(true);
      expect(tool.inputSchema.type).toBe('object');
    }
    const schema = (name: string) => tools.find((tool) => tool.name === name)?.inputSchema;
    expect(schema('search_sessions')?.required).toEqual(['query']);
    expect(schema('find_sessions')?.required ?? []).toEqual([]);
    expect(schema('session_messages')?.required).toEqual(['session']);
    expect(schema('search_sessions')?.properties?.['agent']).toMatchObject({
      enum: ['claude', 'codex'],
    });
  });

  it('answers with the data of the CLI commands: find, show, tree and search', async () => {
    const { client, json } = await importedStore();
    const found = await call(client, 'find_sessions', { limit: 3 });
    expect(found.isError).toBe(false);
    expect(found.structured).toEqual(found.data);
    const sessions = (found.data as { sessions: { stable_id: string; label: string | null }[] })
      .sessions;
    const cliFound = await json<{ stable_id: string }[]>('find', '--limit', '3');
    expect(sessions.map((s) => s.stable_id)).toEqual(cliFound.map((s) => s.stable_id));

    const codex = await call(client, 'find_sessions', { agent: 'codex', limit: 200 });
    const codexIds = (codex.data as { sessions: { agent: string }[] }).sessions;
    expect(codexIds.length).toBe(
      (await json<unknown[]>('find', '--agent', 'codex', '--all')).length,
    );
    expect(new Set(codexIds.map((s) => s.agent))).toEqual(new Set(['codex']));

    const show = await call(client, 'show_session', { session: F3 });
    expect(show.data).toEqual(await json('show', F3));

    const tree = await call(client, 'session_tree', { session: F3, ancestors: true });
    expect(tree.data).toEqual(await json('tree', F3, '--ancestors'));
    expect((tree.data as { ancestors: unknown[] }).ancestors).toHaveLength(1);

    // `search` catches the index up first; after that both see the same index.
    const cliHits = await json<{ stable_id: string }[]>('search', 'checkout');
    const hits = await call(client, 'search_sessions', { query: 'checkout' });
    expect(hits.data).toEqual({ hits: cliHits });
    expect(cliHits.length).toBeGreaterThan(1);

    const scoped = await call(client, 'search_sessions', {
      query: 'checkout',
      agent: 'codex',
      role: 'user',
      limit: 1,
    });
    const scopedHits = (scoped.data as { hits: { stable_id: string; role: string }[] }).hits;
    expect(scopedHits).toHaveLength(1);
    expect(scopedHits[0]?.role).toBe('user');
    const codexSession = await json<{ session: { agent: string } }>(
      'show',
      scopedHits[0]?.stable_id ?? '',
    );
    expect(codexSession.session.agent).toBe('codex');

    const inOne = await call(client, 'search_sessions', { query: 'checkout', session: CHECKOUT });
    expect((inOne.data as { hits: { claude_session_id: string }[] }).hits).toMatchObject([
      { claude_session_id: CHECKOUT },
    ]);
  });

  it('reads only: a transcript that grew is not indexed by it, and no store file changes', async () => {
    const { client, storeDir, f3, json } = await importedStore();
    appendFileSync(
      f3,
      `${JSON.stringify({
        parentUuid: '6a1c0d52-3f0e-4e5e-9d0b-6c1f2a3b4c5d',
        type: 'user',
        message: { role: 'user', content: 'zanzibarword appears only now' },
        uuid: '7b2d1e63-4a1f-4f6f-8e1c-7d2a3b4c5d6e',
        timestamp: '2026-03-04T17:05:00.000Z',
        sessionId: F3,
      })}\n`,
    );
    const before = snapshot(storeDir);
    for (const [name, args] of [
      ['search_sessions', { query: 'zanzibarword' }],
      ['find_sessions', {}],
      ['show_session', { session: F3 }],
      ['session_tree', { session: F3 }],
      ['session_messages', { session: F3, limit: 100 }],
    ] as const) {
      const answer = await call(client, name, args);
      expect(answer.isError, answer.text).toBe(false);
      if (name === 'search_sessions') expect(answer.data).toEqual({ hits: [] });
    }
    expect(snapshot(storeDir)).toEqual(before);
    expect(await json<unknown[]>('search', 'zanzibarword')).toHaveLength(1);
    expect(await call(client, 'search_sessions', { query: 'zanzibarword' })).toMatchObject({
      data: { hits: [{ claude_session_id: F3 }] },
    });
  });

  it('reads only, also from a content index made before usage was indexed (no usage tables)', async () => {
    const { client, storeDir } = await importedStore();
    const old = openContentIndex(join(storeDir, 'sessions-db-content.sqlite'));
    old.db.exec('DROP TABLE usage_responses; DROP TABLE usage_files');
    old.close();
    const before = snapshot(storeDir);
    const show = await call(client, 'show_session', { session: F3 });
    expect(show.isError, show.text).toBe(false);
    expect(show.data).toMatchObject({ usage: null });
    expect(snapshot(storeDir)).toEqual(before);
  });

  it('pages a session from the archive, after its transcript is deleted, with credentials redacted', async () => {
    const { client, f3 } = await importedStore();
    rmSync(f3);
    const first = await call(client, 'session_messages', { session: F3, limit: 5 });
    const page = first.data as {
      total: number;
      next_offset: number | null;
      not_archived: string[];
      messages: { transcript: string; role: string; text: string }[];
    };
    expect(page.total).toBe(14);
    expect(page.messages).toHaveLength(5);
    expect(page.next_offset).toBe(5);
    expect(page.not_archived).toEqual([]);
    expect(page.messages[0]).toMatchObject({
      transcript: f3,
      role: 'user',
      text: 'the login redirect loops forever after the OAuth callback, can you find out why?',
    });
    const texts: string[] = page.messages.map((m) => m.text);
    for (let offset = page.next_offset; offset !== null;) {
      const next = (await call(client, 'session_messages', { session: F3, offset, limit: 5 }))
        .data as typeof page;
      texts.push(...next.messages.map((m) => m.text));
      offset = next.next_offset;
    }
    expect(texts).toHaveLength(14);
    expect(texts.at(-1)).toBe('deploy it with the key [REDACTED:aws-access-key] please');
    expect(JSON.stringify(texts)).not.toContain('AKIAIOSFODNN7EXAMPLE');

    const past = await call(client, 'session_messages', { session: F3, offset: 99 });
    expect(past.data).toMatchObject({ total: 14, messages: [], next_offset: null });

    const codex = await call(client, 'session_messages', { session: CODEX_A, agent: 'codex' });
    const codexPage = codex.data as { total: number; messages: { text: string }[] };
    expect(codexPage.total).toBeGreaterThan(0);
    expect(codexPage.messages.map((m) => m.text)).toContain('Add a checkout page to the shop');
  });

  it('answers bad input and unknown sessions with tool errors, never a crash', async () => {
    const { client } = await importedStore();
    const unknown = await call(client, 'show_session', { session: 'no-such-session' });
    expect(unknown).toMatchObject({
      isError: true,
      data: { ok: false, error: { code: 'NOT_FOUND' } },
    });
    expect(
      (await call(client, 'session_messages', { session: 'no-such-session' })).data,
    ).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    const otherAgent = await call(client, 'session_tree', { session: CODEX_A, agent: 'claude' });
    expect(otherAgent.data).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect((await call(client, 'search_sessions', { query: '"unterminated' })).data).toMatchObject({
      ok: false,
      error: { code: 'INVALID_QUERY' },
    });
    expect((await call(client, 'find_sessions', { since: 'last tuesday' })).data).toMatchObject({
      ok: false,
      error: { code: 'INVALID_ARGUMENT' },
    });

    for (const [name, args, field] of [
      ['search_sessions', {}, 'query'],
      ['search_sessions', { query: 'x', role: 'robot' }, 'role'],
      ['find_sessions', { limit: 0 }, 'limit'],
      ['find_sessions', { limit: 'ten' }, 'limit'],
      ['find_sessions', { agent: 'gemini' }, 'agent'],
      ['session_messages', { session: F3, offset: -1 }, 'offset'],
      ['session_messages', { session: F3, limit: 101 }, 'limit'],
    ] as const) {
      const answer = await call(client, name, args);
      expect(answer.isError, `${name} ${JSON.stringify(args)}`).toBe(true);
      expect(answer.text).toMatch(/Input validation error/);
      expect(answer.text).toContain(field);
    }
    const noTool = await call(client, 'write_session', {});
    expect(noTool.isError).toBe(true);
    expect(noTool.text).toMatch(/write_session not found/);
    // Still serving.
    expect((await call(client, 'find_sessions', { limit: 1 })).isError).toBe(false);
  });

  it('on a store that does not exist yet: no sessions, search says so, and nothing is created', async () => {
    const home = exampleStore();
    const store = join(home.home, 'no-store-yet');
    const client = await connect(home.deps, store);
    expect((await call(client, 'find_sessions', {})).data).toEqual({ sessions: [] });
    expect(await call(client, 'search_sessions', { query: 'checkout' })).toMatchObject({
      isError: true,
      data: { ok: false, error: { code: 'STORE_UNAVAILABLE' } },
    });
    expect(existsSync(store)).toBe(false);
  });
});
