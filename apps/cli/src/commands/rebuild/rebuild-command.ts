import type { RebuildResult } from '@sessions-db/store';
import { booleanArg } from '../../args.js';
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
  describe:
    'Rebuild the index and sessions-db.json from the event log (--content: the content index from the archive)',
  builder: (yargs) =>
    yargs
      .option('content', {
        type: 'boolean',
        describe: 'Rebuild the content index (search) from the archive instead',
      })
      .example('$0 rebuild', 'Refold every event; rewrite the SQLite index and sessions-db.json')
      .example('$0 rebuild --content', 'Index every archived transcript again')
      .example('$0 rebuild --json', '{ ok, sessionCount, eventCount, toleratedCorruptions }'),
  async run(args, context) {
    const store = await context.openStore();
    if (booleanArg(args, 'content')) {
      if (store.paths === null)
        throw new CliError('STORE_UNAVAILABLE', 'there is no store yet: nothing is archived');
      const { rebuildContentIndex } = await import('@sessions-db/store/content');
      const content = await rebuildContentIndex(store);
      return {
        json: { ok: true, content },
        text:
          `ok: rebuilt the content index from the archive — ${plural(content.transcripts, 'transcript')}, ${plural(content.rows, 'row')}` +
          (content.unknown > 0
            ? `\n  (${plural(content.unknown, 'archived transcript')} of no session in this store left out)`
            : ''),
      };
    }
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
