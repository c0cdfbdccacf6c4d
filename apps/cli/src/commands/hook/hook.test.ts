import {
  chmodSync,
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createDeps } from '../../create-deps.js';
import { NOW, runCli, tempDir } from '../../test-support/harness.js';

let cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups) cleanup();
  cleanups = [];
});

function setup() {
  const { dir, cleanup } = tempDir();
  cleanups.push(cleanup);
  const project = join(dir, 'project');
  mkdirSync(project);
  const binDir = join(dir, 'bin');
  mkdirSync(binDir);
  const deps = createDeps({
    env: { HOME: dir, PATH: binDir },
    cwd: project,
    now: () => NOW,
    isTTY: { stdout: false, stderr: false },
    columns: undefined,
    resolveHookCommand: () => ({ command: 'sessions-db-hook', binPath: null }),
  });
  const run = (...argv: string[]) => runCli(['--store', join(dir, 'store'), ...argv], deps);
  const userSettings = join(dir, '.claude', 'settings.json');
  return { dir, project, binDir, deps, run, userSettings };
}

const EXISTING = `{
    "model": "opus",
    "hooks": {
        "PreToolUse": [
            {
                "matcher": "Bash",
                "hooks": [
                    {
                        "type": "command",
                        "command": "~/bin/guard.sh"
                    }
                ]
            }
        ]
    }
}
`;

describe('hook install / uninstall / status', () => {
  it('creates the user settings file (directory 0700) when there is none, without a backup', async () => {
    const { run, userSettings, dir } = setup();
    const result = await run('hook', 'install');
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toBe(
      [
        `ok: installed the sessions-db hook in ${userSettings} (user scope)`,
        '  command: sessions-db-hook',
        '  events:  SessionStart (startup|resume|clear|compact|fork), SessionEnd',
        '',
      ].join('\n'),
    );
    expect(result.stderr).toBe(
      "warning: the hook command's target does not exist: sessions-db-hook (Claude Code will report a failing hook until it does)\n",
    );
    expect(JSON.parse(readFileSync(userSettings, 'utf8'))).toEqual({
      hooks: {
        SessionStart: [
          {
            matcher: 'startup|resume|clear|compact|fork',
            hooks: [{ type: 'command', command: 'sessions-db-hook', timeout: 10 }],
          },
        ],
        SessionEnd: [{ hooks: [{ type: 'command', command: 'sessions-db-hook' }] }],
      },
    });
    expect(statSync(join(dir, '.claude')).mode & 0o777).toBe(0o700);
    expect(readdirSync(join(dir, '.claude'))).toEqual(['settings.json']);
  });

  it('merges into an existing file with other hooks: keeps them and the 4-space style, writes a backup first', async () => {
    const { run, userSettings } = setup();
    mkdirSync(join(userSettings, '..'), { recursive: true });
    writeFileSync(userSettings, EXISTING);
    const result = await run('hook', 'install', '--json');
    const report = JSON.parse(result.stdout) as { action: string; backup_path: string };
    expect(report.action).toBe('installed');
    expect(readFileSync(report.backup_path, 'utf8')).toBe(EXISTING);
    expect(report.backup_path).toBe(`${userSettings}.bak-20260310T120000000Z`);
    const text = readFileSync(userSettings, 'utf8');
    expect(
      text.startsWith('{\n    "model": "opus",\n    "hooks": {\n        "PreToolUse": ['),
    ).toBe(true);
    expect(text.endsWith('}\n')).toBe(true);
    const settings = JSON.parse(text) as { hooks: Record<string, unknown> };
    expect(Object.keys(settings.hooks)).toEqual(['PreToolUse', 'SessionStart', 'SessionEnd']);
  });

  it('does not add a duplicate entry when already installed (no write, no backup)', async () => {
    const { run, userSettings } = setup();
    await run('hook', 'install');
    const before = readFileSync(userSettings, 'utf8');
    const again = await run('hook', 'install');
    expect(again.stdout).toBe(
      `ok: the sessions-db hook is already installed in ${userSettings}\n  command: sessions-db-hook\n`,
    );
    expect(readFileSync(userSettings, 'utf8')).toBe(before);
    expect(readdirSync(join(userSettings, '..'))).toEqual(['settings.json']);
  });

  it('refuses a file it cannot parse and leaves it untouched byte for byte (exit 1)', async () => {
    const { run, userSettings } = setup();
    mkdirSync(join(userSettings, '..'), { recursive: true });
    const broken = '{\n  // my settings\n  "model": "opus",\n}\n';
    writeFileSync(userSettings, broken);
    const result = await run('hook', 'install');
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(
      new RegExp(
        `^error: cannot parse ${userSettings.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} as JSON \\(.+\\); the file was not changed`,
      ),
    );
    expect(readFileSync(userSettings, 'utf8')).toBe(broken);
    expect(readdirSync(join(userSettings, '..'))).toEqual(['settings.json']);
    expect((await run('hook', 'uninstall')).exitCode).toBe(1);
    expect(readFileSync(userSettings, 'utf8')).toBe(broken);
  });

  it('uninstall round-trips to the original content', async () => {
    const { run, userSettings } = setup();
    mkdirSync(join(userSettings, '..'), { recursive: true });
    writeFileSync(userSettings, EXISTING);
    await run('hook', 'install');
    const result = await run('hook', 'uninstall');
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toMatch(
      /^ok: removed 2 sessions-db hook entries from .+\n {2}backup: {2}.+\.bak-\d{8}T\d{9}Z(-\d+)?\n$/,
    );
    expect(readFileSync(userSettings, 'utf8')).toBe(EXISTING);
    expect((await run('hook', 'uninstall')).stdout).toBe(
      `ok: the sessions-db hook is not installed in ${userSettings}\n`,
    );
  });

  it('writes the project and local scopes, or --settings PATH, with --command', async () => {
    const { run, project, dir } = setup();
    await run(
      'hook',
      'install',
      '--scope',
      'project',
      '--command',
      'node "/opt/record-session.js"',
    );
    await run('hook', 'install', '--scope', 'local', '--command', 'sessions-db-hook --verbose');
    await run(
      'hook',
      'install',
      '--settings',
      'custom/settings.json',
      '--command',
      'sessions-db-hook',
    );
    expect(readFileSync(join(project, '.claude', 'settings.json'), 'utf8')).toContain(
      '"command": "node \\"/opt/record-session.js\\""',
    );
    expect(readFileSync(join(project, '.claude', 'settings.local.json'), 'utf8')).toContain(
      '"command": "sessions-db-hook --verbose"',
    );
    expect(existsSync(join(project, 'custom', 'settings.json'))).toBe(true);
    expect(existsSync(join(dir, '.claude', 'settings.json'))).toBe(false);
    expect((await run('hook', 'uninstall', '--scope', 'project')).stdout).toMatch(
      /is not installed/,
    );
    expect(
      (
        await run(
          'hook',
          'uninstall',
          '--scope',
          'project',
          '--command',
          'node "/opt/record-session.js"',
        )
      ).stdout,
    ).toMatch(/^ok: removed 2 sessions-db hook entries/);
    expect((await run('hook', 'install', '--scope', 'machine')).stderr).toBe(
      'error: --scope must be one of: user, project, local\n',
    );
  });

  it('--dry-run prints the resulting settings and writes nothing', async () => {
    const { run, userSettings } = setup();
    const result = await run('hook', 'install', '--dry-run');
    expect(result.stdout).toMatch(
      new RegExp(
        `^\\[dry-run\\] would write ${userSettings.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}:\n\\{\n {2}"hooks": \\{`,
      ),
    );
    expect(existsSync(userSettings)).toBe(false);
  });

  it('status reports the scopes, the command and its target, and the store', async () => {
    const { run, binDir, userSettings } = setup();
    const before = await run('hook', 'status');
    expect(before.exitCode).toBe(0);
    expect(before.stdout).toMatch(/^hook: not installed \(run `sessions-db hook install`\)\n/);
    await run('hook', 'install');
    writeFileSync(join(binDir, 'sessions-db-hook'), '#!/bin/sh\nexit 0\n');
    chmodSync(join(binDir, 'sessions-db-hook'), 0o755);
    const status = JSON.parse((await run('hook', 'status', '--json')).stdout) as {
      installed: boolean;
      files: { scope: string; path: string; SessionStart: string[]; SessionEnd: string[] }[];
      commands: { command: string; target: { path: string; exists: boolean } }[];
      store: { sessions: number; exists: boolean };
    };
    expect(status.installed).toBe(true);
    expect(status.files.map((f) => [f.scope, f.SessionStart.length, f.SessionEnd.length])).toEqual([
      ['user', 1, 1],
      ['project', 0, 0],
      ['local', 0, 0],
    ]);
    expect(status.files[0]?.path).toBe(userSettings);
    expect(status.commands).toEqual([
      {
        command: 'sessions-db-hook',
        target: { path: join(binDir, 'sessions-db-hook'), exists: true },
      },
    ]);
    expect(status.store).toMatchObject({ sessions: 0, exists: false });
    const text = (await run('hook', 'status')).stdout;
    expect(text).toContain('hook: installed (user scope)\n');
    expect(text).toContain('  command  sessions-db-hook  (target exists)\n');
    expect(text).toContain('store:\n');
  });
});

describe('hook install --agent codex', () => {
  it("writes the hook into Codex CLI's $CODEX_HOME/hooks.json in the documented shape, idempotently", async () => {
    const { dir, run } = setup();
    const hooksPath = join(dir, '.codex', 'hooks.json');
    const first = await run('hook', 'install', '--agent', 'codex', '--json');
    expect(first.exitCode).toBe(0);
    expect(JSON.parse(first.stdout)).toMatchObject({ scope: 'codex', settings_path: hooksPath });
    const written = JSON.parse(readFileSync(hooksPath, 'utf8')) as {
      hooks: Record<string, { hooks: { type: string; command: string }[] }[]>;
    };
    for (const event of ['SessionStart', 'SessionEnd']) {
      expect(written.hooks[event]?.[0]?.hooks[0]).toMatchObject({
        type: 'command',
        command: 'sessions-db-hook',
      });
    }
    expect(existsSync(join(dir, '.claude', 'settings.json'))).toBe(false);
    const again = JSON.parse((await run('hook', 'install', '--agent', 'codex', '--json')).stdout);
    expect(again).toMatchObject({ action: 'unchanged' });
  });

  it('refuses --scope with --agent codex', async () => {
    const { run } = setup();
    const result = await run('hook', 'install', '--agent', 'codex', '--scope', 'project');
    expect(result.exitCode).toBe(2);
  });
});
