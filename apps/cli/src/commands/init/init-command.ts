import type { CommandContext } from '../../command-context.js';
import type { CommandSpec } from '../../command-spec.js';
import { CliError } from '../../cli-error.js';
import { stringArg } from '../../args.js';
import { safeText } from '../../format/safe-text.js';

/** What `init` did. */
export interface InitReport {
  readonly ok: true;
  readonly dir: string;
  readonly created: { readonly dir: boolean; readonly events: boolean; readonly index: boolean };
  /** The user configuration file that now lists the store, or null (the per-user default store). */
  readonly trusted_in: string | null;
}

/** The human text of an `init` report. */
export function renderInit(report: InitReport): string {
  const made = Object.entries(report.created)
    .filter(([, created]) => created)
    .map(([what]) => what);
  const lines = [
    `ok: store ${made.length === 0 ? 'already there' : `created (${made.join(', ')})`} in ${safeText(report.dir)}`,
  ];
  if (report.trusted_in !== null)
    lines.push(
      `  trusted: listed in ${safeText(report.trusted_in)}, so commands and the hook run below it use this store`,
    );
  return lines.join('\n');
}

async function runInit(
  directory: string | undefined,
  context: CommandContext,
): Promise<InitReport> {
  const { initStore, resolveStore, trustStore } = await import('@sessions-db/store');
  const { deps } = context;
  const paths = resolveStore({
    store: directory ?? context.location.store,
    root: context.location.root,
    cwd: deps.cwd,
    env: deps.env,
  });
  const result = initStore(paths);
  if (!result.ok) throw new CliError(result.error.code, result.error.message);
  // A store in a workspace is found by climbing from the directories below it only once the user
  // has made it theirs: listing it in their own configuration is how.
  const trusted = paths.source === 'default' ? null : trustStore(paths.dir, deps.env);
  return { ok: true, dir: paths.dir, created: result.created, trusted_in: trusted };
}

/** `sessions-db init [dir]`. */
export const initCommand: CommandSpec = {
  command: 'init [dir]',
  describe: 'Create a store (default: the one in use) and make it yours, so it is found from below',
  builder: (yargs) =>
    yargs
      .positional('dir', {
        type: 'string',
        describe: 'Store directory (default: --store, else the store in use)',
      })
      .example('$0 init .dru-code', "Keep this workspace's sessions in ./.dru-code")
      .example('$0 init', 'Create the per-user default store'),
  async run(args, context) {
    const report = await runInit(stringArg(args, 'dir'), context);
    return { json: report, text: renderInit(report) };
  },
};
