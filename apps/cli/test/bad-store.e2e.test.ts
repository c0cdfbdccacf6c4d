// End-to-end: bad input and failing stores (issue 18, items 5, 6 and 8), through the BUILT
// `sessions-db` and `sessions-db-hook`. A write whose event is durable succeeds; an unreadable or
// impossible store is an error, never an empty result; the small validations; files of killed
// writers cleaned up; a replaced log never silently empties the index.
import { execFileSync, spawnSync } from 'node:child_process';
import {
  accessSync,
  chmodSync,
  constants,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeReadOnly, mountSmallDisk } from '@sessions-db/vitest-config/unwritable';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BUILT_CLI, builtCli, hookStartup } from './support/built-cli.js';
import type { CliRun } from './support/built-cli.js';

const NOBODY = 65534;

let root: string;
let home: string;
let store: string;
const undo: (() => void)[] = [];

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'sdb-bad-store-'));
  home = join(root, 'home');
  store = join(root, 'store');
  mkdirSync(home, { recursive: true });
});
afterEach(() => {
  for (const u of undo.splice(0).reverse()) u();
  rmSync(root, { recursive: true, force: true });
});

function env(): Record<string, string> {
  return {
    HOME: home,
    PATH: process.env['PATH'] ?? '',
    XDG_CONFIG_HOME: join(home, 'config'),
    CLAUDE_CONFIG_DIR: join(home, 'claude'),
    SESSIONS_DB_ROOT: store,
    // Generous on a loaded machine: a hook short of time appends without indexing, which these
    // tests do not exercise.
    SESSIONS_DB_HOOK_DEADLINE_MS: '20000',
  };
}

const { cli } = builtCli(() => home, env);

let counter = 0;
function hookStart(): string {
  counter += 1;
  const sessionId = `7d3e0c11-52a4-4b7e-9d0a-${counter.toString(16).padStart(12, '0')}`;
  hookStartup(sessionId, { cwd: home, claudeDir: join(home, 'claude'), env: env() });
  return sessionId;
}

function logEvents(): { op: string }[] {
  return readFileSync(join(store, 'sessions-db-events.jsonl'), 'utf8')
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as { op: string });
}

describe('a write whose event is durable succeeds (read-only index)', () => {
  it('exits 0, says the index will catch up, never duplicates on the next run', (ctx) => {
    const id = hookStart();
    const release = makeReadOnly(join(store, 'sessions-db.sqlite'));
    if (release === null) return ctx.skip();
    undo.push(release);

    const alias = cli('alias', id, 'first');
    expect(alias.status, alias.stderr).toBe(0);
    expect(alias.stdout).toMatch(/^ok: alias_set written for sess_/);
    // Either the write found the index current and could not update it, or (an earlier write
    // left it behind) the index was read through the log from the start: the event is safe.
    expect(alias.stderr).toMatch(
      /^note: the index (could not be updated|cannot be written) \(.*\); the event is safe in the log and the index will catch up\n$/,
    );
    const json = cli('alias', id, 'second', '--json');
    expect(json.status).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({
      ok: true,
      op: 'alias_set',
      index_pending: expect.any(String),
    });
    // Reads fold the log while the index cannot catch up; the hook still records.
    const found = cli('find', '--json');
    expect(found.status, found.stderr).toBe(0);
    expect(JSON.parse(found.stdout)).toMatchObject([{ alias: 'second' }]);
    hookStart();
    expect(cli('doctor').stdout).toMatch(/index\s+the index cannot be written/);

    release();
    undo.pop();
    const healed = cli('find', '--json');
    expect(healed.status).toBe(0);
    expect((JSON.parse(healed.stdout) as unknown[]).length).toBe(2);
    expect(logEvents().filter((e) => e.op === 'alias_set')).toHaveLength(2);
    expect(cli('doctor').stdout).toMatch(/index\s+up to date/);
  });
});

describe('on a full disk', () => {
  it('reads work, and writes say "disk full" once the log itself cannot grow', (ctx) => {
    const release = mountSmallDisk(store, 2 * 1024 * 1024);
    if (release === null) return ctx.skip();
    undo.push(release);
    const id = hookStart();
    try {
      writeFileSync(join(store, 'filler'), Buffer.alloc(4 * 1024 * 1024));
    } catch (error) {
      expect((error as { code?: unknown }).code).toBe('ENOSPC');
    }
    const found = cli('find', '--json');
    expect(found.status, found.stderr).toBe(0);
    expect(JSON.parse(found.stdout)).toMatchObject([{ claude_session_ids: [id] }]);
    expect(cli('show', id).status).toBe(0);
    let last: CliRun | undefined;
    for (let i = 0; i < 100; i += 1) {
      last = cli('alias', id, `a${i}-${'x'.repeat(400)}`);
      if (last.status !== 0) break;
      expect(last.stderr).toMatch(/^note: /);
    }
    expect(last?.status).toBe(1);
    expect(last?.stderr).toMatch(/^error: .*disk full: /);
  });
});

describe('a store that cannot be read is an error, never an empty store', () => {
  it('--store naming a file, a path under a file, or nothing at all', () => {
    const file = join(root, 'a-file');
    writeFileSync(file, 'x');
    for (const args of [
      ['--store', file, 'find'],
      ['--store', join(file, 'store'), 'find'],
      ['--store', file, 'rebuild'],
    ]) {
      const r = cli(...args);
      expect(r.status, args.join(' ')).toBe(1);
      expect(r.stderr).toMatch(/^error: cannot open the store at .*not a directory/);
      expect(r.stdout).toBe('');
    }
    const doctor = cli('--store', file, 'doctor');
    expect(doctor.status).toBe(1);
    expect(doctor.stdout).toMatch(/✗ store\s+.*is not a directory/);
    expect(cli('--store', '', 'find')).toMatchObject({
      status: 2,
      stderr: 'error: --store needs a directory, not an empty value\n',
    });
    expect(cli('--root', '', 'find').status).toBe(2);
  });

  it('a directory the user cannot read', (ctx) => {
    hookStart();
    // As root nothing is unreadable: run the CLI as another user, when that user can run it.
    const asRoot = process.getuid?.() === 0;
    const runAs = asRoot ? { uid: NOBODY, gid: NOBODY } : {};
    const probe = spawnSync(
      process.execPath,
      ['-e', `require('fs').accessSync(${JSON.stringify(BUILT_CLI)})`],
      runAs,
    );
    if (probe.status !== 0) return ctx.skip();
    chmodSync(store, 0o000);
    if (asRoot) execFileSync('chown', ['-R', `${NOBODY}:${NOBODY}`, root]);
    undo.push(() => chmodSync(store, 0o700));
    for (const command of ['find', 'rebuild', 'doctor']) {
      const r = spawnSync(process.execPath, [BUILT_CLI, '--store', store, command], {
        cwd: root,
        env: { ...env(), HOME: home },
        encoding: 'utf8',
        ...runAs,
      });
      expect(r.status, command).toBe(1);
      expect(`${r.stdout}${r.stderr}`).toMatch(/cannot be read \(EACCES\)/);
    }
  });
});

describe('small validations', () => {
  it('rejects a negative or fractional --limit and an age before 1970', () => {
    hookStart();
    for (const [args, message] of [
      [['find', '--limit', '-1'], '--limit must be a whole number of at least 1, got: -1'],
      [['find', '--limit', '0.5'], '--limit must be a whole number of at least 1, got: 0.5'],
      [['search', 'x', '--limit', '-2'], '--limit must be a whole number of at least 1, got: -2'],
      [['find', '--since', '99999999d'], '--since 99999999d reaches back before 1970'],
    ] as const) {
      expect(cli(...args)).toEqual({ status: 2, stdout: '', stderr: `error: ${message}\n` });
    }
  });

  it('a 100 KB reference is a clear error, not SQLite\'s "pattern too complex"', () => {
    hookStart();
    const huge = 'a'.repeat(100_000);
    for (const command of [
      ['show', huge],
      ['alias', huge, 'x'],
      ['tree', huge],
    ]) {
      const r = cli(...command);
      expect(r.status, command[0]).toBe(1);
      expect(r.stderr).toMatch(/a session reference is at most 4096 characters/);
      expect(r.stderr).not.toMatch(/pattern/);
    }
  });

  it('a global flag without a command is an error (exit 2), not silence', () => {
    const r = cli('--store', store);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^error: no command given\n/);
    expect(r.stderr).toContain('sessions-db <command> [options]');
    expect(cli('--store', store, '--json').stdout).toContain('"code": "INVALID_ARGUMENT"');
  });

  it('export --out refuses devices, directories, FIFOs and symlinks, and kernel file systems', () => {
    hookStart();
    const fifo = join(root, 'fifo');
    execFileSync('mkfifo', [fifo]);
    const link = join(root, 'link.json');
    const target = join(root, 'target.json');
    writeFileSync(target, 'keep');
    symlinkSync(target, link);
    const cases: [string, RegExp][] = [
      [fifo, /is a FIFO, not a regular file/],
      [root, /is a directory, not a regular file/],
      [link, /is a symbolic link, not a regular file/],
      ['/proc/self/sessions-db.json', /kernel file system \(proc\)/],
    ];
    for (const [out, message] of cases) {
      const r = cli('export', '--out', out);
      expect(r.status, out).toBe(2);
      expect(r.stderr).toMatch(message);
    }
    expect(lstatSync(fifo).isFIFO()).toBe(true);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readFileSync(target, 'utf8')).toBe('keep');
    const ok = cli('export', '--out', join(root, 'out', 'sessions-db.json'));
    expect(ok.status, ok.stderr).toBe(0);
  });
});

describe('files left by killed writers and replaced logs', () => {
  it('rebuild removes the temp files of a killed rebuild, not those of live processes', () => {
    hookStart();
    const dead = spawnSync(process.execPath, ['-e', '0']).pid ?? 0;
    const stale = join(store, `sessions-db.json.tmp.${dead}.0a1b2c3d4e5f`);
    const live = join(store, `sessions-db.json.tmp.${process.pid}.0a1b2c3d4e5f`);
    writeFileSync(stale, '{"partial":');
    writeFileSync(live, '{"partial":');
    expect(cli('rebuild').status).toBe(0);
    expect(existsSync(stale)).toBe(false);
    expect(existsSync(live)).toBe(true);
    accessSync(join(store, 'sessions-db.json'), constants.R_OK);
  });

  it('an emptied log: a warning, and the old index kept aside', () => {
    hookStart();
    hookStart();
    // The index holds both sessions (a command catches it up with the log first).
    expect(JSON.parse(cli('find', '--json').stdout)).toHaveLength(2);
    writeFileSync(join(store, 'sessions-db-events.jsonl'), '');
    const r = cli('find', '--json');
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual([]);
    expect(r.stderr).toMatch(
      /^warning: the index was moved aside to .*sessions-db\.sqlite\.replaced-.* and rebuilt from the log: the event log no longer holds the 2 event\(s\)/,
    );
    expect(
      readdirSync(store).filter((n) => n.startsWith('sessions-db.sqlite.replaced-')),
    ).toHaveLength(1);
    // Once: the next command finds a consistent index.
    expect(cli('find').stderr).toBe('');
  });
});
