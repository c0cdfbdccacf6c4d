import { booleanArg, stringArg } from '../../args.js';
import type { CommandSpec } from '../../command-spec.js';
import { storeFailure } from '../../session-ref.js';
import { renderTree, treeJson } from './render-tree.js';

/** `sessions-db tree <session> [--ancestors]`. */
export const treeCommand: CommandSpec = {
  command: 'tree <session>',
  describe: 'Render the parent → children subtree (with --ancestors, the path from its root)',
  builder: (yargs) =>
    yargs
      .positional('session', {
        type: 'string',
        describe: 'Stable id, unique prefix, alias or Claude session id',
      })
      .option('ancestors', {
        type: 'boolean',
        describe: 'Also show the chain of parents above the session',
      })
      .example('$0 tree sess_0197', 'The session and everything forked or cleared from it')
      .example('$0 tree login-fix --ancestors', 'Where a session came from, and what came of it')
      .example(
        '$0 tree login-fix --json',
        'Nested { stable_id, label, edge_kind, …, children } nodes',
      ),
  async run(args, context) {
    const ref = stringArg(args, 'session') ?? '';
    const ancestors = booleanArg(args, 'ancestors');
    const store = await context.openStore();
    const result = store.sessionTree(ref, { ancestors });
    if (!result.ok) throw storeFailure(result.error, ref);
    return {
      json: treeJson(result.tree, ancestors),
      text: renderTree(result.tree, {
        paint: context.paint,
        now: context.deps.now(),
        columns: context.deps.columns,
      }),
    };
  },
};
