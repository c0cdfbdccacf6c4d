import { booleanArg, stringArg } from '../../args.js';
import type { CommandSpec } from '../../command-spec.js';
import { toWriteOutput } from '../../write-output.js';
import { DRY_RUN_FLAG } from '../../write-flags.js';

/** `sessions-db reopen <session> [--reason "..."]`. */
export const reopenCommand: CommandSpec = {
  command: 'reopen <session>',
  describe: 'Reopen a closed session (outcome open; closed_at and reason cleared)',
  builder: (yargs) =>
    yargs
      .positional('session', {
        type: 'string',
        describe: 'Stable id, unique prefix, alias or Claude session id',
      })
      .option('reason', { type: 'string', requiresArg: true, describe: 'Why it is reopened' })
      .option('dry-run', DRY_RUN_FLAG)
      .example('$0 reopen login-fix', 'Reopen a session closed by mistake'),
  async run(args, context) {
    const ref = stringArg(args, 'session') ?? '';
    const reason = stringArg(args, 'reason');
    const store = await context.openStore();
    const options = {
      dryRun: booleanArg(args, 'dry-run'),
      ...(reason === undefined ? {} : { reason }),
    };
    const result = store.reopenSession(ref, options);
    return toWriteOutput(result, { op: 'reopen', ref }, reason === undefined ? {} : { reason });
  },
};
