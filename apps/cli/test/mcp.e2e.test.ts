// End-to-end: the BUILT `sessions-db mcp` (dist/bin.cjs → dist/cli.cjs → dist/mcp.cjs) spoken to
// over stdio by the MCP SDK's own Client, on a store imported from the example history with its
// archive and content index.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import Module from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { snapshotFiles } from '@sessions-db/vitest-config/file-snapshot';
import { CLAUDE_EXAMPLE_PROJECTS } from '@sessions-db/vitest-config/fixtures';
import packageJson from '../package.json' with { type: 'json' };
import { BUILT_CLI, builtCli } from './support/built-cli.js';

const F3 = 'f3c6fd46-875c-4307-a483-67e5a4e7788d';

let home: string;
let store: string;

const env = (): Record<string, string> => ({
  HOME: home,
  PATH: process.env['PATH'] ?? '',
  SESSIONS_DB_CODE_CACHE: '0',
});
const { cli, json } = builtCli(() => home, env);

const snapshot = snapshotFiles;

function answerOf(result: Awaited<ReturnType<Client['callTool']>>): {
  isError: boolean;
  text: string;
  data: unknown;
} {
  const [first] = result.content as { type: string; text: string }[];
  const text = first?.text ?? '';
  let data: unknown;
  try {
    data = JSON.parse(text) as unknown;
  } catch {
    data = undefined;
  }
  return { isError: result.isError === true, text, data };
}

beforeAll(() => {
  home = mkdtempSync(join(tmpdir(), 'sdb-mcp-e2e-'));
  store = join(home, 'store');
  cpSync(CLAUDE_EXAMPLE_PROJECTS, join(home, '.claude', 'projects'), { recursive: true });
  const imported = cli('--store', store, 'import');
  expect(imported.status, imported.stderr).toBe(0);
});
afterAll(() => rmSync(home, { recursive: true, force: true }));

describe('sessions-db mcp (built binary, stdio)', () => {
  it('initializes, lists its tools, answers each, and errs on bad input, writing nothing', async () => {
    const before = snapshot(store);
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [BUILT_CLI, '--store', store, 'mcp'],
      env: env(),
      cwd: home,
      stderr: 'pipe',
    });
    let stderr = '';
    transport.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
    });
    const client = new Client({ name: 'sessions-db-e2e', version: '0.0.0' });
    try {
      await client.connect(transport);
      expect(client.getServerVersion()).toMatchObject({
        name: 'sessions-db',
        version: packageJson.version,
      });
      expect(client.getInstructions()).toMatch(/read-only/);
      const { tools } = await client.listTools();
      expect(tools.map((tool) => tool.name).sort()).toEqual([
        'find_sessions',
        'search_sessions',
        'session_messages',
        'session_tree',
        'show_session',
      ]);

      const call = async (name: string, args: Record<string, unknown>) =>
        answerOf(await client.callTool({ name, arguments: args }));

      const found = await call('find_sessions', { cwd: 'acme-web' });
      expect(found.isError, found.text).toBe(false);
      const cliFound = json<{ stable_id: string }[]>('--store', store, 'find', '--cwd', 'acme-web');
      expect(
        (found.data as { sessions: { stable_id: string }[] }).sessions.map((s) => s.stable_id),
      ).toEqual(cliFound.map((s) => s.stable_id));

      const hits = await call('search_sessions', { query: '"last_login_at column"' });
      expect(hits.data).toEqual({
        hits: json('--store', store, 'search', '"last_login_at column"'),
      });
      expect((hits.data as { hits: unknown[] }).hits.length).toBeGreaterThan(0);

      const show = await call('show_session', { session: F3 });
      expect(show.data).toEqual(json('--store', store, 'show', F3));
      const tree = await call('session_tree', { session: F3 });
      expect(tree.data).toEqual(json('--store', store, 'tree', F3));

      const messages = await call('session_messages', { session: F3, offset: 1, limit: 2 });
      expect(messages.data).toMatchObject({
        offset: 1,
        total: 13,
        next_offset: 3,
        messages: [{ role: 'assistant' }, {}],
      });

      const bad = await call('session_messages', { session: F3, limit: 'all' });
      expect(bad.isError).toBe(true);
      expect(bad.text).toMatch(/Input validation error.*limit/);
      const unknown = await call('show_session', { session: 'sess_nothing-like-this' });
      expect(unknown).toMatchObject({
        isError: true,
        data: { ok: false, error: { code: 'NOT_FOUND' } },
      });
    } finally {
      await client.close();
    }
    expect(stderr).toBe('');
    expect(snapshot(store)).toEqual(before);
  });

  it('answers every request sent before stdin ended, then exits 0', () => {
    const request = (id: number, method: string, params: unknown) =>
      JSON.stringify({ jsonrpc: '2.0', id, method, params });
    const input = [
      request(1, 'initialize', {
        protocolVersion: '2025-06-18',
        capabilities: {},
        clientInfo: { name: 'pipe', version: '1' },
      }),
      JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }),
      request(2, 'tools/call', { name: 'search_sessions', arguments: { query: 'CheckoutPage' } }),
      request(3, 'tools/call', { name: 'session_messages', arguments: { session: F3 } }),
      request(4, 'tools/call', { name: 'show_session', arguments: { session: 'nope' } }),
    ].join('\n');
    const run = spawnSync(process.execPath, [BUILT_CLI, '--store', store, 'mcp'], {
      cwd: home,
      env: env(),
      input: `${input}\n`,
      encoding: 'utf8',
    });
    expect(run.status, run.stderr).toBe(0);
    const responses = run.stdout
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as { id: number; result: { isError?: boolean } });
    expect(responses.map((r) => r.id).sort()).toEqual([1, 2, 3, 4]);
    expect(responses.find((r) => r.id === 4)?.result.isError).toBe(true);
    expect(responses.find((r) => r.id === 3)?.result.isError).toBeUndefined();
  });

  it('stops by itself with exit 0 when stdin ends, printing nothing', () => {
    const run = spawnSync(process.execPath, [BUILT_CLI, '--store', store, 'mcp'], {
      cwd: home,
      env: env(),
      input: '',
      encoding: 'utf8',
    });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toBe('');
  });

  it('starts through the code cache: a first run fills it, a second starts from it', () => {
    const cacheDir = join(home, 'v8-cache');
    const initialize = `${JSON.stringify({
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: {
        protocolVersion: '2025-06-18',
        capabilities: {},
        clientInfo: { name: 'cache', version: '1' },
      },
    })}\n`;
    const start = () =>
      spawnSync(process.execPath, [BUILT_CLI, '--store', store, 'mcp'], {
        cwd: home,
        env: { ...env(), SESSIONS_DB_CODE_CACHE: '1', SESSIONS_DB_CODE_CACHE_DIR: cacheDir },
        input: initialize,
        encoding: 'utf8',
      });
    const first = start();
    expect(first.status, first.stderr).toBe(0);
    expect(first.stdout).toContain('"serverInfo":{"name":"sessions-db"');
    const cached = readdirSync(cacheDir);
    // Node 20 and 21: the launcher's own cache file per bundle; later Node: its compile cache.
    if (!('enableCompileCache' in Module))
      expect(cached.filter((name) => name.startsWith('mcp.cjs-'))).toHaveLength(1);
    else expect(cached.length).toBeGreaterThan(0);
    const second = start();
    expect(second.status, second.stderr).toBe(0);
    expect(second.stdout).toBe(first.stdout);
  });

  it('lives in its own bundle: the CLI bundle other commands run does not hold the SDK', () => {
    const dist = join(BUILT_CLI, '..');
    expect(readFileSync(join(dist, 'cli.cjs'), 'utf8')).not.toMatch(/StdioServerTransport/);
    expect(readFileSync(join(dist, 'mcp.cjs'), 'utf8')).toMatch(/StdioServerTransport/);
  });
});
