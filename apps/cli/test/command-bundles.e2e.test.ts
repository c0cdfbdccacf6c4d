// End-to-end: the BUILT `sessions-db` starts the bundle of the command it is asked for
// (dist/cli-<command>.cjs) and prints exactly what the whole CLI (dist/cli.cjs) prints for the
// same command line: help, usage errors and unknown commands of every command.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import Module from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMMANDS } from '../src/command-registry.js';
import { commandName } from '../src/command-spec.js';
import { BUILT_CLI } from './support/built-cli.js';

const DIST = join(BUILT_CLI, '..');
const WHOLE = join(DIST, 'cli.cjs');
const NAMES = COMMANDS.map(commandName);

let home: string;

beforeAll(() => {
  home = mkdtempSync(join(tmpdir(), 'sdb-bundles-'));
});
afterAll(() => rmSync(home, { recursive: true, force: true }));

function env(extra: Record<string, string> = {}): Record<string, string> {
  return {
    HOME: home,
    PATH: process.env['PATH'] ?? '',
    SESSIONS_DB_STORE: join(home, 'store'),
    SESSIONS_DB_CODE_CACHE: '0',
    ...extra,
  };
}

function run(script: string, args: readonly string[], extra: Record<string, string> = {}) {
  const result = spawnSync(process.execPath, [script, ...args], {
    cwd: home,
    env: env(extra),
    encoding: 'utf8',
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('one bundle per command', () => {
  it('has a bundle for every command', () => {
    for (const name of NAMES) expect(existsSync(join(DIST, `cli-${name}.cjs`)), name).toBe(true);
  });

  it.each(NAMES)('%s: help and usage errors are those of the whole CLI', (name) => {
    for (const args of [
      [name, '--help'],
      [name, '--no-such-flag'],
      [name, '--no-such-flag', '--json'],
      ['--store', join(home, 'elsewhere'), name, '--help'],
    ]) {
      const own = run(BUILT_CLI, args);
      expect(own, args.join(' ')).toEqual(run(WHOLE, args));
      expect(own.stdout + own.stderr, args.join(' ')).not.toBe('');
    }
  });

  it('leaves help, --version and unknown commands to the whole CLI, unchanged', () => {
    for (const args of [[], ['--help'], ['--version'], ['launch'], ['--json', 'launch']]) {
      const own = run(BUILT_CLI, args);
      expect(own, args.join(' ')).toEqual(run(WHOLE, args));
    }
    expect(run(BUILT_CLI, ['launch']).status).toBe(3);
  });

  it.skipIf('enableCompileCache' in Module)(
    'starts only the named command’s bundle, with a code cache of its own',
    () => {
      const cacheDir = join(home, 'v8-cache');
      const cached = { SESSIONS_DB_CODE_CACHE: '1', SESSIONS_DB_CODE_CACHE_DIR: cacheDir };
      for (const args of [
        ['find', '--json'],
        ['--store', join(home, 'store'), 'tree', 'x'],
      ])
        run(BUILT_CLI, args, cached);
      expect(
        readdirSync(cacheDir)
          .map((file) => file.split('-v')[0])
          .sort(),
      ).toEqual(['cli-find.cjs', 'cli-tree.cjs']);
      const second = run(BUILT_CLI, ['find', '--json'], cached);
      expect(second).toEqual({ status: 0, stdout: '[]\n', stderr: '' });
      expect(readdirSync(cacheDir)).toHaveLength(2);
    },
  );

  it("keeps other commands' code out of the read commands' bundles", () => {
    const others = [
      'browseCommand',
      'importCommand',
      'importHistory',
      'mcpCommand',
      'searchContent',
      'restoreTranscript',
      'buildUsageReport',
    ];
    for (const name of ['find', 'show', 'tree']) {
      const text = readFileSync(join(DIST, `cli-${name}.cjs`), 'utf8');
      expect(
        others.filter((other) => text.includes(other)),
        name,
      ).toEqual([]);
      expect(text.includes(`${name}Command`), name).toBe(true);
    }
  });
});
