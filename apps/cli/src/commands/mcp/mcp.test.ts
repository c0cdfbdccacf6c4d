import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { testGit } from '@sessions-db/vitest-config/git';
import { describe, expect, it, onTestFinished } from 'vitest';
import { createDeps } from '../../create-deps.js';
import { NOW, createFixedStore, memoryDeps, runCli, tempDir } from '../../test-support/harness.js';

/** A temp HOME with a project directory (a git repository with a subdirectory and a worktree). */
function setup(env: Record<string, string> = {}) {
  const { dir, cleanup } = tempDir('sdb-mcp-install-');
  onTestFinished(cleanup);
  const project = join(dir, 'project');
  mkdirSync(join(project, 'sub'), { recursive: true });
  const make = (cwd: string) =>
    createDeps({
      env: { HOME: dir, PATH: process.env['PATH'] ?? '', ...env },
      cwd,
      now: () => NOW,
      isTTY: { stdout: false, stderr: false },
      columns: undefined,
      resolveHookCommand: () => ({ command: 'sessions-db-hook', binPath: null }),
    });
  const runIn = (cwd: string, ...argv: string[]) => runCli(argv, make(cwd));
  const run = (...argv: string[]) => runIn(project, ...argv);
  const claudeJson = join(dir, '.claude.json');
  const read = (path: string): Record<string, unknown> =>
    JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
  return { dir, project, run, runIn, claudeJson, read };
}

function git(cwd: string, ...args: string[]): void {
  testGit(cwd, args);
}

/** What `claude mcp add --scope user sessions-db -- sessions-db mcp` writes (2.1.332). */
const ENTRY = { type: 'stdio', command: 'sessions-db', args: ['mcp'], env: {} };

const EXISTING = `{
  "numStartups": 12,
  "mcpServers": {
    "other": {
      "type": "stdio",
      "command": "other-server",
      "args": [],
      "env": {}
    }
  },
  "projects": {
    "/somewhere/else": {
      "allowedTools": []
    }
  }
}`;

describe('mcp', () => {
  it('refuses to serve where it cannot own stdin and stdout (in-process)', async () => {
    const result = await runCli(['mcp', '--json'], memoryDeps(createFixedStore()));
    expect(result.exitCode).toBe(1);
    expect(JSON.parse(result.stdout)).toMatchObject({ ok: false, error: { code: 'CANNOT_SERVE' } });
  });
});

describe('mcp install / uninstall', () => {
  it('adds the server to ~/.claude.json as claude mcp add does, keeping every other key; twice changes nothing', async () => {
    const { run, claudeJson, read, dir } = setup();
    writeFileSync(claudeJson, EXISTING, { mode: 0o644 });
    const first = await run('mcp', 'install', '--json');
    expect(first.exitCode, first.stdout).toBe(0);
    const done = JSON.parse(first.stdout) as Record<string, unknown>;
    expect(done).toMatchObject({
      ok: true,
      action: 'installed',
      scope: 'user',
      config_path: claudeJson,
      server: ENTRY,
      claude_command: 'claude mcp add --scope user sessions-db -- sessions-db mcp',
    });
    const after = read(claudeJson);
    const before = JSON.parse(EXISTING) as Record<string, unknown>;
    expect(after).toEqual({
      ...before,
      mcpServers: { ...(before['mcpServers'] as object), 'sessions-db': ENTRY },
    });
    // The file keeps its mode and its layout (two spaces, no final newline, as Claude Code writes it).
    expect(statSync(claudeJson).mode & 0o777).toBe(0o644);
    expect(readFileSync(claudeJson, 'utf8').endsWith('}')).toBe(true);
    expect(readFileSync(done['backup_path'] as string, 'utf8')).toBe(EXISTING);

    const bytes = readFileSync(claudeJson, 'utf8');
    const backups = readdirSync(dir).length;
    const again = await run('mcp', 'install');
    expect(again.exitCode).toBe(0);
    expect(again.stdout).toMatch(/^ok: the sessions-db MCP server is already in /);
    expect(readFileSync(claudeJson, 'utf8')).toBe(bytes);
    expect(readdirSync(dir)).toHaveLength(backups);
  });

  it('creates ~/.claude.json (0600) when there is none, and writes the chosen store and command into the entry', async () => {
    const { run, claudeJson, read, dir } = setup();
    const store = join(dir, 'my-store');
    const result = await run('--store', store, 'mcp', 'install', '--command', '/opt/bin/sdb');
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stdout).toContain(`ok: installed the sessions-db MCP server in ${claudeJson}`);
    expect(result.stdout).toContain(`command: /opt/bin/sdb --store ${store} mcp`);
    expect(read(claudeJson)).toEqual({
      mcpServers: {
        'sessions-db': {
          type: 'stdio',
          command: '/opt/bin/sdb',
          args: ['--store', store, 'mcp'],
          env: {},
        },
      },
    });
    expect(statSync(claudeJson).mode & 0o777).toBe(0o600);
    // The same server from the default store is another entry: updated in place.
    const updated = JSON.parse((await run('mcp', 'install', '--json')).stdout) as {
      action: string;
    };
    expect(updated.action).toBe('updated');
    expect(read(claudeJson)).toEqual({ mcpServers: { 'sessions-db': ENTRY } });
  });

  it('--dry-run says what would change and writes nothing', async () => {
    const { run, claudeJson } = setup();
    writeFileSync(claudeJson, EXISTING);
    const dry = await run('mcp', 'install', '--dry-run');
    expect(dry.exitCode).toBe(0);
    expect(dry.stdout).toBe(
      `[dry-run] would add the sessions-db MCP server in ${claudeJson} (user scope)\n` +
        '  command: sessions-db mcp\n' +
        '  same as: claude mcp add --scope user sessions-db -- sessions-db mcp\n',
    );
    expect(readFileSync(claudeJson, 'utf8')).toBe(EXISTING);
    const json = JSON.parse((await run('mcp', 'install', '--dry-run', '--json')).stdout) as {
      dry_run: boolean;
      action: string;
    };
    expect(json).toMatchObject({ dry_run: true, action: 'installed' });
    await run('mcp', 'install');
    const removal = await run('mcp', 'uninstall', '--dry-run');
    expect(removal.stdout).toMatch(/^\[dry-run\] would remove the sessions-db MCP server from /);
    expect(JSON.parse(readFileSync(claudeJson, 'utf8'))).toMatchObject({
      mcpServers: { 'sessions-db': ENTRY },
    });
  });

  it('project scope writes .mcp.json in the current directory; local scope files it under the git project in ~/.claude.json', async () => {
    const { run, runIn, project, dir, claudeJson, read } = setup();
    expect((await run('mcp', 'install', '--scope', 'project')).exitCode).toBe(0);
    expect(read(join(project, '.mcp.json'))).toEqual({ mcpServers: { 'sessions-db': ENTRY } });
    expect(statSync(join(project, '.mcp.json')).mode & 0o777).toBe(0o644);

    // Not a repository: the directory itself.
    expect((await runIn(join(project, 'sub'), 'mcp', 'install', '--scope', 'local')).exitCode).toBe(
      0,
    );
    // In a repository (from a subdirectory, or a linked worktree): its main working tree.
    const repo = join(dir, 'repo');
    mkdirSync(join(repo, 'deep', 'er'), { recursive: true });
    git(repo, 'init', '-q', '.');
    git(repo, 'commit', '-q', '--allow-empty', '-m', 'init');
    git(repo, 'worktree', 'add', '-q', join(dir, 'wt'));
    expect(
      (await runIn(join(repo, 'deep', 'er'), 'mcp', 'install', '--scope', 'local')).exitCode,
    ).toBe(0);
    const fromWorktree = await runIn(join(dir, 'wt'), 'mcp', 'install', '--scope', 'local');
    expect(fromWorktree.stdout).toMatch(/already in /);

    const projects = read(claudeJson)['projects'] as Record<string, { mcpServers: unknown }>;
    expect(Object.keys(projects).sort()).toEqual([join(project, 'sub'), repo].sort());
    for (const entry of Object.values(projects))
      expect(entry.mcpServers).toEqual({ 'sessions-db': ENTRY });
    expect(read(claudeJson)['mcpServers']).toBeUndefined();

    const gone = await runIn(join(repo, 'deep'), 'mcp', 'uninstall', '--scope', 'local', '--json');
    expect(JSON.parse(gone.stdout)).toMatchObject({ removed: true, scope: 'local' });
    expect(
      (read(claudeJson)['projects'] as Record<string, { mcpServers: unknown }>)[repo]?.mcpServers,
    ).toEqual({});
  });

  it('uses CLAUDE_CONFIG_DIR/.claude.json when that is set', async () => {
    const { dir } = setup();
    const config = join(dir, 'config');
    const { run } = setup({ CLAUDE_CONFIG_DIR: config });
    expect((await run('mcp', 'install')).exitCode).toBe(0);
    expect(JSON.parse(readFileSync(join(config, '.claude.json'), 'utf8'))).toEqual({
      mcpServers: { 'sessions-db': ENTRY },
    });
  });

  it('uninstall removes only its own server; a second time there is nothing to remove', async () => {
    const { run, claudeJson, read } = setup();
    writeFileSync(claudeJson, EXISTING);
    await run('mcp', 'install');
    const removed = await run('mcp', 'uninstall');
    expect(removed.exitCode).toBe(0);
    expect(removed.stdout).toMatch(
      /^ok: removed the sessions-db MCP server from .*\n {2}backup: {2}\S+\.bak-/,
    );
    expect(read(claudeJson)).toEqual(JSON.parse(EXISTING));
    const again = JSON.parse((await run('mcp', 'uninstall', '--json')).stdout) as {
      removed: boolean;
    };
    expect(again.removed).toBe(false);
    const nothing = await run('mcp', 'uninstall', '--scope', 'project');
    expect(nothing.stdout).toMatch(/is not in .*\.mcp\.json \(project scope\)/);
  });

  it('refuses a configuration it cannot read safely, and a bad scope, changing nothing', async () => {
    const { run, claudeJson } = setup();
    writeFileSync(claudeJson, '{ "numStartups": 3, ');
    const broken = await run('mcp', 'install', '--json');
    expect(broken.exitCode).toBe(1);
    expect(JSON.parse(broken.stdout)).toMatchObject({ error: { code: 'SETTINGS_INVALID' } });
    expect(readFileSync(claudeJson, 'utf8')).toBe('{ "numStartups": 3, ');

    writeFileSync(claudeJson, '{"mcpServers": ["not", "an", "object"]}');
    const shape = await run('mcp', 'install');
    expect(shape.exitCode).toBe(1);
    expect(shape.stderr).toMatch(/refusing to edit .*mcpServers is not a JSON object/);
    expect(readFileSync(claudeJson, 'utf8')).toBe('{"mcpServers": ["not", "an", "object"]}');

    const scope = await run('mcp', 'install', '--scope', 'global');
    expect(scope.exitCode).toBe(2);
    expect(scope.stderr).toMatch(/scope/);
    expect(existsSync(join(claudeJson, '..', 'project', '.mcp.json'))).toBe(false);
  });
});
