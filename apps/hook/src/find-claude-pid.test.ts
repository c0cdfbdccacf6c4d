import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterEach, describe, expect, it } from 'vitest';

import { findClaudePid, parseProcStat, readParentPid } from './find-claude-pid.js';

const home = '/claude-home';

/** A fake process table: pid → parent pid. */
function parents(table: Record<number, number>): (pid: number) => number | null {
  return (pid) => table[pid] ?? null;
}

function registry(...pids: number[]): (path: string) => boolean {
  const files = new Set(pids.map((pid) => join(home, 'sessions', `${pid}.json`)));
  return (path) => files.has(path);
}

describe('parseProcStat', () => {
  it('reads the parent pid after the command name', () => {
    expect(parseProcStat('4242 (node) S 4100 4242 4100 0 -1 4194560 1234')).toBe(4100);
  });

  it('copes with spaces and parentheses in the command name', () => {
    expect(parseProcStat('77 (my (odd) name) R 12 77 12 0')).toBe(12);
    expect(parseProcStat('77 (a) b) c) S 9 77')).toBe(9);
    expect(parseProcStat('77 ()) S 1 77')).toBe(1);
  });

  it('returns null for text that is not a stat line', () => {
    expect(parseProcStat('')).toBeNull();
    expect(parseProcStat('no parens here')).toBeNull();
    expect(parseProcStat('1 (x) S')).toBeNull();
    expect(parseProcStat('1 (x) S notanumber')).toBeNull();
  });
});

describe('findClaudePid', () => {
  it('returns the direct parent when it is registered', () => {
    expect(
      findClaudePid({
        startPid: 500,
        claudeHome: home,
        readParent: parents({ 500: 400 }),
        exists: registry(500),
      }),
    ).toEqual({ pid: 500, via: 'registry', depth: 0 });
  });

  it('climbs through shells to the nearest registered ancestor', () => {
    const readParent = parents({ 500: 400, 400: 300, 300: 200, 200: 1 });
    expect(
      findClaudePid({ startPid: 500, claudeHome: home, readParent, exists: registry(300, 200) }),
    ).toEqual({
      pid: 300,
      via: 'registry',
      depth: 2,
    });
  });

  it('falls back to the direct parent when no ancestor is registered', () => {
    const readParent = parents({ 500: 400, 400: 300, 300: 1 });
    expect(
      findClaudePid({ startPid: 500, claudeHome: home, readParent, exists: registry() }),
    ).toEqual({
      pid: 500,
      via: 'parent',
      depth: 0,
    });
  });

  it('examines at most maxDepth processes', () => {
    const table: Record<number, number> = {};
    for (let pid = 100; pid > 2; pid -= 1) table[pid] = pid - 1;
    const examined: string[] = [];
    const exists = (path: string): boolean => {
      examined.push(path);
      return path === join(home, 'sessions', '50.json');
    };
    expect(
      findClaudePid({ startPid: 100, claudeHome: home, readParent: parents(table), exists }),
    ).toEqual({
      pid: 100,
      via: 'parent',
      depth: 0,
    });
    expect(examined).toHaveLength(8);
    expect(
      findClaudePid({
        startPid: 100,
        claudeHome: home,
        readParent: parents(table),
        exists,
        maxDepth: 51,
      }),
    ).toEqual({ pid: 50, via: 'registry', depth: 50 });
  });

  it('stops on a loop in the process table and on unreadable parents', () => {
    expect(
      findClaudePid({
        startPid: 10,
        claudeHome: home,
        readParent: parents({ 10: 11, 11: 10 }),
        exists: registry(),
      }),
    ).toEqual({ pid: 10, via: 'parent', depth: 0 });
    expect(
      findClaudePid({
        startPid: 10,
        claudeHome: home,
        readParent: () => {
          throw new Error('EPERM');
        },
        exists: () => {
          throw new Error('EACCES');
        },
      }),
    ).toEqual({ pid: 10, via: 'parent', depth: 0 });
  });

  it('stops climbing once the deadline has passed', () => {
    const readParent = parents({ 500: 400, 400: 300 });
    expect(
      findClaudePid({
        startPid: 500,
        claudeHome: home,
        readParent,
        exists: registry(300),
        deadline: 1000,
        now: () => 2000,
      }),
    ).toEqual({ pid: 500, via: 'parent', depth: 0 });
  });

  it('returns null for a pid that is not usable', () => {
    expect(findClaudePid({ startPid: 0, claudeHome: home })).toBeNull();
    expect(findClaudePid({ startPid: Number.NaN, claudeHome: home })).toBeNull();
  });
});

describe('the real process table', () => {
  const realTable = process.platform === 'linux' || process.platform === 'darwin';
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it.runIf(realTable)('reads this process’s parent', () => {
    expect(readParentPid(process.pid)).toBe(process.ppid);
  });

  it.runIf(realTable)('finds a registered ancestor above a shell', async () => {
    const claudeHome = mkdtempSync(join(tmpdir(), 'sdb-hook-pid-'));
    dirs.push(claudeHome);
    mkdirSync(join(claudeHome, 'sessions'));
    writeFileSync(join(claudeHome, 'sessions', `${process.pid}.json`), '{}');
    // The shell does not exec its last command because of the trailing `true`.
    // Its own process group, so the cleanup ends the shell and its sleep together.
    const shell = spawn('sh', ['-c', 'sleep 30; true'], { stdio: 'ignore', detached: true });
    try {
      const shellPid = shell.pid;
      expect(shellPid).toBeTypeOf('number');
      if (shellPid === undefined) return;
      expect(readParentPid(shellPid)).toBe(process.pid);
      expect(findClaudePid({ startPid: shellPid, claudeHome })).toEqual({
        pid: process.pid,
        via: 'registry',
        depth: 1,
      });
      expect(findClaudePid({ startPid: shellPid, claudeHome: join(claudeHome, 'none') })).toEqual({
        pid: shellPid,
        via: 'parent',
        depth: 0,
      });
    } finally {
      if (shell.pid !== undefined) process.kill(-shell.pid, 'SIGKILL');
    }
  });
});

describe('findClaudePid with CLAUDE_PID', () => {
  it('takes the pid Claude Code names before climbing, even with no registry file', () => {
    let climbed = false;
    expect(
      findClaudePid({
        startPid: 500,
        claudeHome: '/nonexistent-claude-home',
        claudePidEnv: 321,
        readParent: () => {
          climbed = true;
          return 1;
        },
        exists: () => false,
      }),
    ).toEqual({ pid: 321, via: 'env', depth: 0 });
    expect(climbed).toBe(false);
  });

  it('climbs as before when CLAUDE_PID is absent', () => {
    expect(
      findClaudePid({
        startPid: 500,
        claudeHome: '/h',
        claudePidEnv: null,
        readParent: (pid) => (pid === 500 ? 400 : null),
        exists: (path) => path.endsWith('/400.json'),
      }),
    ).toEqual({ pid: 400, via: 'registry', depth: 1 });
  });
});
