// Load for the hook's e2e tests: a large store seeded through its own log, and CPU-bound
// processes that are bounded in time and always killed.
import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';

import { openStore, resolveStore } from '@sessions-db/store';

import type { World } from './world.js';

/**
 * Seed the world's store with `count` sessions: one `session_seen` line each in the event log,
 * then one open of the store, which builds the index from the log.
 */
export function seedStore(world: World, count: number): void {
  mkdirSync(world.storeDir, { recursive: true, mode: 0o700 });
  const start = Date.parse('2026-01-01T00:00:00.000Z');
  const lines: string[] = [];
  for (let i = 0; i < count; i += 1) {
    lines.push(
      JSON.stringify({
        ts: new Date(start + i * 1000).toISOString(),
        event_id: `evt_seed_${i}`,
        op: 'session_seen',
        stable_id: `sess_seed_${i}`,
        payload: { claude_session_id: randomUUID(), cwd: `/seed/project-${i % 50}` },
      }),
    );
  }
  writeFileSync(world.eventsPath, `${lines.join('\n')}\n`, { mode: 0o600 });
  openStore(resolveStore({ store: world.storeDir })).close();
}

export { startCpuHogs } from '@sessions-db/vitest-config/cpu-hogs';
export type { CpuHogs } from '@sessions-db/vitest-config/cpu-hogs';
