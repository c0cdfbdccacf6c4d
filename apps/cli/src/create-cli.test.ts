import { describe, expect, it } from 'vitest';
import { createFixtureStore } from './test-support/fixture.js';
import { createFixedStore, memoryDeps, runCli } from './test-support/harness.js';

const COMMAND_NAMES = [
  'find',
  'show',
  'tree',
  'alias',
  'link',
  'link-parent',
  'close',
  'reopen',
  'import',
  'export',
  'rebuild',
  'sweep',
  'doctor',
  'hook',
  'completion',
];

function setup(overrides: Parameters<typeof memoryDeps>[1] = {}) {
  const { store, ids } = createFixtureStore();
  return { store, ids, run: (...argv: string[]) => runCli(argv, memoryDeps(store, overrides)) };
}

describe('createCli: help, version, dispatch', () => {
  it('prints the root help with every command when run without arguments, and with --help / -h', async () => {
    const { run } = setup();
    const bare = await run();
    expect(bare.exitCode).toBe(0);
    expect(bare.stderr).toBe('');
    for (const name of COMMAND_NAMES) expect(bare.stdout).toContain(`sessions-db ${name}`);
    expect(bare.stdout).toContain(
      'Exit codes: 0 success · 1 business error · 2 argument error · 3 unknown command',
    );
    expect((await run('--help')).stdout).toBe(bare.stdout);
    expect((await run('-h')).stdout).toBe(bare.stdout);
  });

  it('prints help with examples for every command', async () => {
    const { run } = setup();
    for (const name of COMMAND_NAMES) {
      const result = await run(name, '--help');
      expect(result.exitCode, name).toBe(0);
      expect(result.stdout, name).toContain('Examples:');
    }
    for (const sub of ['install', 'uninstall', 'status']) {
      expect((await run('hook', sub, '--help')).stdout).toContain(`sessions-db hook ${sub}`);
    }
  });

  it('prints the version', async () => {
    const { run } = setup();
    expect(await run('--version')).toEqual({ exitCode: 0, stdout: '0.1.0\n', stderr: '' });
  });

  it('rejects an unknown command with exit 3, the message on stderr and the root help on stdout', async () => {
    const { run } = setup();
    const result = await run('frobnicate', '--json-ish');
    expect(result.exitCode).toBe(3);
    expect(result.stderr).toBe('error: unknown command: frobnicate\n\n');
    expect(result.stdout).toContain('sessions-db find');
    expect(await run('--store', '/tmp/x', 'frobnicate', '--quiet')).toEqual({
      exitCode: 3,
      stdout: '',
      stderr: 'error: unknown command: frobnicate\n\n',
    });
    const json = await run('frobnicate', '--json');
    expect(json.exitCode).toBe(3);
    expect(JSON.parse(json.stdout)).toEqual({
      ok: false,
      error: { code: 'UNKNOWN_COMMAND', message: 'unknown command: frobnicate' },
    });
  });

  it('rejects an unknown flag, an extra positional and contradictory store flags with exit 2', async () => {
    const { run } = setup();
    const flag = await run('find', '--colour');
    expect(flag.exitCode).toBe(2);
    expect(flag.stdout).toBe('');
    expect(flag.stderr).toMatch(/^error: Unknown argument: colour\n\nsessions-db find\n/);
    expect((await run('find', 'extra')).stderr).toMatch(/^error: Unknown argument: extra\n/);
    expect((await run('find', '--store', 'a', '--root', 'b')).stderr).toMatch(
      /^error: Arguments store and root are mutually exclusive\n/,
    );
    expect((await run('hook', 'explode')).exitCode).toBe(2);
    const json = await run('find', '--colour', '--json');
    expect(json.stderr).toBe('');
    expect(JSON.parse(json.stdout)).toEqual({
      ok: false,
      error: { code: 'INVALID_ARGUMENT', message: 'Unknown argument: colour' },
    });
  });

  it('--json: every failing command prints one {ok:false,error:{code,message}} document, nothing on stderr', async () => {
    const { run, ids } = setup();
    const failures: [string[], number][] = [
      [['find', '--state', 'sleeping'], 2],
      [['show', 'no-such-session'], 1],
      [['tree', 'no-such-session'], 1],
      [['alias', 'no-such-session', 'x'], 1],
      [['link', ids.origin], 2],
      [['link-parent', ids.origin, ids.origin], 1],
      [['close', ids.origin, '--outcome', 'maybe'], 2],
      [['reopen', 'no-such-session'], 1],
      [['import', '--from', '/nonexistent/projects'], 1],
      [['sweep', '--idle-threshold-days', '0'], 2],
      [['hook', 'status', '--scope', 'galaxy'], 2],
    ];
    for (const [argv, exitCode] of failures) {
      const result = await run(...argv, '--json');
      expect(result.exitCode, argv.join(' ')).toBe(exitCode);
      expect(result.stderr, argv.join(' ')).toBe('');
      const document = JSON.parse(result.stdout) as { ok: unknown; error: Record<string, unknown> };
      expect(document.ok, argv.join(' ')).toBe(false);
      expect(typeof document.error['code'], argv.join(' ')).toBe('string');
      expect(typeof document.error['message'], argv.join(' ')).toBe('string');
    }
  });

  it('accepts the global flags on every command, before or after it', async () => {
    const { run, ids } = setup();
    expect((await run('--json', 'tree', ids.origin)).stdout).toMatch(/^\{/);
    expect((await run('tree', ids.origin, '--no-color', '--quiet')).stdout).toBe('');
    expect((await run('alias', ids.origin, '--clear', '--no-color', '--dry-run')).exitCode).toBe(0);
    expect((await run('rebuild', '--no-color', '--quiet')).exitCode).toBe(0);
    expect((await run('completion', '--json')).exitCode).toBe(0);
  });

  it('colours only on a terminal, never with NO_COLOR or --no-color', async () => {
    const tty = setup({ isTTY: { stdout: true, stderr: true } });
    expect((await tty.run('find', '--limit', '1')).stdout).toContain('\u001b[');
    expect((await tty.run('find', '--limit', '1', '--no-color')).stdout).not.toContain('\u001b[');
    const noColor = setup({ isTTY: { stdout: true, stderr: true }, env: { NO_COLOR: '1' } });
    expect((await noColor.run('find', '--limit', '1')).stdout).not.toContain('\u001b[');
    expect((await setup().run('find', '--limit', '1')).stdout).not.toContain('\u001b[');
  });

  it('reports a store that cannot be opened as a business error (exit 1); the stack only when verbose', async () => {
    const failing = {
      openStore: async () => {
        throw new Error('disk on fire');
      },
    };
    const { run } = setup(failing);
    expect(await run('find')).toEqual({
      exitCode: 1,
      stdout: '',
      stderr: 'error: cannot open the store: disk on fire\n',
    });
    const json = await run('find', '--json');
    expect(JSON.parse(json.stdout)).toEqual({
      ok: false,
      error: { code: 'STORE_UNAVAILABLE', message: 'cannot open the store: disk on fire' },
    });
    const broken = setup({ env: { SESSIONS_DB_VERBOSE: '1' }, now: () => Number.NaN });
    const crash = await broken.run('find', '--since', '1d');
    expect(crash.exitCode).toBe(1);
    expect(crash.stderr).toMatch(
      /^error: Invalid time value\nRangeError: Invalid time value\n\s+at /,
    );
  });

  it('prints a shell completion script and completes command names', async () => {
    const { run } = setup();
    const script = await run('completion');
    expect(script.exitCode).toBe(0);
    expect(script.stdout).toContain('sessions-db --get-yargs-completions');
    const words = await run('--get-yargs-completions', 'sessions-db', '');
    expect(words.stdout.split('\n')).toEqual(
      expect.arrayContaining(['find', 'tree', 'import', 'hook']),
    );
  });

  it('works on an empty store', async () => {
    const store = createFixedStore();
    const deps = memoryDeps(store);
    expect(await runCli(['find'], deps)).toEqual({
      exitCode: 0,
      stdout: '(no sessions matched)\n',
      stderr: '',
    });
    expect((await runCli(['sweep'], deps)).stdout).toBe('ok: sweep — no transitions needed\n');
  });
});
