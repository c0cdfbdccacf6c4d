import { chmodSync, mkdirSync, realpathSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from '../test-support/harness.js';
import { FALLBACK_HOOK_COMMAND, commandTarget, resolveHookCommand } from './hook-command.js';

let cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups) cleanup();
  cleanups = [];
});

function temp(): string {
  const { dir, cleanup } = tempDir();
  cleanups.push(cleanup);
  return realpathSync(dir);
}

describe('resolveHookCommand', () => {
  it('finds @sessions-db/hook in a node_modules above and runs its bin with node', () => {
    const dir = temp();
    const pkg = join(dir, 'node_modules', '@sessions-db', 'hook');
    mkdirSync(join(pkg, 'dist'), { recursive: true });
    writeFileSync(
      join(pkg, 'package.json'),
      JSON.stringify({ name: '@sessions-db/hook', bin: { 'sessions-db-hook': './dist/bin.js' } }),
    );
    const from = join(dir, 'node_modules', '@sessions-db', 'cli', 'dist');
    mkdirSync(from, { recursive: true });
    const bin = join(pkg, 'dist', 'bin.js');
    expect(resolveHookCommand(from)).toEqual({ command: `node "${bin}"`, binPath: bin });
  });

  it('falls back to sessions-db-hook on PATH', () => {
    const dir = temp();
    expect(resolveHookCommand(dir)).toEqual({ command: FALLBACK_HOOK_COMMAND, binPath: null });
  });
});

describe('commandTarget', () => {
  it('finds the script of a node command, a path, or a name on PATH', () => {
    const dir = temp();
    const script = join(dir, 'hook.js');
    writeFileSync(script, '');
    expect(commandTarget(`node "${script}"`, {})).toEqual({ path: script, exists: true });
    expect(commandTarget(`node ${join(dir, 'missing.js')}`, {})).toEqual({
      path: join(dir, 'missing.js'),
      exists: false,
    });
    const bin = join(dir, 'sessions-db-hook');
    writeFileSync(bin, '#!/bin/sh\n');
    chmodSync(bin, 0o755);
    expect(commandTarget('sessions-db-hook', { PATH: `/nonexistent:${dir}` })).toEqual({
      path: bin,
      exists: true,
    });
    expect(commandTarget('sessions-db-hook --flag', { PATH: '/nonexistent' })).toEqual({
      path: 'sessions-db-hook',
      exists: false,
    });
    expect(commandTarget(`${bin} --x`, {})).toEqual({ path: bin, exists: true });
  });
});
