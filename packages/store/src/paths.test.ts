import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

import { MAX_ASCEND_DEPTH, resolveStore } from './paths.js';
import { tempDir } from './test-support/fixtures.js';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

function workspace(): string {
  const { dir, cleanup } = tempDir('sdb-paths-');
  cleanups.push(cleanup);
  return dir;
}

function plantStore(dir: string, file = 'sessions-db-events.jsonl'): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, file), '');
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
    const deep = join(ws, 'a', 'b', 'c');
    mkdirSync(deep, { recursive: true });
    plantStore(join(ws, 'tickets', '_logs'), 'sessions-db.json');
    expect(resolveStore({ cwd: deep, env: noEnv })).toMatchObject({
      dir: join(ws, 'tickets', '_logs'),
      source: 'tickets-logs',
    });
    plantStore(join(ws, 'a', '.dru-code'));
    expect(resolveStore({ cwd: deep, env: noEnv })).toMatchObject({
      dir: join(ws, 'a', '.dru-code'),
      source: 'dru-code',
    });
    plantStore(join(ws, 'a', 'tickets', '_logs'));
    expect(resolveStore({ cwd: deep, env: noEnv })).toMatchObject({
      source: 'tickets-logs',
      dir: join(ws, 'a', 'tickets', '_logs'),
    });
  });

  it('never adopts an empty store directory, and stops after MAX_ASCEND_DEPTH levels', () => {
    const ws = workspace();
    mkdirSync(join(ws, '.dru-code'), { recursive: true });
    const parts = Array.from({ length: MAX_ASCEND_DEPTH }, (_, i) => `d${i}`);
    const deep = join(ws, ...parts);
    mkdirSync(deep, { recursive: true });
    plantStore(join(ws, 'tickets', '_logs'));
    expect(resolveStore({ cwd: join(ws, 'd0'), env: noEnv }).source).toBe('tickets-logs');
    expect(resolveStore({ cwd: deep, env: noEnv }).source).toBe('default');
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
