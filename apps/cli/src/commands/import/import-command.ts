import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { booleanArg, stringArg } from '../../args.js';
import { CliError } from '../../cli-error.js';
import type { CommandSpec } from '../../command-spec.js';
import { storePreviewEnabled } from '../../env.js';
import { startProgress } from '../../progress.js';
import { parseSince } from '../../since.js';
import { renderImport } from './render-import.js';

/** `<claude home>/projects`: Claude Code's home comes from the environment only without `--from`. */
async function defaultProjectsDir(
  env: Readonly<Record<string, string | undefined>>,
): Promise<string> {
  const { resolveClaudeHome, projectsRoot } = await import('@sessions-db/git-transcript');
  return projectsRoot(resolveClaudeHome(env));
}

/** `sessions-db import [--from DIR] [--since DATE] [--dry-run]`. */
export const importCommand: CommandSpec = {
  command: 'import',
  describe: "Import Claude Code's existing transcripts (oldest first; idempotent)",
  builder: (yargs) =>
    yargs
      .option('from', {
        type: 'string',
        requiresArg: true,
        describe:
          'A Claude Code projects directory (default <claude home>/projects; CLAUDE_CONFIG_DIR honoured)',
      })
      .option('since', {
        type: 'string',
        requiresArg: true,
        describe: 'Skip transcripts whose last activity is older: ISO date or age (30d, 12h)',
      })
      .option('dry-run', {
        type: 'boolean',
        describe: 'Report what would be imported; write nothing',
      })
      .example('$0 import', 'Everything under ~/.claude/projects')
      .example('$0 import --since 30d', 'Only what was active in the last 30 days')
      .example(
        '$0 import --from /mnt/old-laptop/.claude/projects --dry-run',
        'Preview another history',
      ),
  async run(args, context) {
    const { deps } = context;
    const fromArg = stringArg(args, 'from');
    const from =
      fromArg === undefined ? await defaultProjectsDir(deps.env) : resolve(deps.cwd, fromArg);
    const sinceArg = stringArg(args, 'since');
    const since = sinceArg === undefined ? undefined : parseSince(sinceArg, deps.now());
    if (!existsSync(from) || !statSync(from).isDirectory()) {
      throw new CliError(
        'NOT_FOUND',
        `Claude Code projects directory not found: ${from}${fromArg === undefined ? ' (set CLAUDE_CONFIG_DIR or pass --from DIR)' : ''}`,
      );
    }
    const dryRun = booleanArg(args, 'dry-run');
    const store = await context.openStore({ create: !dryRun });
    const { importHistory } = await import('@sessions-db/store');
    const progress = await startProgress(context, 'importing');
    try {
      const summary = await importHistory(store, {
        from,
        since,
        dryRun,
        storePreview: storePreviewEnabled(deps.env),
        now: deps.now,
        onProgress: (done, total) => progress.update(done, total),
      });
      return { json: { ok: true, ...summary }, text: renderImport(summary, context.paint) };
    } finally {
      progress.stop();
    }
  },
};
