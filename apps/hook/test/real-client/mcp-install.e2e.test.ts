// `sessions-db mcp install` checked by the real Claude Code (pinned versions, offline): after our
// install, `claude mcp get` / `claude mcp list` find the server in the scope we wrote, start the
// BUILT `sessions-db mcp` and connect to it; `claude mcp add` sees the same entry; after
// `mcp uninstall` it is gone. Then a model (the Messages API stand-in) calls search_sessions
// through Claude Code, and the answer Claude Code hands back holds the session it found.
import { spawnSync } from 'node:child_process';
import { mkdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

import { CLAUDE_EXAMPLE_PROJECTS } from '@sessions-db/vitest-config/fixtures';
import {
  CLI_BIN,
  REAL_CLIENT_VERSIONS,
  claudeBinary,
  cli,
  cliJson,
  createClientWorld,
  removeClientWorld,
  runPrint,
} from './support/claude-client.js';
import type { ClientWorld } from './support/claude-client.js';
import { STAND_IN_REPLY, startMessagesStandIn } from './support/messages-stand-in.js';

const available = REAL_CLIENT_VERSIONS.filter((version) => claudeBinary(version) !== null);
const worlds: ClientWorld[] = [];
afterAll(() => {
  for (const world of worlds) removeClientWorld(world);
});

/** A world whose PATH finds the built CLI as `sessions-db` (what the installed entry runs). */
function worldWithCli(version: string, baseUrl = 'http://127.0.0.1:9'): ClientWorld {
  // Without a stand-in no model is called: the Messages API address is never used.
  const base = createClientWorld(version, baseUrl, 'plugin');
  worlds.push(base);
  const bin = join(base.root, 'bin');
  mkdirSync(bin);
  symlinkSync(CLI_BIN, join(bin, 'sessions-db'));
  return { ...base, env: { ...base.env, PATH: `${bin}:${base.env['PATH'] ?? ''}` } };
}

function claude(world: ClientWorld, ...args: string[]): { code: number | null; out: string } {
  const run = spawnSync(world.claude, args, {
    cwd: world.project,
    env: world.env,
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { code: run.status, out: `${run.stdout}${run.stderr}` };
}

describe.skipIf(available.length === 0)('mcp install, seen by the real Claude Code', () => {
  it.each(available)('claude %s finds, starts and connects to the installed server', (version) => {
    const world = worldWithCli(version);
    const installed = cliJson<{ action: string; server: { args: string[] } }>(
      world,
      'mcp',
      'install',
    );
    expect(installed.action).toBe('installed');
    // SESSIONS_DB_ROOT chose the store for that run: the entry serves it.
    expect(installed.server.args).toEqual(['--store', world.storeDir, 'mcp']);

    const user = claude(world, 'mcp', 'get', 'sessions-db');
    expect(user.code, user.out).toBe(0);
    expect(user.out).toMatch(/Scope: User config/);
    expect(user.out).toMatch(/Status: \S+ Connected/);
    expect(user.out).toContain(`Args: --store ${world.storeDir} mcp`);
    const list = claude(world, 'mcp', 'list');
    expect(list.out).toMatch(/sessions-db: sessions-db --store \S+ mcp - \S+ Connected/);

    // `claude mcp add` sees our entry where it would have written its own.
    const add = claude(world, 'mcp', 'add', '--scope', 'user', 'sessions-db', '--', 'x');
    expect(add.code).not.toBe(0);
    expect(add.out).toMatch(/already exists in user config/);

    cli(world, 'mcp', 'install', '--scope', 'local');
    const local = claude(world, 'mcp', 'get', 'sessions-db');
    expect(local.out).toMatch(/Scope: Local config/);
    expect(local.out).toMatch(/Status: \S+ Connected/);

    cli(world, 'mcp', 'uninstall', '--scope', 'local');
    cli(world, 'mcp', 'uninstall');
    const gone = claude(world, 'mcp', 'get', 'sessions-db');
    expect(gone.code).not.toBe(0);
    expect(gone.out).toMatch(/No MCP server named "sessions-db"/);
  });

  it.each(available)(
    'claude %s: a model calls search_sessions and gets the session back',
    async (version) => {
      const tool = 'mcp__sessions-db__search_sessions';
      const standIn = await startMessagesStandIn({
        toolCall: { name: tool, input: { query: 'CheckoutPage', limit: 3 } },
      });
      try {
        const base = worldWithCli(version, standIn.baseUrl);
        // 2.1.332 offers MCP tools only through its ToolSearch tool (measured: the first request
        // lists ToolSearch and a placeholder); with tool search off it offers them directly.
        const world = { ...base, env: { ...base.env, ENABLE_TOOL_SEARCH: 'false' } };
        cli(world, 'import', '--from', CLAUDE_EXAMPLE_PROJECTS);
        cli(world, 'mcp', 'install');
        const run = await runPrint(
          world,
          'Which past session split CheckoutPage?',
          '--allowedTools',
          tool,
        );
        expect(run.code, run.stderr).toBe(0);
        expect(run.stdout).toContain(STAND_IN_REPLY);
        const [result] = standIn.toolResults();
        expect(JSON.stringify(result)).toContain('Split CheckoutPage into components');
        expect(JSON.stringify(result)).toContain('24ed44c2-375c-431a-94e6-28a399e663b9');
      } finally {
        await standIn.close();
      }
    },
  );
});
