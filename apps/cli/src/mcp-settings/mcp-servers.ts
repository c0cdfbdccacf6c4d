/**
 * Pure edits of Claude Code's MCP server configuration, exactly as `claude mcp add` writes it
 * (measured on 2.1.332): a `mcpServers` object mapping a name to
 * `{ "type": "stdio", "command", "args", "env": {} }`, in `~/.claude.json` (user scope), under
 * `projects[<project>]` of that file (local scope), or in the project's `.mcp.json`.
 *
 * @packageDocumentation
 */
import { SettingsShapeError } from '../hook-settings/hook-entries.js';

/** The name the server is registered under. */
export const MCP_SERVER_NAME = 'sessions-db';

/** One stdio server entry, as `claude mcp add` writes it. */
export interface McpServerEntry {
  readonly type: 'stdio';
  readonly command: string;
  readonly args: readonly string[];
  readonly env: Readonly<Record<string, string>>;
}

/** What {@link installMcpServer} did. */
export type McpInstallAction = 'installed' | 'updated' | 'unchanged';

type JsonObject = Record<string, unknown>;

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The object at `path` inside `root` (created empty when `create`), `undefined` when absent. */
function objectAt(
  root: JsonObject,
  path: readonly string[],
  create: boolean,
): JsonObject | undefined {
  let node = root;
  for (const [depth, key] of path.entries()) {
    let next = node[key];
    if (next === undefined) {
      if (!create) return undefined;
      next = {};
      node[key] = next;
    }
    if (!isObject(next))
      throw new SettingsShapeError(`${path.slice(0, depth + 1).join('.')} is not a JSON object`);
    node = next;
  }
  return node;
}

function rootObject(config: unknown): JsonObject {
  if (!isObject(config))
    throw new SettingsShapeError('the configuration file does not hold a JSON object');
  return structuredClone(config);
}

/** Whether two entries are the same server (same type, command, args and env). */
function sameEntry(current: unknown, entry: McpServerEntry): boolean {
  return JSON.stringify(current) === JSON.stringify(entry);
}

/**
 * `config` with `entry` registered as {@link MCP_SERVER_NAME} in the `mcpServers` object at
 * `serversPath` (e.g. `['mcpServers']`, `['projects', dir, 'mcpServers']`), created when missing.
 * Every other key is kept; the input is not modified.
 *
 * @throws SettingsShapeError when the file or an object on the way is not a JSON object.
 */
export function installMcpServer(
  config: unknown,
  serversPath: readonly string[],
  entry: McpServerEntry,
): { readonly config: JsonObject; readonly action: McpInstallAction } {
  const next = rootObject(config);
  const servers = objectAt(next, serversPath, true) as JsonObject;
  const current = servers[MCP_SERVER_NAME];
  if (current !== undefined && sameEntry(current, entry))
    return { config: next, action: 'unchanged' };
  servers[MCP_SERVER_NAME] = { ...entry, args: [...entry.args], env: { ...entry.env } };
  return { config: next, action: current === undefined ? 'installed' : 'updated' };
}

/**
 * `config` without the {@link MCP_SERVER_NAME} server at `serversPath`; `removed` says whether
 * there was one. The input is not modified.
 *
 * @throws SettingsShapeError when the file or an object on the way is not a JSON object.
 */
export function uninstallMcpServer(
  config: unknown,
  serversPath: readonly string[],
): { readonly config: JsonObject; readonly removed: boolean } {
  const next = rootObject(config);
  const servers = objectAt(next, serversPath, false);
  if (servers === undefined || !(MCP_SERVER_NAME in servers))
    return { config: next, removed: false };
  delete servers[MCP_SERVER_NAME];
  return { config: next, removed: true };
}

/** The {@link MCP_SERVER_NAME} entry at `serversPath`, or `undefined`. */
export function findMcpServer(config: unknown, serversPath: readonly string[]): unknown {
  if (!isObject(config)) return undefined;
  try {
    return objectAt(config, serversPath, false)?.[MCP_SERVER_NAME];
  } catch {
    return undefined;
  }
}
