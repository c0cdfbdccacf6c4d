import { stringArg } from '../../args.js';
import type { CommandContext } from '../../command-context.js';
import type { CommandSpec, ParsedArgs } from '../../command-spec.js';
import { agentFlag } from '../../enums.js';
import { requireAgent } from '../../session-ref.js';
import { renderShow } from './render-show.js';
import { collectShowData } from './show-data.js';
import type { ShowData } from './show-data.js';

/**
 * The record `show`'s flags (`session`, `agent`) name.
 *
 * @throws CliError (exit 1) for an unknown or ambiguous session, or one of another agent.
 */
export async function runShow(args: ParsedArgs, context: CommandContext): Promise<ShowData> {
  const ref = stringArg(args, 'session') ?? '';
  const store = await context.openStore();
  const data = collectShowData(store, ref, context.deps.env);
  requireAgent(data.session, stringArg(args, 'agent'), ref);
  return data;
}

/** `sessions-db show <session>`. */
export const showCommand: CommandSpec = {
  command: 'show <session>',
  describe:
    'Show the whole record of a session: label, ids, lineage, transcripts, git, identity, timeline',
  builder: (yargs) =>
    yargs
      .positional('session', {
        type: 'string',
        describe: 'Stable id, unique prefix, alias or Claude session id',
      })
      .option('agent', agentFlag('Only a session of this coding agent (an error otherwise)'))
      .example('$0 show login-fix', 'By alias')
      .example('$0 show 2b4ed4c0-9c1e-4d0a-8a53-5d2f0c1e7b21', 'By Claude session id')
      .example('$0 show sess_0197 --json', 'As one JSON document'),
  async run(args, context) {
    const data = await runShow(args, context);
    const now = context.deps.now();
    return {
      json: data,
      text: () =>
        renderShow(data, {
          paint: context.paint,
          now,
          columns: context.deps.columns,
        }),
    };
  },
};
