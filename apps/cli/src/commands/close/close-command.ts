import { booleanArg, stringArg } from '../../args.js';
import { usageError } from '../../cli-error.js';
import type { CommandSpec } from '../../command-spec.js';
import { OUTCOME_VALUES } from '../../enums.js';
import { toWriteOutput } from '../../write-output.js';
import { DRY_RUN_FLAG } from '../../write-flags.js';

/** `sessions-db close <session> --outcome <outcome> [--reason "..."]`. */
export const closeCommand: CommandSpec = {
  command: 'close <session>',
  describe: 'Set outcome + closed_at + reason (or reopen)',
  builder: (yargs) =>
    yargs
      .positional('session', {
        type: 'string',
        describe: 'Stable id, unique prefix, alias or Claude session id',
      })
      .option('outcome', {
        type: 'string',
        requiresArg: true,
        describe: `One of: ${OUTCOME_VALUES.join(', ')}`,
      })
      .option('reason', {
        type: 'string',
        requiresArg: true,
        describe: 'Why (stored as closed_reason)',
      })
      .option('dry-run', DRY_RUN_FLAG)
      .example('$0 close login-fix --outcome done', 'Close a session as done')
      .example(
        '$0 close login-fix --outcome superseded --reason "redone in sess_0198"',
        'With a reason',
      ),
  async run(args, context) {
    const ref = stringArg(args, 'session') ?? '';
    const outcome = stringArg(args, 'outcome');
    const reason = stringArg(args, 'reason');
    if (outcome === undefined || outcome === '') throw usageError('--outcome is required');
    if (!OUTCOME_VALUES.includes(outcome))
      throw usageError(`--outcome must be one of: ${OUTCOME_VALUES.join(', ')}`);
    const store = await context.openStore();
    const result = store.closeSession(
      ref,
      reason === undefined ? { outcome } : { outcome, reason },
      { dryRun: booleanArg(args, 'dry-run') },
    );
    return toWriteOutput(
      result,
      { op: 'close', ref },
      reason === undefined ? { outcome } : { outcome, reason },
    );
  },
};
