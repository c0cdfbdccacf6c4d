import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { booleanArg, stringArg } from '../../args.js';
import { CliError } from '../../cli-error.js';
import type { CommandSpec } from '../../command-spec.js';
import { storePreviewEnabled } from '@sessions-db/store/env';
import { startProgress } from '../../progress.js';
import { parseSince } from '../../since.js';
import { renderImport } from './render-import.js';
import type { AgentName } from '@sessions-db/git-transcript';
import type { ImportSummary } from '@sessions-db/store';

/** Said when the sessions are recorded but the content index was held by another process. */
export const IMPORT_CONTENT_BUSY_WARNING =
  'warning: another sessions-db process holds the content index (converting it to a new layout, which takes a while for a large index): the sessions are recorded, their transcripts not archived or indexed yet; run `sessions-db import` again later';

/** The agents `import` reads, and where. */
interface ImportSource {
  readonly agent: AgentName;
  readonly from: string;
  /** Given on the command line (`--from`, `--codex-home`), or found in the environment. */
  readonly explicit: boolean;
}

function isDirectory(path: string): boolean {
  return existsSync(path) && statSync(path).isDirectory();
}

/**
 * The histories to read: `--agent claude|codex|all`; without it, Claude alone when `--from` is
 * given, Codex alone when only `--codex-home` is, else every agent whose home exists.
 */
async function importSources(
  args: Record<string, unknown>,
  cwd: string,
  env: Readonly<Record<string, string | undefined>>,
): Promise<ImportSource[]> {
  const { resolveClaudeHome, projectsRoot, resolveCodexHome } =
    await import('@sessions-db/git-transcript');
  const fromArg = stringArg(args, 'from');
  const codexArg = stringArg(args, 'codex-home');
  const agentArg = stringArg(args, 'agent') ?? 'all';
  const claude: ImportSource = {
    agent: 'claude',
    from: fromArg === undefined ? projectsRoot(resolveClaudeHome(env)) : resolve(cwd, fromArg),
    explicit: fromArg !== undefined,
  };
  const codex: ImportSource = {
    agent: 'codex',
    from: codexArg === undefined ? resolveCodexHome(env) : resolve(cwd, codexArg),
    explicit: codexArg !== undefined,
  };
  const notFound = (source: ImportSource): CliError =>
    source.agent === 'claude'
      ? new CliError(
          'NOT_FOUND',
          `Claude Code projects directory not found: ${source.from}${source.explicit ? '' : ' (set CLAUDE_CONFIG_DIR or pass --from DIR)'}`,
        )
      : new CliError(
          'NOT_FOUND',
          `Codex home not found: ${source.from}${source.explicit ? '' : ' (set CODEX_HOME or pass --codex-home DIR)'}`,
        );
  if (agentArg === 'claude' || agentArg === 'codex') {
    const source = agentArg === 'claude' ? claude : codex;
    if (!isDirectory(source.from)) throw notFound(source);
    return [source];
  }
  if (stringArg(args, 'agent') === undefined && (claude.explicit || codex.explicit)) {
    const given = [claude, codex].filter((source) => source.explicit);
    for (const source of given) if (!isDirectory(source.from)) throw notFound(source);
    return given;
  }
  const present = [claude, codex].filter((source) => isDirectory(source.from));
  if (present.length === 0) throw notFound(claude);
  return present;
}

/** `sessions-db import [--agent A] [--from DIR] [--codex-home DIR] [--since DATE] [--dry-run]`. */
export const importCommand: CommandSpec = {
  command: 'import',
  describe: "Import Claude Code's and Codex CLI's existing transcripts (oldest first; idempotent)",
  builder: (yargs) =>
    yargs
      .option('agent', {
        type: 'string',
        choices: ['claude', 'codex', 'all'],
        requiresArg: true,
        describe: 'Whose history to read (default: every agent whose home exists)',
      })
      .option('codex-home', {
        type: 'string',
        requiresArg: true,
        describe: 'A Codex CLI home (default $CODEX_HOME or ~/.codex)',
      })
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
      .example('$0 import', 'Everything under ~/.claude/projects and ~/.codex')
      .example('$0 import --agent codex', 'Only Codex CLI rollouts')
      .example('$0 import --since 30d', 'Only what was active in the last 30 days')
      .example(
        '$0 import --from /mnt/old-laptop/.claude/projects --dry-run',
        'Preview another history',
      ),
  async run(args, context) {
    const { deps } = context;
    const sinceArg = stringArg(args, 'since');
    const since = sinceArg === undefined ? undefined : parseSince(sinceArg, deps.now());
    const sources = await importSources(args, deps.cwd, deps.env);
    const dryRun = booleanArg(args, 'dry-run');
    const { importHistory, isSqliteBusy, startImportScan } = await import('@sessions-db/store');
    // Claude's scan worker reads the transcripts' first timestamps while the store opens (Codex
    // reads on this thread).
    const claude = sources.find((source) => source.agent === 'claude');
    const scanWorker = claude === undefined ? null : startImportScan('claude', claude.from);
    const store = await context.openStore({ create: !dryRun }).catch((error: unknown) => {
      scanWorker?.cancel();
      throw error;
    });
    const progress = await startProgress(context, 'importing');
    try {
      const summaries: ImportSummary[] = [];
      for (const source of sources) {
        summaries.push(
          await importHistory(store, {
            agent: source.agent,
            from: source.from,
            since,
            dryRun,
            storePreview: storePreviewEnabled(deps.env),
            now: deps.now,
            onProgress: (done, total) => progress.update(done, total),
            ...(source.agent === 'claude' ? { scanWorker } : {}),
          }),
        );
      }
      progress.stop();
      let text = summaries.map((summary) => renderImport(summary, context.paint)).join('\n');
      const [only] = summaries;
      // One agent: its summary at the top level (as before); several: one summary per agent.
      const json: Record<string, unknown> =
        summaries.length === 1 && only !== undefined
          ? { ok: true, ...only }
          : { ok: true, imports: summaries };
      if (dryRun || store.paths === null) return { json, text };
      // Then every recorded transcript is archived and its new lines indexed (see content-store).
      const indexing = await startProgress(context, 'archiving and indexing');
      try {
        const { archiveEnabled, syncContent } = await import('@sessions-db/store/content');
        let content: Awaited<ReturnType<typeof syncContent>>;
        try {
          content = await syncContent(store, {
            archive: archiveEnabled(deps.env),
            onFile: (done, total) => indexing.update(done, total),
          });
        } catch (error) {
          // the sessions are recorded; only their content waits (another process converts the
          // index, holding its write lock past the busy timeout)
          if (!isSqliteBusy(error)) throw error;
          return { json: { ...json, content: null }, text, stderr: IMPORT_CONTENT_BUSY_WARNING };
        }
        text += `\ncontent: ${String(content.indexedRows)} message(s) indexed, ${String(Math.round(content.archivedBytes / 1024))} KiB archived`;
        return { json: { ...json, content }, text };
      } finally {
        indexing.stop();
      }
    } finally {
      progress.stop();
    }
  },
};
