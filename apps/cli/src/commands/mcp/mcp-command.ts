import { CliError } from '../../cli-error.js';
import type { CommandSpec } from '../../command-spec.js';

/** `sessions-db mcp`: the read-only MCP server on stdio. */
export const mcpCommand: CommandSpec = {
  command: 'mcp',
  describe: 'Serve a read-only MCP server on stdio, so an agent can search and read past sessions',
  builder: (yargs) =>
    yargs.example(
      'claude mcp add --scope user sessions-db -- sessions-db mcp',
      'Give Claude Code the sessions-db tools',
    ),
  async run(_args, context) {
    const { serveMcp } = context.deps;
    if (serveMcp === undefined)
      throw new CliError(
        'CANNOT_SERVE',
        'this run cannot own stdin and stdout; run the sessions-db binary',
      );
    await serveMcp(context.location);
    // The protocol owned stdout: nothing more is printed, with or without --json.
    return { json: null, text: '', document: '' };
  },
};
