import type { SessionTree, TreeNode } from '@sessions-db/store';
import { booleanArg, stringArg } from '../../args.js';
import type { CommandContext } from '../../command-context.js';
import type { CommandSpec, ParsedArgs } from '../../command-spec.js';
import { agentFlag, sessionAgent } from '../../enums.js';
import { requireAgent, storeFailure } from '../../session-ref.js';
import { renderTree, treeJson } from './render-tree.js';

/** `node` without the descendants of another agent than `agent` (all of them when undefined). */
function ofAgent(node: TreeNode, agent: string | undefined): TreeNode {
  if (agent === undefined || agent === '') return node;
  return {
    ...node,
    children: node.children
      .filter((child) => sessionAgent(child.session) === agent)
      .map((child) => ofAgent(child, agent)),
  };
}

/**
 * The subtree `tree`'s flags (`session`, `ancestors`, `agent`) name.
 *
 * @throws CliError (exit 1) for an unknown or ambiguous session, or one of another agent.
 */
export async function runTree(args: ParsedArgs, context: CommandContext): Promise<SessionTree> {
  const ref = stringArg(args, 'session') ?? '';
  const store = await context.openStore();
  const result = store.sessionTree(ref, { ancestors: booleanArg(args, 'ancestors') });
  if (!result.ok) throw storeFailure(result.error, ref);
  const agent = stringArg(args, 'agent');
  requireAgent(result.tree.root.session, agent, ref);
  return { ...result.tree, root: ofAgent(result.tree.root, agent) };
}

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
      .option(
        'agent',
        agentFlag('The session must be of this coding agent; descendants of others are left out'),
      )
      .example('$0 tree sess_0197', 'The session and everything forked or cleared from it')
      .example('$0 tree login-fix --ancestors', 'Where a session came from, and what came of it')
      .example(
        '$0 tree login-fix --json',
        'Nested { stable_id, label, edge_kind, …, children } nodes',
      ),
  async run(args, context) {
    const tree = await runTree(args, context);
    const now = context.deps.now();
    return {
      json: treeJson(tree, booleanArg(args, 'ancestors')),
      text: () =>
        renderTree(tree, {
          paint: context.paint,
          now,
          columns: context.deps.columns,
        }),
    };
  },
};
