import { booleanArg, stringArg } from '../../args.js';
import { usageError } from '../../cli-error.js';
import type { CommandSpec } from '../../command-spec.js';
import { toWriteOutput } from '../../write-output.js';
import { DRY_RUN_FLAG } from '../../write-flags.js';

/** `sessions-db alias <session> <alias> | --clear`. */
export const aliasCommand: CommandSpec = {
  command: 'alias <session> [alias]',
  describe: 'Set / change / clear a session alias',
  builder: (yargs) =>
    yargs
      .positional('session', {
        type: 'string',
        describe: 'Stable id, unique prefix, alias or Claude session id',
      })
      .positional('alias', { type: 'string', describe: 'The new alias' })
      .option('clear', { type: 'boolean', describe: 'Remove the alias' })
      .option('dry-run', DRY_RUN_FLAG)
      .example('$0 alias sess_0197 login-fix', 'Name a session (prefix of its stable id)')
      .example('$0 alias login-fix --clear', 'Remove the alias again'),
  async run(args, context) {
    const ref = stringArg(args, 'session') ?? '';
    const alias = stringArg(args, 'alias');
    const clear = booleanArg(args, 'clear');
    if (alias !== undefined && clear) throw usageError('alias and --clear are mutually exclusive');
    if (alias === undefined && !clear) throw usageError('provide an alias positional or --clear');
    if (alias === '') throw usageError('alias must be a non-empty string');
    const store = await context.openStore();
    const result = store.setAlias(ref, clear ? null : (alias ?? null), {
      dryRun: booleanArg(args, 'dry-run'),
    });
    return toWriteOutput(result, { op: 'alias_set', ref }, clear ? { cleared: true } : { alias });
  },
};
