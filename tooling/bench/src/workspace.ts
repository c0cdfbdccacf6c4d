/**
 * The throw-away world a benchmark run lives in: a temp directory holding a real git checkout
 * (the hook's `cwd`, so git facts are read as in real use), a Claude home whose `projects/`
 * receives generated transcripts, a fake HOME, and copies of cached stores.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { runProcess } from './process/run-process.js';
import { isolatedEnv } from './process/targets.js';

/** Paths of one run's temp world. */
export interface BenchWorkspace {
  readonly root: string;
  /** A git checkout (branch `main`, one commit) used as the session cwd. */
  readonly cwd: string;
  /** `CLAUDE_CONFIG_DIR` of spawned hooks. */
  readonly claudeHome: string;
  /** HOME of spawned processes. */
  readonly home: string;
  /** Whether `git` was available to make `cwd` a repository. */
  readonly git: boolean;
}

/** Create the temp world (`<tmpdir>/sdb-bench-*`). Never throws for a missing `git`. */
export async function createWorkspace(): Promise<BenchWorkspace> {
  const root = mkdtempSync(join(tmpdir(), 'sdb-bench-'));
  const cwd = join(root, 'work', 'webshop');
  const claudeHome = join(root, 'claude');
  const home = join(root, 'home');
  for (const dir of [cwd, claudeHome, home]) mkdirSync(dir, { recursive: true, mode: 0o700 });
  writeFileSync(join(cwd, 'README.md'), '# webshop\n');
  const env = isolatedEnv({ HOME: home, GIT_CONFIG_NOSYSTEM: '1' });
  let git = false;
  try {
    const init = await runProcess({
      command: 'git',
      args: ['init', '-q', '-b', 'main'],
      cwd,
      env,
      timeoutMs: 20_000,
    });
    const add = await runProcess({
      command: 'git',
      args: ['add', 'README.md'],
      cwd,
      env,
      timeoutMs: 20_000,
    });
    const commit = await runProcess({
      command: 'git',
      args: [
        '-c',
        'user.name=bench',
        '-c',
        'user.email=bench@example.invalid',
        'commit',
        '-q',
        '-m',
        'init',
      ],
      cwd,
      env,
      timeoutMs: 20_000,
    });
    git = init.code === 0 && add.code === 0 && commit.code === 0;
  } catch {
    git = false; // no git binary: the hook simply records no git facts
  }
  return { root, cwd, claudeHome, home, git };
}

/** Remove the temp world (best effort). */
export function removeWorkspace(workspace: BenchWorkspace): void {
  rmSync(workspace.root, { recursive: true, force: true, maxRetries: 3 });
}
