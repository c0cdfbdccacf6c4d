import { CliError } from '../../cli-error.js';
import type { CommandSpec } from '../../command-spec.js';
import { mcpInstallCommand } from './install.js';
import { mcpUninstallCommand } from './uninstall.js';

/** `sessions-db mcp`: the read-only MCP server on stdio; `mcp install|uninstall` register it. */
export const mcpCommand: CommandSpec = {
  command: 'mcp',
  describe: 'Serve a read-only MCP server on stdio, so an agent can search and read past sessions',
  builder: (yargs) =>
    yargs
      .example('$0 mcp', 'Serve on stdin and stdout (what Claude Code starts)')
      .example('$0 mcp install', "Add it to Claude Code's MCP servers (~/.claude.json)"),
  subcommands: [mcpInstallCommand, mcpUninstallCommand],
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
