import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { escapeJsonControls } from '@sessions-db/event-log';
import type { CliDeps, StoreLocation } from '../cli-deps.js';
import { CliError } from '../cli-error.js';
import { createCommandContext } from '../command-context.js';
import type { ParsedArgs } from '../command-spec.js';
import { CLI_VERSION } from '../version.js';
import { MCP_TOOLS } from './mcp-tools.js';
import type { McpTool } from './mcp-tools.js';

/** What the server tells a client about itself when it connects. */
const INSTRUCTIONS =
  "sessions-db is the user's record of their past coding-agent sessions (Claude Code and Codex). " +
  'Use search_sessions to find sessions by what was said or run in them, find_sessions to list ' +
  'them by task, project, branch, directory or age, show_session and session_tree for one ' +
  "session's record and lineage, and session_messages to read what was said. Everything is " +
  'read-only.';

/** Options of {@link createMcpServer}. */
export interface McpServerOptions {
  /** The store every tool reads (`--store` / `--root`; unset: the usual resolution chain). */
  readonly location: StoreLocation;
  /** Receives warnings about the store met while answering (an index moved aside…). */
  readonly onWarning?: (message: string) => void;
}

/** A tool's answer: the data as structured content and as one line of JSON text. */
function success(data: Record<string, unknown>): CallToolResult {
  return {
    content: [{ type: 'text', text: escapeJsonControls(JSON.stringify(data)) }],
    structuredContent: data,
  };
}

/** A tool error (`isError`), shaped as `--json` prints one: `{ ok: false, error: { code, message } }`. */
function failure(error: unknown): CallToolResult {
  const body =
    error instanceof CliError
      ? {
          code: error.code,
          message: error.message,
          ...(error.detailLines.length > 0 ? { hints: error.detailLines } : {}),
        }
      : { code: 'INTERNAL', message: error instanceof Error ? error.message : String(error) };
  return {
    content: [
      { type: 'text', text: escapeJsonControls(JSON.stringify({ ok: false, error: body })) },
    ],
    isError: true,
  };
}

/** Runs one tool call in its own command context: the store is opened for it and released after. */
async function callTool(
  tool: McpTool,
  input: ParsedArgs,
  deps: CliDeps,
  options: McpServerOptions,
): Promise<CallToolResult> {
  const handle = createCommandContext(deps, {
    json: true,
    quiet: false,
    color: false,
    ...options.location,
  });
  try {
    return success(await tool.run(input, handle.context));
  } catch (error) {
    return failure(error);
  } finally {
    handle.release();
    for (const warning of handle.warnings) options.onWarning?.(warning);
  }
}

/** The server, and a way to wait for the calls it is answering. */
export interface SessionsMcpServer {
  readonly server: McpServer;
  /** Resolves once every tool call started so far has answered. */
  settled(): Promise<void>;
}

/**
 * The `sessions-db mcp` server with every tool of {@link MCP_TOOLS} registered: read-only, each
 * call answered from the store as it is then. Not connected: the caller picks the transport.
 */
export function createMcpServer(deps: CliDeps, options: McpServerOptions): SessionsMcpServer {
  const server = new McpServer(
    { name: 'sessions-db', title: 'sessions-db', version: CLI_VERSION },
    { instructions: INSTRUCTIONS },
  );
  const inFlight = new Set<Promise<CallToolResult>>();
  for (const tool of MCP_TOOLS) {
    server.registerTool(
      tool.name,
      {
        title: tool.title,
        description: tool.description,
        inputSchema: tool.input,
        annotations: { readOnlyHint: true, openWorldHint: false, title: tool.title },
      },
      (input: ParsedArgs) => {
        const answer = callTool(tool, input, deps, options);
        inFlight.add(answer);
        void answer.finally(() => inFlight.delete(answer));
        return answer;
      },
    );
  }
  return {
    server,
    async settled() {
      // A request read just now is still being validated (promise jobs) before its call starts:
      // let those run first, then wait until no call is left.
      for (;;) {
        await new Promise((resolve) => setImmediate(resolve));
        if (inFlight.size === 0) return;
        await Promise.allSettled([...inFlight]);
      }
    },
  };
}
