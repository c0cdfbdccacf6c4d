import { stringArg } from '../../args.js';
import { CliError } from '../../cli-error.js';
import type { CommandSpec } from '../../command-spec.js';
import { restoreSessionFiles } from '../../content/content-store.js';
import { requireSession } from '../../session-ref.js';

/** `sessions-db restore <session> [--to DIR]`. */
export const restoreCommand: CommandSpec = {
  command: 'restore <session>',
  describe: 'Write the archived transcripts of a session back where Claude Code expects them',
  builder: (yargs) =>
    yargs
      .positional('session', {
        type: 'string',
        describe: 'stable id, prefix, alias or Claude session id',
      })
      .option('to', { type: 'string', describe: 'write into this directory instead' })
      .example('$0 restore my-alias', 'so `claude --resume` works again after the 30-day cleanup'),
  async run(args, context) {
    const store = await context.openStore();
    const { session } = requireSession(store, stringArg(args, 'session') ?? '');
    const files = restoreSessionFiles(store, session, stringArg(args, 'to'));
    const conflicts = files.filter((f) => f.outcome === 'conflict');
    const text = files.map((f) => `${f.outcome}: ${f.path}`).join('\n');
    if (conflicts.length > 0) {
      throw new CliError(
        'RESTORE_CONFLICT',
        `restore: ${String(conflicts.length)} file(s) exist and differ from the archive; left untouched`,
        { detailLines: conflicts.map((f) => `  ${f.path}`), details: { files } },
      );
    }
    return { json: { ok: true, stable_id: session.stable_id, files }, text };
  },
};
