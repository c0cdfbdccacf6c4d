import { PARENT_KINDS } from '@sessions-db/projection';
import type { ParentKind } from '@sessions-db/projection';
import { booleanArg, stringArg } from '../../args.js';
import { CliError, usageError } from '../../cli-error.js';
import type { CommandSpec } from '../../command-spec.js';
import { toWriteOutput } from '../../write-output.js';
import { DRY_RUN_FLAG } from '../../write-flags.js';

const KINDS: readonly string[] = PARENT_KINDS;

/** `sessions-db link-parent <child> <parent> | <child> --remove`. */
export const linkParentCommand: CommandSpec = {
  command: 'link-parent <child> [parent]',
  describe: 'Set / clear parent_session_id',
  builder: (yargs) =>
    yargs
      .positional('child', { type: 'string', describe: 'The child session' })
      .positional('parent', { type: 'string', describe: 'The parent session' })
      .option('remove', { type: 'boolean', describe: 'Clear the parent' })
      .option('kind', {
        type: 'string',
        requiresArg: true,
        describe: `Edge kind: ${KINDS.join(', ')} (default manual)`,
      })
      .option('dry-run', DRY_RUN_FLAG)
      .example('$0 link-parent sess_0197b sess_0197a', 'Make sess_0197a the parent of sess_0197b')
      .example('$0 link-parent sess_0197b --remove', 'Clear the parent again'),
  async run(args, context) {
    const child = stringArg(args, 'child') ?? '';
    const parent = stringArg(args, 'parent');
    const remove = booleanArg(args, 'remove');
    const kind = stringArg(args, 'kind');
    if (parent !== undefined && remove)
      throw usageError('parent positional and --remove are mutually exclusive');
    if (parent === undefined && !remove) throw usageError('provide a parent stable_id or --remove');
    if (kind !== undefined && !KINDS.includes(kind))
      throw usageError(`--kind must be one of: ${KINDS.join(', ')}`);
    if (parent !== undefined && parent === child) {
      throw new CliError('INVALID_ARGUMENT', 'parent and child cannot be the same stable_id');
    }
    const store = await context.openStore();
    const options = {
      dryRun: booleanArg(args, 'dry-run'),
      ...(kind === undefined ? {} : { kind: kind as ParentKind }),
    };
    const result = store.setParent(child, remove ? null : (parent ?? null), options);
    const extras: Record<string, unknown> = remove
      ? { cleared: true }
      : { parent: result.ok ? result.parent_id : parent, ...(kind === undefined ? {} : { kind }) };
    return toWriteOutput(result, { op: 'link-parent', ref: child }, extras);
  },
};
