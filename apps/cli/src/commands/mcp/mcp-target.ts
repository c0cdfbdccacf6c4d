import { basename, dirname, join } from 'node:path';
import { stringArg } from '../../args.js';
import { usageError } from '../../cli-error.js';
import type { CommandContext } from '../../command-context.js';
import type { ParsedArgs } from '../../command-spec.js';

/** Where `mcp install` registers the server: Claude Code's scopes, as `claude mcp add --scope`. */
export type McpScope = 'user' | 'project' | 'local';

/** Every scope, `user` (the default) first. */
export const MCP_SCOPES: readonly McpScope[] = ['user', 'project', 'local'];

/** The file `mcp install` edits and where its `mcpServers` object lives in it. */
export interface McpTarget {
  readonly scope: McpScope;
  readonly path: string;
  /** Keys from the file's root to its `mcpServers` object. */
  readonly serversPath: readonly string[];
}

/**
 * The project Claude Code files local-scope servers under (measured on 2.1.332): the main
 * working tree of the git repository `cwd` is in (a linked worktree counts as its main one, a
 * subdirectory as its top), else `cwd` itself.
 */
async function projectKey(cwd: string): Promise<string> {
  const { readGitContext } = await import('@sessions-db/git-transcript');
  const git = await readGitContext(cwd, { strategy: 'direct' });
  if (git.gitCommonDir !== null && basename(git.gitCommonDir) === '.git')
    return dirname(git.gitCommonDir);
  return git.worktreePath ?? cwd;
}

/**
 * The configuration of `--scope` (default `user`): user `~/.claude.json` (`$CLAUDE_CONFIG_DIR/`
 * when set) `mcpServers`; local the same file's `projects[<project>].mcpServers`; project
 * `<cwd>/.mcp.json` `mcpServers`.
 *
 * @throws CliError (exit 2) on an unknown scope.
 */
export async function mcpTargetOf(args: ParsedArgs, context: CommandContext): Promise<McpTarget> {
  const scope = stringArg(args, 'scope') ?? 'user';
  if (!(MCP_SCOPES as readonly string[]).includes(scope))
    throw usageError(`--scope must be one of: ${MCP_SCOPES.join(', ')}`);
  const { cwd, env } = context.deps;
  if (scope === 'project')
    return { scope, path: join(cwd, '.mcp.json'), serversPath: ['mcpServers'] };
  const { resolveClaudeConfigFile } = await import('@sessions-db/git-transcript');
  const path = resolveClaudeConfigFile(env);
  if (scope === 'user') return { scope, path, serversPath: ['mcpServers'] };
  return { scope: 'local', path, serversPath: ['projects', await projectKey(cwd), 'mcpServers'] };
}
