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
    env: { HOME: dir, PATH: binDir, XDG_DATA_HOME: join(dir, 'data') },
    cwd: project,
    now: () => NOW,
    isTTY: { stdout: false, stderr: false },
    columns: undefined,
    resolveHookCommand: () => ({ command: 'sessions-db-hook', binPath: null }),
  });
  // The default store (not one chosen with --store: that would be written into the command).
  const run = (...argv: string[]) => runCli(argv, deps);
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

  it('--dry-run of an installed hook and of uninstall: what would be written, in its layout', async () => {
    const { run, userSettings } = setup();
    mkdirSync(join(userSettings, '..'), { recursive: true });
    writeFileSync(userSettings, EXISTING);
    await run('hook', 'install');
    const installed = readFileSync(userSettings, 'utf8');
    expect((await run('hook', 'install', '--dry-run')).stdout).toBe(
      `[dry-run] the hook is already installed in ${userSettings}; nothing would change\n`,
    );
    const again = JSON.parse((await run('hook', 'install', '--dry-run', '--json')).stdout) as {
      settings: unknown;
    };
    expect(again).toMatchObject({ ok: true, dry_run: true, action: 'unchanged', scope: 'user' });
    expect(again.settings).toEqual(JSON.parse(installed));

    expect((await run('hook', 'uninstall', '--dry-run')).stdout).toBe(
      `[dry-run] would write ${userSettings}:\n${EXISTING}`,
    );
    const removal = JSON.parse((await run('hook', 'uninstall', '--dry-run', '--json')).stdout) as {
      settings: unknown;
    };
    expect(removal).toEqual({
      ok: true,
      dry_run: true,
      removed: 2,
      scope: 'user',
      settings_path: userSettings,
      settings: JSON.parse(EXISTING),
    });
    expect(readFileSync(userSettings, 'utf8')).toBe(installed);
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
      commands: {
        command: string;
        target: { path: string; exists: boolean };
        store: string | null;
      }[];
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
        store: null,
      },
    ]);
    expect(status.store).toMatchObject({ sessions: 0, exists: false });
    const text = (await run('hook', 'status')).stdout;
    expect(text).toContain('hook: installed (user scope)\n');
    expect(text).toContain('  command  sessions-db-hook  (target exists)\n');
    expect(text).toContain('store:\n');
  });
});

describe('the store written into the hook command', () => {
  it('--store DIR and SESSIONS_DB_ROOT put --store into the command; status names it', async () => {
    const { dir, deps, userSettings } = setup();
    const store = join(dir, 'my store');
    const installed = await runCli(['--store', store, 'hook', 'install', '--json'], deps);
    expect(installed.exitCode).toBe(0);
    const command = `sessions-db-hook --store '${store}'`;
    expect(JSON.parse(installed.stdout)).toMatchObject({ action: 'installed', command });
    const settings = JSON.parse(readFileSync(userSettings, 'utf8')) as {
      hooks: Record<string, { hooks: { command: string }[] }[]>;
    };
    expect(settings.hooks['SessionStart']?.[0]?.hooks[0]?.command).toBe(command);
    const status = await runCli(['hook', 'status', '--json'], deps);
    expect(JSON.parse(status.stdout)).toMatchObject({ commands: [{ command, store }] });
    expect((await runCli(['hook', 'status'], deps)).stdout).toContain(
      `           records into ${store} (its --store)\n`,
    );

    // The same from the environment; an older entry of ours is updated, not duplicated.
    const other = join(dir, 'env-store');
    const envDeps = createDeps({
      env: { ...deps.env, SESSIONS_DB_ROOT: other },
      cwd: deps.cwd,
      now: deps.now,
      isTTY: deps.isTTY,
      columns: undefined,
      resolveHookCommand: deps.resolveHookCommand,
    });
    const fromEnv = await runCli(['hook', 'install', '--json'], envDeps);
    expect(JSON.parse(fromEnv.stdout)).toMatchObject({
      action: 'updated',
      command: `sessions-db-hook --store ${other}`,
    });
  });
});

describe('the hook installed as a Claude Code plugin', () => {
  function installPlugin(dir: string, enabled: boolean): string {
    const installPath = join(dir, '.claude', 'plugins', 'cache', 'local', 'sessions-db', '0.1.0');
    mkdirSync(join(installPath, '.claude-plugin'), { recursive: true });
    writeFileSync(
      join(installPath, '.claude-plugin', 'plugin.json'),
      JSON.stringify({ name: 'sessions-db', version: '0.1.0' }),
    );
    // As `claude plugin install sessions-db@local` (2.1.332) wrote them.
    writeFileSync(
      join(dir, '.claude', 'plugins', 'installed_plugins.json'),
      JSON.stringify({
        version: 2,
        plugins: {
          'sessions-db@local': [
            {
              scope: 'user',
              installPath,
              version: '0.1.0',
              installedAt: '2026-12-05T12:54:38.231Z',
            },
          ],
          'other@local': [{ scope: 'user', installPath: join(dir, 'nowhere') }],
        },
      }),
    );
    mkdirSync(join(dir, '.claude'), { recursive: true });
    writeFileSync(
      join(dir, '.claude', 'settings.json'),
      JSON.stringify({ enabledPlugins: { 'sessions-db@local': enabled, 'other@local': true } }),
    );
    return installPath;
  }

  it('status and doctor count an enabled plugin as installed, and warn when it is installed twice', async () => {
    const { dir, run } = setup();
    const installPath = installPlugin(dir, true);
    const status = JSON.parse((await run('hook', 'status', '--json')).stdout) as Record<
      string,
      unknown
    >;
    expect(status).toMatchObject({
      installed: true,
      installed_twice: false,
      plugins: [
        { id: 'sessions-db@local', scope: 'user', install_path: installPath, enabled: true },
      ],
    });
    expect((await run('hook', 'status')).stdout).toMatch(
      /^hook: installed \(plugin sessions-db@local\)\n/,
    );
    const doctor = JSON.parse((await run('doctor', '--json')).stdout) as {
      checks: { name: string; status: string; message: string }[];
    };
    expect(doctor.checks.find((c) => c.name === 'hook')).toMatchObject({
      status: 'ok',
      message: expect.stringContaining('the sessions-db@local plugin (user)'),
    });

    const install = await run('hook', 'install');
    expect(install.exitCode).toBe(0);
    expect(install.stderr).toMatch(/the hook is installed twice/);
    const twice = JSON.parse((await run('hook', 'status', '--json')).stdout) as Record<
      string,
      unknown
    >;
    expect(twice).toMatchObject({ installed: true, installed_twice: true });
    expect((await run('hook', 'status')).stdout).toMatch(
      /warning: the hook is installed twice, in a settings file and as the sessions-db@local plugin: Claude Code runs both for every event/,
    );
    const checks = (JSON.parse((await run('doctor', '--json')).stdout) as typeof doctor).checks;
    expect(checks.find((c) => c.name === 'hook')).toMatchObject({
      status: 'warn',
      message: expect.stringContaining('claude plugin uninstall sessions-db@local'),
    });
  });

  it('a plugin installed but not enabled does not count, and doctor says how to enable it', async () => {
    const { dir, run } = setup();
    installPlugin(dir, false);
    const status = JSON.parse((await run('hook', 'status', '--json')).stdout) as Record<
      string,
      unknown
    >;
    expect(status).toMatchObject({ installed: false, plugins: [{ enabled: false }] });
    const checks = (
      JSON.parse((await run('doctor', '--json')).stdout) as {
        checks: { name: string; status: string; message: string }[];
      }
    ).checks.filter((c) => c.name === 'hook');
    expect(checks.map((c) => c.message)).toEqual([
      expect.stringMatching(/^not installed/),
      'the sessions-db@local plugin is installed but not enabled (`claude plugin enable sessions-db@local`)',
    ]);
  });
});

describe('hook install --agent codex', () => {
  it('status and doctor report the Codex hook', async () => {
    const { dir, run } = setup();
    mkdirSync(join(dir, '.codex'));
    const before = (
      JSON.parse((await run('doctor', '--json')).stdout) as {
        checks: { name: string; status: string; message: string }[];
      }
    ).checks.find((c) => c.name === 'codex hook');
    expect(before).toMatchObject({
      status: 'warn',
      message: expect.stringContaining('--agent codex'),
    });
    await run('hook', 'install', '--agent', 'codex');
    const status = JSON.parse((await run('hook', 'status', '--json')).stdout) as {
      installed: boolean;
      codex: { path: string; SessionStart: string[]; SessionEnd: string[] };
    };
    expect(status.installed).toBe(false);
    expect(status.codex).toMatchObject({
      path: join(dir, '.codex', 'hooks.json'),
      SessionStart: ['sessions-db-hook'],
      SessionEnd: ['sessions-db-hook'],
    });
    expect((await run('hook', 'status')).stdout).toContain('installed (Codex CLI)');
    const after = (
      JSON.parse((await run('doctor', '--json')).stdout) as {
        checks: { name: string; status: string; message: string }[];
      }
    ).checks.find((c) => c.name === 'codex hook');
    expect(after).toMatchObject({ status: 'ok' });
  });

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
