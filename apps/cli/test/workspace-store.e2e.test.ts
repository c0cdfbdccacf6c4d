// End-to-end: a store found by climbing from the working directory (a `.dru-code/` or
// `tickets/_logs/` in a checkout) is used only once the user made it theirs with `init`; a cloned
// repository that ships one, even with its log symlinked to a file of the user's, never receives
// a line. Spawns the BUILT `sessions-db` and `sessions-db-hook`.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { builtCli, hookStartup } from './support/built-cli.js';

let root: string;
let home: string;

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'sdb-workspace-'));
  home = join(root, 'home');
  mkdirSync(home, { recursive: true });
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

function env(): Record<string, string> {
  return {
    HOME: home,
    PATH: process.env['PATH'] ?? '',
    XDG_DATA_HOME: join(home, 'data'),
    XDG_CONFIG_HOME: join(home, 'config'),
    CLAUDE_CONFIG_DIR: join(home, 'claude'),
  };
}

const { cliIn: cli } = builtCli(() => home, env);

interface Doctor {
  store: { dir: string; source: string };
  checks: { name: string; status: string; message: string }[];
}

function doctor(cwd: string): Doctor {
  return JSON.parse(cli(cwd, 'doctor', '--json').stdout) as Doctor;
}

function hookStart(cwd: string, sessionId: string): void {
  hookStartup(sessionId, { cwd, claudeDir: join(home, 'claude'), env: env() });
}

describe('workspace stores', () => {
  it('a cloned repository whose store log is a symlink to ~/.bashrc never gets a line', () => {
    const repo = join(root, 'repo');
    const src = join(repo, 'src');
    mkdirSync(join(repo, '.dru-code'), { recursive: true });
    mkdirSync(src);
    const bashrc = join(home, '.bashrc');
    writeFileSync(bashrc, 'alias ll="ls -l"\n');
    symlinkSync(bashrc, join(repo, '.dru-code', 'sessions-db-events.jsonl'));

    hookStart(src, '0b5e3c41-6a2d-4f0e-9d7c-1f2e3a4b5c6d');
    expect(readFileSync(bashrc, 'utf8')).toBe('alias ll="ls -l"\n');

    const report = doctor(src);
    expect(report.store).toMatchObject({
      dir: join(home, 'data', 'sessions-db'),
      source: 'default',
    });
    expect(report.checks).toContainEqual(
      expect.objectContaining({ name: 'workspace', status: 'warn' }),
    );
    // The session was recorded, in the user's own store.
    const found = JSON.parse(cli(src, 'find', '--json').stdout) as unknown[];
    expect(found).toHaveLength(1);
  });

  it('a workspace store is used from below once `init` made it yours', () => {
    const repo = join(root, 'project');
    const deep = join(repo, 'a', 'b');
    mkdirSync(deep, { recursive: true });
    mkdirSync(join(repo, '.dru-code'), { mode: 0o700 });
    writeFileSync(join(repo, '.dru-code', 'sessions-db-events.jsonl'), '', { mode: 0o600 });
    expect(doctor(deep).store.source).toBe('default');

    const init = cli(repo, 'init', '.dru-code', '--json');
    expect(init.status).toBe(0);
    expect(JSON.parse(init.stdout)).toMatchObject({
      ok: true,
      dir: join(repo, '.dru-code'),
      trusted_in: join(home, 'config', 'sessions-db', 'config.json'),
    });
    expect(doctor(deep).store).toMatchObject({ dir: join(repo, '.dru-code'), source: 'dru-code' });
    hookStart(deep, '7c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f');
    const log = readFileSync(join(repo, '.dru-code', 'sessions-db-events.jsonl'), 'utf8');
    expect(log).toContain('7c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f');
  });
});
