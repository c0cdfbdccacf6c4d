import { booleanArg, stringArg, stringListArg } from '../../args.js';
import { usageError } from '../../cli-error.js';
import type { CommandSpec } from '../../command-spec.js';
import { toWriteOutput } from '../../write-output.js';
import { DRY_RUN_FLAG } from '../../write-flags.js';

/** `sessions-db link <session> [--task T ...] [--project P ...] [--remove]`. */
export const linkCommand: CommandSpec = {
  command: 'link <session>',
  describe: 'Link a session to a task or project (or --remove via session_unlink)',
  builder: (yargs) =>
    yargs
      .positional('session', {
        type: 'string',
        describe: 'Stable id, unique prefix, alias or Claude session id',
      })
      .option('task', {
        type: 'string',
        array: true,
        requiresArg: true,
        describe: 'Task id (repeatable)',
      })
      .option('project', {
        type: 'string',
        array: true,
        requiresArg: true,
        describe: 'Project id (repeatable)',
      })
      .option('remove', { type: 'boolean', describe: 'Unlink instead (writes session_unlink)' })
      .option('dry-run', DRY_RUN_FLAG)
      .example('$0 link login-fix --task T-142', 'Link a session to a task')
      .example('$0 link login-fix --task T-142 --project auth', 'Link to a task and a project')
      .example('$0 link login-fix --task T-142 --remove', 'Unlink it again'),
  async run(args, context) {
    const ref = stringArg(args, 'session') ?? '';
    const tasks = stringListArg(args, 'task');
    const projects = stringListArg(args, 'project');
    const remove = booleanArg(args, 'remove');
    if (tasks.length === 0 && projects.length === 0) {
      throw usageError(
        remove
          ? 'link --remove requires at least one --task or --project'
          : 'provide at least one --task or --project',
      );
    }
    const store = await context.openStore();
    const options = { dryRun: booleanArg(args, 'dry-run') };
    const result = remove
      ? store.unlinkSession(ref, { tasks, projects }, options)
      : store.linkSession(ref, { tasks, projects }, options);
    const extras: Record<string, unknown> = { tasks, projects };
    if (remove) extras['removed'] = true;
    return toWriteOutput(result, { op: remove ? 'session_unlink' : 'session_link', ref }, extras);
  },
};
