// The real `git` CLI for tests that build repositories: a fixed identity, no signing, and by
// default an environment of PATH alone (no user or system configuration is read through HOME).
import { execFileSync } from 'node:child_process';

const IDENTITY = [
  '-c',
  'user.name=Test User',
  '-c',
  'user.email=test@example.com',
  '-c',
  'commit.gpgsign=false',
];

export function testGit(cwd, args, env = { PATH: process.env['PATH'] ?? '' }) {
  return execFileSync('git', [...IDENTITY, ...args], {
    cwd,
    env,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  }).trim();
}
