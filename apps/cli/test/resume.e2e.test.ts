// End-to-end: the BUILT `sessions-db resume` starts a stand-in `claude` (a shell script on PATH that
// records its working directory and arguments) in the session's directory.
import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CODEX_FIXTURE_HOME } from '@sessions-db/vitest-config/fixtures';
import { BUILT_CLI } from './support/built-cli.js';
import { EXAMPLE_PROJECTS, copyExampleHistory } from './support/example-history.js';

const CODEX_FIXTURES = CODEX_FIXTURE_HOME;
/** A Codex thread of the fixtures (recorded in /home/dev/shop, which does not exist here). */
const CODEX_THREAD = '019a3c10-0a00-7000-8000-00000000000a';
/** The resumed session of the examples: its transcripts 0b58b276… then aaa38585… (the latest). */
const FIRST = '0b58b276-5b06-4814-8e9c-08e240d64658';
const LATEST = 'aaa38585-8c7f-4aad-b911-7e9e67edd128';

let home: string;
let project: string;
let record: string;
let binDir: string;

function cli(
  args: readonly string[],
  env: Record<string, string> = {},
): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [BUILT_CLI, ...args], {
    cwd: home,
    env: {
      HOME: home,
      PATH: `${binDir}:${process.env['PATH'] ?? ''}`,
      SESSIONS_DB_ROOT: join(home, 'store'),
      RECORD: record,
      CODEX_HOME: join(home, '.codex'),
      ...env,
    },
    encoding: 'utf8',
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** What the stand-in `claude` saw: its working directory and its arguments. */
function recorded(): { cwd: string; argv: string[] } {
  const [cwd = '', ...argv] = readFileSync(record, 'utf8').trimEnd().split('\n');
  return { cwd, argv };
}

beforeAll(() => {
  if (!existsSync(BUILT_CLI)) throw new Error(`${BUILT_CLI} is missing: build the CLI first`);
  home = mkdtempSync(join(tmpdir(), 'sdb-resume-'));
  const code = join(home, 'code');
  project = join(code, 'acme-api');
  mkdirSync(project, { recursive: true });
  mkdirSync(join(home, '.claude', 'projects'), { recursive: true });
  copyExampleHistory(EXAMPLE_PROJECTS, join(home, '.claude', 'projects'), code);
  binDir = join(home, 'bin');
  mkdirSync(binDir);
  record = join(home, 'record.txt');
  const standIn = '#!/bin/sh\nprintf "%s\\n" "$PWD" "$@" > "$RECORD"\nexit 7\n';
  writeFileSync(join(binDir, 'claude'), standIn);
  chmodSync(join(binDir, 'claude'), 0o755);
  cpSync(join(binDir, 'claude'), join(binDir, 'other-claude'));
  cpSync(join(binDir, 'claude'), join(binDir, 'codex'));
  cpSync(join(binDir, 'claude'), join(binDir, 'other-codex'));
  cpSync(CODEX_FIXTURES, join(home, '.codex'), { recursive: true });
  expect(cli(['import', '--quiet']).status).toBe(0);
  expect(cli(['alias', FIRST, 'login-fix', '--quiet']).status).toBe(0);
});

afterAll(() => {
  rmSync(home, { recursive: true, force: true });
});

describe('sessions-db resume (built binary, stand-in claude)', () => {
  it("runs claude --resume <latest id> in the session's directory and passes its exit code", () => {
    rmSync(record, { force: true });
    const run = cli(['resume', 'login-fix']);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(7);
    expect(recorded()).toEqual({ cwd: project, argv: ['--resume', LATEST] });
  });

  it('passes the arguments after -- to claude, and CLAUDE_BIN names another binary', () => {
    rmSync(record, { force: true });
    const run = cli(['resume', FIRST, '--', '--model', 'opus'], {
      CLAUDE_BIN: join(binDir, 'other-claude'),
    });
    expect(run.status).toBe(7);
    expect(recorded()).toEqual({ cwd: project, argv: ['--resume', LATEST, '--model', 'opus'] });
  });

  it('--print shows the command without running it; --json gives {cwd, argv, restored}', () => {
    rmSync(record, { force: true });
    const printed = cli(['resume', 'login-fix', '--print']);
    expect(printed.status).toBe(0);
    expect(printed.stdout).toBe(`cd ${project} && claude --resume ${LATEST}\n`);
    const json = cli(['resume', 'login-fix', '--print', '--json', '--', '--model', 'opus']);
    expect(JSON.parse(json.stdout)).toEqual({
      cwd: project,
      argv: ['claude', '--resume', LATEST, '--model', 'opus'],
      restored: false,
    });
    expect(existsSync(record)).toBe(false);
  });

  it('says which directory is missing and offers --cwd; --cwd DIR runs there', () => {
    const web = cli(['find', '--cwd', 'acme-web', '--json']);
    const id = (JSON.parse(web.stdout) as { stable_id: string }[])[0]?.stable_id;
    rmSync(join(home, 'code', 'acme-web'), { recursive: true, force: true });
    expect(id).toBeDefined();
    rmSync(record, { force: true });
    const missing = cli(['resume', id ?? '']);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toBe(
      `error: the session's directory ${join(home, 'code', 'acme-web')} no longer exists\n` +
        'hint: pass --cwd DIR to resume it in another directory\n',
    );
    const json = JSON.parse(cli(['resume', id ?? '', '--json']).stdout) as {
      error: { code: string; details: { cwd: string } };
    };
    expect(json.error.code).toBe('CWD_MISSING');
    expect(json.error.details.cwd).toBe(join(home, 'code', 'acme-web'));
    expect(existsSync(record)).toBe(false);
    const moved = cli(['resume', id ?? '', '--cwd', project]);
    expect(moved.status).toBe(7);
    expect(recorded().cwd).toBe(project);
  });

  it('restores a transcript Claude Code deleted from the archive before resuming, and says so', () => {
    const projects = join(home, '.claude', 'projects');
    const dir = readdirSync(projects).find((name) =>
      existsSync(join(projects, name, `${LATEST}.jsonl`)),
    );
    expect(dir).toBeDefined();
    const file = join(projects, dir ?? '', `${LATEST}.jsonl`);
    const bytes = readFileSync(file);
    rmSync(file);
    expect(JSON.parse(cli(['resume', 'login-fix', '--print', '--json']).stdout)).toMatchObject({
      restored: false,
    });
    expect(existsSync(file)).toBe(false);
    rmSync(record, { force: true });
    const run = cli(['resume', 'login-fix']);
    expect(run.status).toBe(7);
    expect(run.stderr).toContain('restored the transcript from the sessions-db archive');
    expect(readFileSync(file)).toEqual(bytes);
    expect(recorded().argv).toEqual(['--resume', LATEST]);
  });

  it('fails clearly when the agent cannot be started', () => {
    const run = cli(['resume', 'login-fix'], { CLAUDE_BIN: join(home, 'no-such-claude') });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(`cannot start ${join(home, 'no-such-claude')}`);
  });

  it('runs codex resume <thread id> for a Codex session; CODEX_BIN names another binary', () => {
    const printed = cli(['resume', CODEX_THREAD, '--print', '--json', '--cwd', project]);
    expect(printed.status, printed.stderr).toBe(0);
    expect(JSON.parse(printed.stdout)).toEqual({
      cwd: project,
      argv: ['codex', 'resume', CODEX_THREAD],
      restored: false,
    });
    rmSync(record, { force: true });
    const run = cli(['resume', CODEX_THREAD, '--cwd', project, '--', '--full-auto']);
    expect(run.status).toBe(7);
    expect(recorded()).toEqual({ cwd: project, argv: ['resume', CODEX_THREAD, '--full-auto'] });
    rmSync(record, { force: true });
    const other = cli(['resume', CODEX_THREAD, '--cwd', project], {
      CODEX_BIN: join(binDir, 'other-codex'),
      CLAUDE_BIN: join(home, 'no-such-claude'),
    });
    expect(other.status).toBe(7);
    expect(recorded().argv).toEqual(['resume', CODEX_THREAD]);
    const missing = cli(['resume', CODEX_THREAD, '--cwd', project], {
      CODEX_BIN: join(home, 'no-such-codex'),
    });
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain(`cannot start ${join(home, 'no-such-codex')}`);
    expect(missing.stderr).toContain('CODEX_BIN names another binary');
  });

  it("a Codex session's missing directory is named, as for Claude", () => {
    const run = cli(['resume', CODEX_THREAD, '--print']);
    expect(run.status).toBe(1);
    expect(run.stderr).toBe(
      "error: the session's directory /home/dev/shop no longer exists\n" +
        'hint: pass --cwd DIR to resume it in another directory\n',
    );
  });
});

describe('show and tree --agent (built binary, Claude and Codex sessions)', () => {
  it('show --agent accepts a session of that agent and refuses one of another', () => {
    const codex = cli(['show', CODEX_THREAD, '--agent', 'codex', '--json']);
    expect(codex.status, codex.stderr).toBe(0);
    const data = JSON.parse(codex.stdout) as { session: { stable_id: string; agent?: string } };
    expect(data.session.agent).toBe('codex');
    const wrong = cli(['show', CODEX_THREAD, '--agent', 'claude']);
    expect(wrong.status).toBe(1);
    expect(wrong.stderr).toBe(
      `error: no claude session matches ${CODEX_THREAD}\n` +
        `hint: ${CODEX_THREAD} names a codex session (${data.session.stable_id})\n`,
    );
    expect(cli(['show', 'login-fix', '--agent', 'claude']).status).toBe(0);
    expect(cli(['show', 'login-fix', '--agent', 'codex']).status).toBe(1);
    const bad = cli(['show', 'login-fix', '--agent', 'gemini']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('--agent');
  });

  it('tree --agent checks the root and leaves out descendants of another agent', () => {
    const all = cli(['tree', CODEX_THREAD, '--json']);
    expect(all.status, all.stderr).toBe(0);
    const codex = cli(['tree', CODEX_THREAD, '--agent', 'codex', '--json']);
    expect(codex.stdout).toBe(all.stdout);
    const wrong = cli(['tree', CODEX_THREAD, '--agent', 'claude', '--json']);
    expect(wrong.status).toBe(1);
    expect((JSON.parse(wrong.stdout) as { error: { code: string } }).error.code).toBe('NOT_FOUND');
    expect(cli(['tree', 'login-fix', '--agent', 'claude']).status).toBe(0);
    expect(cli(['tree', 'login-fix', '--agent', 'gemini']).status).toBe(2);
    // A Claude session linked under the Codex thread by hand: shown without --agent, left out with it.
    const claudeChild = (
      JSON.parse(cli(['find', '--cwd', 'acme-web', '--json']).stdout) as { stable_id: string }[]
    )[0]?.stable_id;
    expect(claudeChild).toBeDefined();
    expect(cli(['link-parent', claudeChild ?? '', CODEX_THREAD]).status).toBe(0);
    const mixed = cli(['tree', CODEX_THREAD]).stdout;
    expect(mixed).toContain(`[manual] ${(claudeChild ?? '').slice(0, 22)}`);
    const onlyCodex = cli(['tree', CODEX_THREAD, '--agent', 'codex']).stdout;
    expect(onlyCodex).not.toContain((claudeChild ?? '').slice(0, 22));
    expect(onlyCodex.split('\n').length).toBe(mixed.split('\n').length - 1);
  });
});
