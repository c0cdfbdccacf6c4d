// End-to-end: spawn the BUILT `sessions-db` (dist/bin.cjs; the test task runs after build) against a
// temp store and a temp copy of the example Claude Code history.
import { spawnSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUILT_CLI, builtCli } from './support/built-cli.js';

const BIN = BUILT_CLI;
const EXAMPLES = join(import.meta.dirname, '..', 'examples', 'claude-home', 'projects');

const B = 'ee73bb9c-e11a-4b60-953d-3a1432371070';
const D = 'f3c6fd46-875c-4307-a483-67e5a4e7788d';
const C2 = 'aaa38585-8c7f-4aad-b911-7e9e67edd128';

let home: string;
let store: string;

function env(): Record<string, string> {
  return { HOME: home, PATH: process.env['PATH'] ?? '', SESSIONS_DB_ROOT: store };
}

const { cli, json } = builtCli(() => home, env);

function logLines(): number {
  return readFileSync(join(store, 'sessions-db-events.jsonl'), 'utf8')
    .split('\n')
    .filter((line) => line !== '').length;
}

function withoutUpdated(text: string): string {
  return text.replace(/\n {4}"updated": "[^"]*",\n/, '\n');
}

/**
 * A preload (`--require`) that writes, at the main thread's exit, which of Node's modules matching
 * `pattern` the process loaded; `loaded()` reads them back. (A thread that never loaded
 * `worker_threads` is the main thread: the probe does not load it to ask.)
 */
function moduleProbe(name: string, pattern: RegExp): { probe: string; loaded: () => unknown } {
  const probe = join(home, `${name}-probe.cjs`);
  const loadedFile = join(home, `${name}-probe.json`);
  writeFileSync(
    probe,
    `process.on('exit', () => { const list = process.moduleLoadList; ` +
      `if (list.includes('NativeModule worker_threads') && !require('node:worker_threads').isMainThread) return; ` +
      `require('node:fs').writeFileSync(${JSON.stringify(loadedFile)}, ` +
      `JSON.stringify(list.filter((m) => ${String(pattern)}.test(m)))); });\n`,
  );
  return { probe, loaded: () => JSON.parse(readFileSync(loadedFile, 'utf8')) as unknown };
}

beforeAll(() => {
  if (!existsSync(BIN))
    throw new Error(
      `${BIN} is missing: build the CLI first (pnpm --filter @sessions-db/cli build)`,
    );
  home = mkdtempSync(join(tmpdir(), 'sdb-e2e-'));
  store = join(home, 'store');
  cpSync(EXAMPLES, join(home, '.claude', 'projects'), { recursive: true });
});

afterAll(() => {
  rmSync(home, { recursive: true, force: true });
});

describe('sessions-db (built binary)', () => {
  it('prints help and version, and exits 3 on an unknown command', () => {
    const help = cli('--help');
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('sessions-db import');
    expect(cli('--version').stdout).toBe('0.1.0\n');
    const unknown = cli('launch');
    expect(unknown.status).toBe(3);
    expect(unknown.stderr).toBe('error: unknown command: launch\n\n');
  });

  it('imports the history; a second import records nothing', () => {
    const first = json<{ counts: Record<string, number> }>('import');
    expect(first.counts).toMatchObject({
      transcripts_scanned: 7,
      sessions_new: 6,
      resumes_linked: 1,
      forks_linked: 1,
      subagent_transcripts: 2,
    });
    const lines = logLines();
    const second = json<{ counts: Record<string, number> }>('import');
    expect(second.counts).toMatchObject({ sessions_new: 0, already_known: 7, sessions_updated: 0 });
    expect(logLines()).toBe(lines);
  });

  it('finds, shows and draws the imported sessions', () => {
    const find = cli('find', '--limit', '20');
    expect(find.status).toBe(0);
    const rows = find.stdout.trimEnd().split('\n');
    expect(rows[0]).toMatch(/^stable_id +label +state +outcome +last_progress +branch +cwd$/);
    expect(rows).toHaveLength(7);
    expect(find.stdout).toContain('Scoped session middleware experiment [ai]');

    const show = cli('show', C2);
    expect(show.status).toBe(0);
    expect(show.stdout).toContain('  matched by     claude_session_id\n');
    expect(show.stdout).toContain(`aaa38585-8c7f-4aad-b911-7e9e67edd128`);

    const tree = cli('tree', B);
    expect(tree.status).toBe(0);
    const lines = tree.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(
      /^sess_\S{17} \[active\/open\] \S+ ago {2}login-redirect-loop \[title\]$/,
    );
    expect(lines[1]).toMatch(
      /^└── \[fork\] sess_\S{17} \[active\/open\] \S+ ago {2}Scoped session middleware experiment \[ai\]$/,
    );
    const ancestors = json<{ ancestors: { label: string }[] }>('tree', D, '--ancestors');
    expect(ancestors.ancestors.map((a) => a.label)).toEqual(['login-redirect-loop']);
  });

  it("find, show and tree print without Node's stdio streams: net, tty and stream never load", () => {
    // A preload that writes, at exit, which of Node's stream modules the process loaded.
    const { probe, loaded } = moduleProbe('stdio', /^NativeModule (net|tty|stream)$/);
    const probed = (...args: string[]): string => {
      // stdout and stderr are pipes, as when a program reads the output.
      const run = spawnSync(process.execPath, [BIN, ...args], {
        cwd: home,
        env: { ...env(), NODE_OPTIONS: `--require ${probe}` },
        encoding: 'utf8',
      });
      expect(run.status, run.stderr).toBe(0);
      expect(loaded(), args.join(' ')).toEqual([]);
      return run.stdout;
    };
    for (const args of [
      ['find', '--limit', '20'],
      ['show', C2],
      ['tree', B],
    ]) {
      expect(probed(...args, '--json'), args.join(' ')).toBe(cli(...args, '--json').stdout);
      expect(probed(...args), args.join(' ')).toContain(
        args[0] === 'show' ? C2 : 'login-redirect-loop',
      );
    }
  });

  it("import starts its scan worker without Node's stdout stream: net never loads", () => {
    // The worker's output is not piped into the process's stdout and stderr (it writes nothing).
    const { probe, loaded } = moduleProbe('net', /^NativeModule net$/);
    // stdout and stderr are pipes, as when a program reads the output.
    const run = spawnSync(
      process.execPath,
      [BIN, 'import', '--store', join(home, 'net-probe-store'), '--json'],
      { cwd: home, env: { ...env(), NODE_OPTIONS: `--require ${probe}` }, encoding: 'utf8' },
    );
    expect(run.status, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ ok: true });
    expect(loaded()).toEqual([]);
  });

  it("import's help starts no scan worker", () => {
    const { probe, loaded } = moduleProbe('worker', /^NativeModule internal\/worker$/);
    for (const flag of ['--help', '-h']) {
      const run = spawnSync(process.execPath, [BIN, 'import', flag], {
        cwd: home,
        env: { ...env(), NODE_OPTIONS: `--require ${probe}` },
        encoding: 'utf8',
      });
      expect(run.status, run.stderr).toBe(0);
      expect(run.stdout).toContain('--dry-run');
      expect(loaded(), flag).toEqual([]);
    }
  });

  it("find, show, tree and --version never list or read the working directory's package.json", () => {
    // yargs guesses a version from the first package.json above the working directory (a
    // user's project manifest); the CLI has its own, so nothing there is looked at.
    const project = join(home, 'project');
    mkdirSync(project, { recursive: true });
    writeFileSync(join(project, 'package.json'), '{"name":"elsewhere","version":"9.9.9"}\n');
    const probe = join(home, 'fs-probe.cjs');
    const seenFile = join(home, 'fs-probe.json');
    writeFileSync(
      probe,
      "const fs = require('node:fs');\nconst seen = [];\n" +
        "for (const name of ['readdirSync', 'readFileSync']) {\n  const original = fs[name];\n" +
        '  fs[name] = function (path, ...rest) { seen.push(String(path)); return original.call(this, path, ...rest); };\n}\n' +
        `process.on('exit', () => fs.writeFileSync(${JSON.stringify(seenFile)}, JSON.stringify(seen)));\n`,
    );
    for (const args of [['find', '--limit', '20'], ['show', C2], ['tree', B], ['--version']]) {
      const run = spawnSync(process.execPath, [BIN, ...args], {
        cwd: project,
        env: { ...env(), NODE_OPTIONS: `--require ${probe}` },
        encoding: 'utf8',
      });
      expect(run.status, run.stderr).toBe(0);
      const seen = JSON.parse(readFileSync(seenFile, 'utf8')) as string[];
      expect(
        seen.filter((path) => path.startsWith(project)),
        args.join(' '),
      ).toEqual([]);
    }
  });

  it('writes: alias, link, close, reopen; --dry-run writes nothing', () => {
    const before = logLines();
    expect(cli('alias', B, 'login-fix', '--dry-run').stdout).toMatch(
      /^\[dry-run\] would write event:\n/,
    );
    expect(logLines()).toBe(before);
    expect(cli('alias', B, 'login-fix').stdout).toMatch(/^ok: alias_set written for sess_/);
    expect(cli('link', 'login-fix', '--task', 'T-142').status).toBe(0);
    expect(cli('close', 'login-fix', '--outcome', 'done', '--reason', 'shipped').status).toBe(0);
    expect(
      json<{ outcome: string; alias: string; tasks: string[] }[]>('find', '--task', 'T-142'),
    ).toMatchObject([{ alias: 'login-fix', outcome: 'done', tasks: ['T-142'] }]);
    expect(cli('reopen', 'login-fix').status).toBe(0);
    expect(logLines()).toBe(before + 4);
    const missing = cli('close', 'no-such-session', '--outcome', 'done');
    expect(missing.status).toBe(1);
    expect(missing.stderr).toBe('error: stable_id not found: no-such-session\n');
    expect(cli('close', 'login-fix').status).toBe(2);
  });

  it("rebuild gives the same index as the live one; export is the original's sessions-db.json", () => {
    const before = cli('export');
    expect(before.status).toBe(0);
    const parsed = JSON.parse(before.stdout) as {
      _meta: { schema_version: number };
      sessions: Record<string, unknown>;
    };
    expect(Object.keys(parsed)).toEqual(['_meta', 'sessions']);
    expect(parsed._meta.schema_version).toBe(2);
    expect(Object.keys(parsed.sessions)).toHaveLength(6);
    expect(before.stdout).toBe(`${JSON.stringify(parsed, null, 2)}\n`);

    const rebuilt = cli('rebuild');
    expect(rebuilt.status).toBe(0);
    expect(rebuilt.stdout).toMatch(/^ok: rebuilt projection — 6 sessions, \d+ events\n$/);
    expect(withoutUpdated(cli('export').stdout)).toBe(withoutUpdated(before.stdout));
    expect(withoutUpdated(readFileSync(join(store, 'sessions-db.json'), 'utf8'))).toBe(
      withoutUpdated(before.stdout.trimEnd()),
    );
  });

  it('installs and reports the hook in the user settings of HOME', () => {
    expect(cli('hook', 'install', '--command', 'sessions-db-hook').status).toBe(0);
    const status = json<{ installed: boolean; store: { sessions: number } }>('hook', 'status');
    expect(status).toMatchObject({ installed: true, store: { sessions: 6 } });
    expect(cli('hook', 'uninstall').status).toBe(0);
    expect(json<{ installed: boolean }>('hook', 'status').installed).toBe(false);
  });

  it('doctor reports a healthy store found through SESSIONS_DB_ROOT', () => {
    const report = json<{ ok: boolean; store: { dir: string; source: string } }>('doctor');
    expect(report).toMatchObject({ ok: true, store: { dir: store, source: 'env' } });
  });
});
