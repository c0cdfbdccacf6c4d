import { chmodSync, chownSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

import { MAX_ASCEND_DEPTH, resolveStore } from './paths.js';
import { trustStore } from './trusted-stores.js';
import { tempDir } from './test-support/temp-dir.js';

function workspace(): string {
  const dir = tempDir('sdb-paths-');
  return dir;
}

function plantStore(dir: string, file = 'sessions-db-events.jsonl'): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, file), '');
}

/** A home of its own (its config lists the trusted stores), and a store the user made theirs. */
function userWith(ws: string): {
  env: { HOME: string };
  own: (dir: string, file?: string) => void;
} {
  const env = { HOME: join(ws, 'home') };
  return {
    env,
    own(dir, file) {
      plantStore(dir, file);
      trustStore(dir, env);
    },
  };
}

const noEnv = { HOME: '/nonexistent-home' };

describe('resolveStore', () => {
  it('uses an explicit --store directory first, resolved to absolute', () => {
    const paths = resolveStore({ store: 'rel/store', env: { SESSIONS_DB_ROOT: '/env' } });
    expect(paths.source).toBe('arg');
    expect(paths.dir).toBe(join(process.cwd(), 'rel/store'));
    expect(paths.eventsPath).toBe(join(paths.dir, 'sessions-db-events.jsonl'));
    expect(paths.indexPath).toBe(join(paths.dir, 'sessions-db.sqlite'));
    expect(paths.lockPath).toBe(join(paths.dir, 'sessions-db.json.lock'));
  });

  it('maps --root to the legacy workspace form <root>/tickets/_logs', () => {
    expect(resolveStore({ root: '/ws', env: noEnv })).toMatchObject({
      dir: '/ws/tickets/_logs',
      source: 'root',
    });
  });

  it('then SESSIONS_DB_ROOT, then DRUUMEN_SESSIONS_DB_ROOT (empty values ignored)', () => {
    expect(
      resolveStore({ env: { SESSIONS_DB_ROOT: '/a', DRUUMEN_SESSIONS_DB_ROOT: '/b' } }),
    ).toMatchObject({ dir: '/a', source: 'env' });
    expect(
      resolveStore({ env: { SESSIONS_DB_ROOT: '', DRUUMEN_SESSIONS_DB_ROOT: '/b' } }),
    ).toMatchObject({ dir: '/b', source: 'env-compat' });
  });

  it('ascends for an existing tickets/_logs or .dru-code store (nearer wins; tickets/_logs wins at one level)', () => {
    const ws = workspace();
    const { env, own } = userWith(ws);
    const deep = join(ws, 'a', 'b', 'c');
    mkdirSync(deep, { recursive: true });
    own(join(ws, 'tickets', '_logs'), 'sessions-db.json');
    expect(resolveStore({ cwd: deep, env })).toMatchObject({
      dir: join(ws, 'tickets', '_logs'),
      source: 'tickets-logs',
    });
    own(join(ws, 'a', '.dru-code'));
    expect(resolveStore({ cwd: deep, env })).toMatchObject({
      dir: join(ws, 'a', '.dru-code'),
      source: 'dru-code',
    });
    own(join(ws, 'a', 'tickets', '_logs'));
    expect(resolveStore({ cwd: deep, env })).toMatchObject({
      source: 'tickets-logs',
      dir: join(ws, 'a', 'tickets', '_logs'),
    });
  });

  it('never adopts an empty store directory, and stops after MAX_ASCEND_DEPTH levels', () => {
    const ws = workspace();
    const { env, own } = userWith(ws);
    mkdirSync(join(ws, '.dru-code'), { recursive: true });
    trustStore(join(ws, '.dru-code'), env);
    const parts = Array.from({ length: MAX_ASCEND_DEPTH }, (_, i) => `d${i}`);
    const deep = join(ws, ...parts);
    mkdirSync(deep, { recursive: true });
    own(join(ws, 'tickets', '_logs'));
    expect(resolveStore({ cwd: join(ws, 'd0'), env }).source).toBe('tickets-logs');
    expect(resolveStore({ cwd: deep, env }).source).toBe('default');
  });

  it('never uses a store of a checkout that the user did not make theirs', () => {
    const ws = workspace();
    const { env } = userWith(ws);
    // What a cloned repository can ship: a store directory with a log, even a symlinked one.
    plantStore(join(ws, 'repo', '.dru-code'));
    const deep = join(ws, 'repo', 'src');
    mkdirSync(deep, { recursive: true });
    const paths = resolveStore({ cwd: deep, env });
    expect(paths.source).toBe('default');
    expect(paths.ignored).toEqual([
      {
        dir: join(ws, 'repo', '.dru-code'),
        reason: expect.stringContaining('not one of your stores') as unknown,
      },
    ]);
  });

  it('passes over a trusted store whose files are symlinks or that others can write to', () => {
    const ws = workspace();
    const { env, own } = userWith(ws);
    const store = join(ws, 'repo', '.dru-code');
    own(store);
    rmSync(join(store, 'sessions-db-events.jsonl'));
    writeFileSync(join(ws, 'bashrc'), 'precious\n');
    symlinkSync(join(ws, 'bashrc'), join(store, 'sessions-db-events.jsonl'));
    const linked = resolveStore({ cwd: join(ws, 'repo'), env });
    expect(linked.source).toBe('default');
    expect(linked.ignored?.[0]?.reason).toMatch(/is a symlink/);

    rmSync(join(store, 'sessions-db-events.jsonl'));
    writeFileSync(join(store, 'sessions-db-events.jsonl'), '');
    chmodSync(store, 0o777);
    const open = resolveStore({ cwd: join(ws, 'repo'), env });
    expect(open.source).toBe('default');
    expect(open.ignored?.[0]?.reason).toMatch(/others can write to it/);
    chmodSync(store, 0o700);
    expect(resolveStore({ cwd: join(ws, 'repo'), env }).source).toBe('dru-code');
  });

  it.skipIf(process.getuid?.() !== 0)('passes over a store that belongs to another user', () => {
    const ws = workspace();
    const { env, own } = userWith(ws);
    const store = join(ws, 'shared', '.dru-code');
    own(store);
    chownSync(store, 4242, 4242);
    const paths = resolveStore({ cwd: join(ws, 'shared'), env });
    expect(paths.source).toBe('default');
    expect(paths.ignored?.[0]?.reason).toMatch(/belongs to uid 4242/);
  });

  it('falls back to the per-user data directory (XDG_DATA_HOME honoured)', () => {
    const ws = workspace();
    expect(resolveStore({ cwd: ws, env: { XDG_DATA_HOME: '/xdg' } })).toMatchObject({
      dir: '/xdg/sessions-db',
      source: 'default',
    });
    if (process.platform === 'linux') {
      expect(resolveStore({ cwd: ws, env: { HOME: '/home/someone' } }).dir).toBe(
        '/home/someone/.local/share/sessions-db',
      );
    }
  });
});
