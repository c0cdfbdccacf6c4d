// The MCP server's bundle (dist/mcp.cjs), loaded only by `sessions-db mcp`, so no other command
// loads or compiles the SDK. Like bin.ts it is an edge: the one place that writes the protocol to
// stdout (through the SDK's stdio transport) and warnings to stderr. Everything it answers comes
// from data functions (src/mcp/mcp-tools.ts).
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import type { StoreLocation } from './cli-deps.js';
import { createDeps } from './create-deps.js';
import { createMcpServer } from './mcp/create-mcp-server.js';

/**
 * Serve MCP on this process's stdin and stdout until the client goes away (stdin ends or stdout
 * breaks); resolves then.
 */
export async function serveMcpStdio(location: StoreLocation): Promise<void> {
  const { server, settled } = createMcpServer(createDeps(), {
    location,
    onWarning: (message) => process.stderr.write(`${message}\n`),
  });
  const transport = new StdioServerTransport(process.stdin, process.stdout);
  const closed = new Promise<void>((resolve) => {
    server.server.onclose = resolve;
  });
  // The client is gone or done: answer what it already asked (its responses may still be read
  // by a client that only closed its end of stdin), then close.
  const stop = (): void => {
    void settled().then(() => server.close());
  };
  process.stdin.once('end', stop);
  process.stdin.once('close', stop);
  process.stdout.on('error', stop);
  await server.connect(transport);
  await closed;
  process.stdin.off('end', stop);
  process.stdin.off('close', stop);
  process.stdout.off('error', stop);
}
