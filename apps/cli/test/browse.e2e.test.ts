// End-to-end: the BUILT `sessions-db browse` in a real pseudo-terminal (tmux), against a store
// imported from the example history.
import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { BUILT_CLI } from './support/built-cli.js';
import { EXAMPLE_PROJECTS, copyExampleHistory } from './support/example-history.js';
import { startInTmux } from './support/tmux-pane.js';
import type { TmuxPane } from './support/tmux-pane.js';

let home: string;
let binDir: string;
let record: string;
let panes: TmuxPane[] = [];

function env(extra: Record<string, string> = {}): Record<string, string> {
  return {
    HOME: home,
    PATH: `${binDir}:/usr/bin:/bin`,
    SESSIONS_DB_ROOT: join(home, 'store'),
    SESSIONS_DB_CODE_CACHE: '0',
    RECORD: record,
    ...extra,
  };
}

function cli(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [BUILT_CLI, ...args], {
    cwd: home,
    env: env(),
    encoding: 'utf8',
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

let run = 0;
function browse(
  options: { columns?: number; rows?: number; env?: Record<string, string> } = {},
): TmuxPane {
  run += 1;
  const dir = mkdtempSync(join(home, `tmux-${run}-`));
  const pane = startInTmux({
    dir,
    argv: [process.execPath, BUILT_CLI, 'browse'],
    cwd: home,
    env: env(options.env),
    columns: options.columns ?? 120,
    rows: options.rows ?? 30,
  });
  panes.push(pane);
  return pane;
}

/** {@link browse}, once its first screen (the six sessions) is up. */
async function browsed(options: Parameters<typeof browse>[0] = {}): Promise<TmuxPane> {
  const pane = browse(options);
  await pane.waitForScreen('the first screen', (s) => s.includes('6 sessions'));
  return pane;
}

/**
 * Every file of the store with its size and modification time, but the side files SQLite may
 * create for a reader of the content index (`-shm`, `-wal`; docs/cli.md, `mcp`).
 */
function storeFiles(): Record<string, string> {
  const files: Record<string, string> = {};
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (!/-content\.sqlite-(?:shm|wal)$/.test(entry.name)) {
        const stat = statSync(path);
        files[path] = `${stat.size} ${stat.mtimeMs}`;
      }
    }
  };
  walk(join(home, 'store'));
  return files;
}

/** The list's rows on a screen: the lines between the column header and the pane's rule. */
function listRows(screen: string): string[] {
  const lines = screen.split('\n');
  const start = lines.findIndex((line) => line.trimStart().startsWith('session '));
  const end = lines.findIndex((line) => line.startsWith('───'));
  return lines.slice(start + 1, end === -1 ? undefined : end).filter((line) => line.trim() !== '');
}

/** An SGR sequence (colour or style). */
const SGR = new RegExp(String.raw`\u001b\[[0-9;]*m`);

/** The stable id of the session titled login-redirect-loop. */
function loginRedirectLoop(): string {
  const found = JSON.parse(cli('find', '--text', 'login-redirect-loop', '--json').stdout) as {
    stable_id: string;
    custom_title: string | null;
  }[];
  return found.find((s) => s.custom_title === 'login-redirect-loop')?.stable_id ?? '';
}

const selectedRow = (screen: string): string | undefined =>
  listRows(screen).find((line) => line.startsWith('›'));

beforeAll(() => {
  if (!existsSync(BUILT_CLI)) throw new Error(`${BUILT_CLI} is missing: build the CLI first`);
  home = mkdtempSync(join(tmpdir(), 'sdb-browse-'));
  const code = join(home, 'code');
  mkdirSync(join(code, 'acme-api'), { recursive: true });
  mkdirSync(join(code, 'acme-web'), { recursive: true });
  mkdirSync(join(home, '.claude', 'projects'), { recursive: true });
  copyExampleHistory(EXAMPLE_PROJECTS, join(home, '.claude', 'projects'), code);
  // A stand-in claude: records its directory and arguments, then a line read from the terminal
  // (the keys must reach it, not the browser it was started from), and exits 7.
  binDir = join(home, 'bin');
  mkdirSync(binDir);
  record = join(home, 'record.txt');
  writeFileSync(
    join(binDir, 'claude'),
    '#!/bin/sh\nprintf "%s\\n" "$PWD" "$@" > "$RECORD"\nread line\nprintf "typed:%s\\n" "$line" >> "$RECORD"\nexit 7\n',
  );
  chmodSync(join(binDir, 'claude'), 0o755);
  expect(cli('import', '--quiet').status).toBe(0);
  const found = JSON.parse(cli('find', '--text', 'dark mode', '--json').stdout) as {
    stable_id: string;
  }[];
  expect(cli('alias', found[0]?.stable_id ?? '', 'zebra-toggle', '--quiet').status).toBe(0);
});

afterEach(() => {
  for (const pane of panes) pane.kill();
  panes = [];
});

afterAll(() => {
  rmSync(home, { recursive: true, force: true });
});

describe('sessions-db browse (built binary in a pseudo-terminal)', () => {
  it('opens on the most recent sessions with the details of the selected one; q exits 0', async () => {
    const pane = browse();
    const screen = await pane.waitForScreen('the first screen', (s) => s.includes('6 sessions'));
    const find = JSON.parse(cli('find', '--json').stdout) as { stable_id: string }[];
    expect(listRows(screen)).toHaveLength(6);
    // The most recent first: the aliased session (naming it was its latest progress).
    expect(selectedRow(screen)).toContain('zebra-toggle');
    expect(listRows(screen)[1]).toContain('Scoped session middleware experiment [ai]');
    // The details pane shows the selected session.
    expect(screen).toContain(`id        ${find[0]?.stable_id}`);
    expect(screen).toContain(
      '↑↓/jk move  Enter resume  / filter  t tree  o open only  a alias  c close  l link  ? help  q quit',
    );
    pane.keys('q');
    expect(await pane.waitForExit()).toBe(0);
    // The alternate screen is left: the browser's screen is gone.
    expect(pane.screen()).not.toContain('sessions-db browse');
  });

  it('j/k and the arrows move the selection, and the details follow it', async () => {
    const pane = await browsed();
    pane.keys('j', 'j');
    let screen = await pane.waitForScreen('the third row selected', (s) =>
      (selectedRow(s) ?? '').includes('login-redirect-loop'),
    );
    expect(screen).toContain('login-redirect-loop [custom title]');
    pane.keys('j', 'k', 'Down', 'Down', 'Up');
    screen = await pane.waitForScreen('the fourth row', (s) =>
      (selectedRow(s) ?? '').includes('Regression test for the callback redirect loop'),
    );
    expect(screen).toContain('Regression test for the callback redirect loop [AI title]');
    expect(listRows(screen).filter((line) => line.startsWith('›'))).toHaveLength(1);
    pane.keys('Escape');
    expect(await pane.waitForExit()).toBe(0);
  });

  it('/ filters as you type, by label and by alias; Esc clears the filter', async () => {
    const pane = await browsed();
    pane.keys('/');
    pane.type('checkout');
    // Each wait names the whole filter and its count: a screen of a shorter prefix is not the one.
    let screen = await pane.waitForScreen('one match', (s) =>
      s.startsWith('sessions-db browse  1 session  / checkout▏'),
    );
    expect(listRows(screen)).toHaveLength(1);
    expect(selectedRow(screen)).toContain('Split CheckoutPage into components');
    // Ctrl-U and the new filter in one chunk of input, as a busy machine delivers keys typed
    // fast: the Ctrl-U still clears the line.
    pane.type('\u0015zebra');
    // (the rows of the last filter stay until those of this one are loaded)
    screen = await pane.waitForScreen(
      'the aliased session',
      (s) =>
        s.startsWith('sessions-db browse  1 session  / zebra▏') &&
        (selectedRow(s) ?? '').includes('zebra-toggle'),
    );
    expect(listRows(screen)).toHaveLength(1);
    pane.type('-nothing-like-this');
    screen = await pane.waitForScreen('no match', (s) => s.includes('(no sessions matched)'));
    pane.keys('Escape');
    screen = await pane.waitForScreen('the whole list again', (s) => s.includes('6 sessions'));
    expect(screen).not.toContain('filter:');
    pane.keys('q');
    expect(await pane.waitForExit()).toBe(0);
  });

  it('the filter also finds sessions by what was said, with the matching snippet', async () => {
    const before = storeFiles();
    // Without colour the match is shown between brackets.
    const pane = await browsed({ env: { NO_COLOR: '1' } });
    pane.keys('/');
    // Said by the assistant in the migration session, in no label, prompt or other field.
    pane.type('concurrently');
    const screen = await pane.waitForScreen(
      'the session found by content',
      (s) =>
        s.startsWith('sessions-db browse  1 session  / concurrently▏') &&
        (selectedRow(s) ?? '').includes('write a migration'),
    );
    expect(screen).toMatch(
      /said {6}.*CREATE INDEX \[CONCURRENTLY\]` cannot run inside a transaction/,
    );
    pane.keys('Escape');
    await pane.waitForScreen('the whole list again', (s) => s.includes('6 sessions'));
    pane.keys('q');
    expect(await pane.waitForExit()).toBe(0);
    // Searching as you type wrote nothing: not the content index, nor any file of the store.
    expect(storeFiles()).toEqual(before);
  });

  it('Enter keeps the filter and gives the keys back to the list', async () => {
    const pane = await browsed();
    pane.keys('/');
    pane.type('acme-web');
    await pane.waitForScreen('two matches', (s) =>
      s.startsWith('sessions-db browse  2 sessions  / acme-web▏'),
    );
    pane.keys('Enter', 'j');
    const screen = await pane.waitForScreen('the second match selected', (s) =>
      (selectedRow(s) ?? '').includes('Split CheckoutPage into components'),
    );
    expect(screen).toContain('filter: acme-web');
    pane.keys('q');
    expect(await pane.waitForExit()).toBe(0);
  });

  it('? shows the help, any key closes it', async () => {
    const pane = await browsed();
    pane.keys('?');
    await pane.waitForScreen('the help', (s) => s.includes('quit (Ctrl-C too)'));
    pane.keys('x');
    await pane.waitForScreen('the list again', (s) => listRows(s).length === 6);
    pane.keys('q');
    expect(await pane.waitForExit()).toBe(0);
  });

  it('fits the terminal and redraws when it is resized', async () => {
    const pane = browse({ columns: 120, rows: 30 });
    let screen = await pane.waitForScreen('the first screen', (s) => s.includes('6 sessions'));
    expect(screen).toContain('branch');
    pane.resize(60, 14);
    // The redrawn screen: the title on top, the selected row, the pane and the footer, 60 wide.
    screen = await pane.waitForScreen('the screen redrawn at 60×14', (s) => {
      const lines = s.split('\n');
      return (
        (lines[0] ?? '').startsWith('sessions-db browse') &&
        selectedRow(s) !== undefined &&
        lines.some((line) => line === '─'.repeat(60)) &&
        lines.some((line) => line.startsWith('↑↓/jk move'))
      );
    });
    const lines = screen.replace(/\n+$/, '').split('\n');
    expect(lines.length).toBeLessThanOrEqual(14);
    for (const line of lines) expect([...line].length).toBeLessThanOrEqual(60);
    expect(lines.at(-1)).toContain('q quit');
    // Narrow: the project and branch columns are left out.
    expect(screen).not.toContain('acme-api  fix/login-redirect');
    pane.resize(100, 9);
    screen = await pane.waitForScreen(
      'a short screen without the pane',
      (s) =>
        !s.includes('───') &&
        (s.split('\n')[0] ?? '').startsWith('sessions-db browse') &&
        selectedRow(s) !== undefined,
    );
    expect(screen).toContain('branch');
    pane.keys('q');
    expect(await pane.waitForExit()).toBe(0);
  });

  it('a short terminal first shows a screenful; the rows below it are there when scrolling', async () => {
    // 9 rows: a list of 5 of the 6 sessions (drawn before the rest are queried), no pane.
    const pane = browse({ columns: 100, rows: 9 });
    // A row's label (its first column): the ages go on ticking while the test runs.
    const labelsOf = (s: string): string[] =>
      listRows(s)
        .filter((line) => !line.startsWith('↑↓/jk move'))
        .map((line) => line.slice(2).split(/ {2,}/)[0] ?? '');
    const labelOf = (line: string | undefined): string =>
      (line ?? '').slice(2).split(/ {2,}/)[0] ?? '';
    const screen = await pane.waitForScreen('the whole list', (s) => s.includes('6 sessions'));
    const first = labelsOf(screen);
    expect(first).toHaveLength(5);
    expect(labelOf(selectedRow(screen))).toBe(first[0]);
    pane.keys('G');
    const last = await pane.waitForScreen(
      'the last session selected',
      (s) => selectedRow(s) !== undefined && !first.includes(labelOf(selectedRow(s))),
    );
    expect(labelsOf(last)).toHaveLength(5);
    expect(labelsOf(last).at(-1)).toBe(labelOf(selectedRow(last)));
    pane.keys('g');
    await pane.waitForScreen(
      'the first rows again',
      (s) => labelsOf(s).join('\n') === first.join('\n') && labelOf(selectedRow(s)) === first[0],
    );
    pane.keys('q');
    expect(await pane.waitForExit()).toBe(0);
  });

  it('Enter resumes the selected session: the browser leaves, claude gets the terminal and its exit code', async () => {
    const plan = JSON.parse(cli('resume', loginRedirectLoop(), '--print', '--json').stdout) as {
      cwd: string;
      argv: string[];
    };
    rmSync(record, { force: true });
    const pane = await browsed();
    pane.keys('j', 'j');
    await pane.waitForScreen('login-redirect-loop selected', (s) =>
      (selectedRow(s) ?? '').includes('login-redirect-loop'),
    );
    pane.keys('Enter');
    const started = await pane.waitForScreen('claude started', () => existsSync(record));
    expect(started).not.toContain('sessions-db browse');
    pane.type('hello');
    pane.keys('Enter');
    expect(await pane.waitForExit()).toBe(7);
    expect(readFileSync(record, 'utf8').trimEnd().split('\n')).toEqual([
      plan.cwd,
      ...plan.argv.slice(1),
      'typed:hello',
    ]);
    expect(plan.cwd).toBe(join(home, 'code', 'acme-api'));
  });

  it('t shows the fork under its origin with its edge, and t again the plain list', async () => {
    const pane = await browsed();
    pane.keys('t');
    const screen = await pane.waitForScreen('the tree', (s) => s.includes('[tree]'));
    const rows = listRows(screen);
    const origin = rows.findIndex((line) => line.includes('login-redirect-loop [title]'));
    const fork = rows.findIndex((line) => /└ fork Scoped session middleware experiment/.test(line));
    expect(origin).toBeGreaterThanOrEqual(0);
    expect(fork).toBeGreaterThan(origin);
    pane.keys('t');
    await pane.waitForScreen(
      'the plain list',
      (s) => !s.includes('[tree]') && !s.includes('└ fork'),
    );
    pane.keys('q');
    expect(await pane.waitForExit()).toBe(0);
  });

  it('a, c and l write through the store: alias, close with an outcome, link a task; o hides closed sessions', async () => {
    const pane = await browsed();
    pane.keys('/');
    pane.type('checkout');
    await pane.waitForScreen(
      'the checkout session',
      (s) =>
        s.startsWith('sessions-db browse  1 session  / checkout▏') &&
        (selectedRow(s) ?? '').includes('Split CheckoutPage'),
    );
    pane.keys('Enter', 'a');
    await pane.waitForScreen('the alias prompt', (s) => s.includes('Enter saves, Esc cancels'));
    pane.type('checkout-split');
    pane.keys('Enter');
    await pane.waitForScreen('the alias set', (s) => s.includes('alias set: checkout-split'));
    await pane.waitForScreen('the row relabelled', (s) =>
      (selectedRow(s) ?? '').includes('checkout-split'),
    );
    pane.keys('l');
    pane.type('T-142');
    pane.keys('Enter');
    await pane.waitForScreen('the task linked', (s) => s.includes('linked to task T-142'));
    pane.keys('c');
    pane.type('finished');
    pane.keys('Enter');
    await pane.waitForScreen('the outcome refused', (s) => s.includes('the outcome is one of:'));
    pane.keys('C-u');
    pane.type('done');
    pane.keys('Enter');
    await pane.waitForScreen('the session closed', (s) => s.includes('closed as done'));
    pane.keys('/');
    pane.keys('Escape');
    await pane.waitForScreen(
      'the filter cleared',
      (s) => s.startsWith('sessions-db browse  6 sessions') && !s.includes('filter:'),
    );
    pane.keys('o');
    const open = await pane.waitForScreen(
      'the open sessions only',
      (s) => s.includes('[open only]') && s.includes('5 sessions'),
    );
    expect(open).not.toContain('checkout-split');
    pane.keys('q');
    expect(await pane.waitForExit()).toBe(0);
    const found = JSON.parse(cli('find', '--alias', 'checkout-split', '--json').stdout) as {
      tasks: string[];
      outcome: string;
    }[];
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ tasks: ['T-142'], outcome: 'done' });
  });

  it('exits cleanly on Ctrl-C', async () => {
    const pane = await browsed();
    pane.keys('C-c');
    expect(await pane.waitForExit()).toBe(0);
    expect(pane.screen()).not.toContain('sessions-db browse');
  });

  it('colours on a terminal, none with NO_COLOR', async () => {
    const coloured = await browsed();
    expect(coloured.screen({ escapes: true })).toMatch(SGR);
    coloured.keys('q');
    expect(await coloured.waitForExit()).toBe(0);

    const plain = await browsed({ env: { NO_COLOR: '1' } });
    expect(plain.screen({ escapes: true })).not.toMatch(SGR);
    plain.keys('q');
    expect(await plain.waitForExit()).toBe(0);
  });

  it('refuses politely when stdout or stdin is not a terminal (exit 2), and with --json', () => {
    const piped = cli('browse');
    expect(piped.status).toBe(2);
    expect(piped.stdout).toBe('');
    expect(piped.stderr).toBe(
      'error: browse is a full-screen program and stdout is not a terminal; use find or search to print sessions\n',
    );
    const json = cli('browse', '--json');
    expect(json.status).toBe(2);
    expect(JSON.parse(json.stdout)).toMatchObject({ ok: false, error: { code: 'NOT_A_TERMINAL' } });
  });
});
