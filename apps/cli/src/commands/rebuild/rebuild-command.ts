import type { RebuildResult } from '@sessions-db/store';
import { CliError } from '../../cli-error.js';
import type { CommandSpec } from '../../command-spec.js';
import { startProgress } from '../../progress.js';

/** `n thing` or `n things`. */
export function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

/** The text of a successful rebuild (docs/cli.md). */
export function renderRebuild(result: Extract<RebuildResult, { ok: true }>): string {
  const lines = [
    `ok: rebuilt projection — ${plural(result.sessionCount, 'session')}, ${plural(result.eventCount, 'event')}`,
  ];
  if (result.toleratedCorruptions > 0) {
    lines.push(`  (warning: ${result.toleratedCorruptions} tail-partial event line(s) tolerated)`);
  }
  return lines.join('\n');
}

/** `sessions-db rebuild`. */
export const rebuildCommand: CommandSpec = {
  command: 'rebuild',
  describe: 'Rebuild the index and sessions-db.json from the event log',
  builder: (yargs) =>
    yargs
      .example('$0 rebuild', 'Refold every event; rewrite the SQLite index and sessions-db.json')
      .example('$0 rebuild --json', '{ ok, sessionCount, eventCount, toleratedCorruptions }'),
  async run(_args, context) {
    const store = await context.openStore();
    const progress = await startProgress(context, 'rebuilding');
    let result: RebuildResult;
    try {
      result = await store.rebuild({
        onProgress: ({ done, total }) => progress.update(done, total),
        writeProjectionJson: true,
      });
    } finally {
      progress.stop();
    }
    if (!result.ok) {
      const corruptions = result.error.corruptions ?? [];
      throw new CliError(result.error.code, `rebuild failed: ${result.error.message}`, {
        detailLines: corruptions.slice(0, 5).map((c) => `  line ${c.line}: ${c.reason}`),
        details: { corruptions },
      });
    }
    return {
      json: {
        ok: true,
        sessionCount: result.sessionCount,
        eventCount: result.eventCount,
        toleratedCorruptions: result.toleratedCorruptions,
        projectionPath: result.projectionPath,
      },
      text: renderRebuild(result),
    };
  },
};
