/**
 * Scenario 4: the read commands people type most — `find --limit 20`, `show <id>`, `tree <id>` —
 * each a fresh CLI process against a copy of the store, interleaved with `node -e 0`.
 */

import { READ_RATIO_BUDGET } from '../budgets.js';
import type { CachedStore } from '../generate/store-cache.js';
import {
  measureInterleaved,
  ratioBudget,
  rowBase,
  spawnTarget,
  timeBaseline,
  timed,
  withStoreCopy,
} from './context.js';
import type { BenchContext, ResultRow } from './context.js';

/** A read command of scenario 4. */
export type ReadCommand = 'find' | 'show' | 'tree';

function commandArgs(command: ReadCommand, store: CachedStore): string[] {
  switch (command) {
    case 'find':
      return ['find', '--limit', '20'];
    case 'show':
      return ['show', store.manifest.showId];
    case 'tree':
      return ['tree', store.manifest.treeRootId];
  }
}

/** Whether stdout is one JSON document. */
function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/** Time each of `commands` against one copy of `store`. */
export async function runReadScenarios(
  ctx: BenchContext,
  store: CachedStore,
  commands: readonly ReadCommand[],
): Promise<ResultRow[]> {
  return withStoreCopy(ctx, store, `read-${store.label}`, async (dir) => {
    const rows: ResultRow[] = [];
    for (const command of commands) {
      const args = [...commandArgs(command, store), '--store', dir, '--json'];
      const failures: string[] = [];
      let bytes = 0;
      const [baseline, times] = await measureInterleaved(ctx, [
        () => timeBaseline(ctx),
        async () => {
          const { outcome } = await spawnTarget(ctx, ctx.cli, args, { timeoutMs: 60_000 });
          bytes = outcome.stdout.length;
          if (outcome.code !== 0 || !isJson(outcome.stdout)) {
            failures.push(
              `exit ${String(outcome.code)}: ${(outcome.stderr || outcome.stdout).trim().slice(0, 200)}`,
            );
          }
          return outcome.ms;
        },
      ]);
      const { ratio, fields } = timed(times, baseline);
      const shown = args
        .slice(0, -3)
        .map((a) => (a.startsWith('sess_') ? `${a.slice(0, 13)}...` : a));
      rows.push({
        id: command,
        scenario: shown.join(' '),
        ...rowBase(store, ctx.cli),
        ...fields,
        ...ratioBudget(ratio, READ_RATIO_BUDGET, failures.length > 0),
        notes:
          failures.length > 0
            ? [`${failures.length} runs failed; first: ${failures[0] ?? ''}`]
            : [`${bytes} bytes of JSON on stdout`],
      });
    }
    return rows;
  });
}
