#!/usr/bin/env node
// Install the pinned Claude Code versions the real-client suite drives, each into
// `<cache>/sessions-db-real-client/<version>` (outside the repository and its lockfile; reused when
// present). `<cache>` is $SESSIONS_DB_REAL_CLIENT_CACHE's parent when set, else $XDG_CACHE_HOME, else
// ~/.cache. Prints how long each download and install took.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

const VERSIONS = ['2.1.197', '2.1.332'];

const cacheDir =
  process.env.SESSIONS_DB_REAL_CLIENT_CACHE ||
  join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'sessions-db-real-client');

for (const version of VERSIONS) {
  const dir = join(cacheDir, version);
  const bin = join(dir, 'node_modules', '.bin', 'claude');
  if (existsSync(bin)) {
    console.log(`claude ${version}: already installed in ${dir}`);
    continue;
  }
  mkdirSync(dir, { recursive: true });
  const started = Date.now();
  execFileSync(
    'npm',
    ['install', '--prefix', dir, '--no-audit', '--no-fund', `@anthropic-ai/claude-code@${version}`],
    { stdio: 'inherit' },
  );
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  console.log(`claude ${version}: downloaded and installed in ${seconds} s (${dir})`);
}
