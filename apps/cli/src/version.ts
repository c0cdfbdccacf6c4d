import packageJson from '../package.json' with { type: 'json' };

/** The version of `sessions-db` (`--version`, and the MCP server's). */
export const CLI_VERSION: string = packageJson.version;
