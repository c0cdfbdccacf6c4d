// A small stand-in of the Anthropic Messages API for driving the real Claude Code offline
// (facts in docs/claude-code.md): `POST /v1/messages` answers one text turn (as the
// streaming SSE sequence when `stream` is true), `POST /v1/messages/count_tokens` a token count;
// anything else gets an empty JSON object. It listens on 127.0.0.1 on an ephemeral port.
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A running stand-in. */
export interface MessagesStandIn {
  /** `http://127.0.0.1:<port>`, for `ANTHROPIC_BASE_URL`. */
  readonly baseUrl: string;
  /** How many `POST /v1/messages` requests were answered. */
  messageCount(): number;
  /** Stop listening and drop open connections. */
  close(): Promise<void>;
}

/** The answer text of every turn. */
export const STAND_IN_REPLY = 'ok from the stand-in';

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

function parseRequest(body: string): { model: string; stream: boolean } {
  try {
    const parsed = JSON.parse(body) as { model?: unknown; stream?: unknown };
    return {
      model: typeof parsed.model === 'string' ? parsed.model : 'claude-stand-in',
      stream: parsed.stream === true,
    };
  } catch {
    return { model: 'claude-stand-in', stream: false };
  }
}

function message(model: string, id: string): Record<string, unknown> {
  return {
    id,
    type: 'message',
    role: 'assistant',
    model,
    content: [{ type: 'text', text: STAND_IN_REPLY }],
    stop_reason: 'end_turn',
    stop_sequence: null,
    usage: { input_tokens: 10, output_tokens: 5 },
  };
}

function writeStream(response: ServerResponse, model: string, id: string): void {
  response.writeHead(200, {
    'content-type': 'text/event-stream',
    'cache-control': 'no-cache',
    connection: 'keep-alive',
  });
  const send = (event: string, data: Record<string, unknown>): void => {
    response.write(`event: ${event}\ndata: ${JSON.stringify({ type: event, ...data })}\n\n`);
  };
  send('message_start', {
    message: { ...message(model, id), content: [], stop_reason: null },
  });
  send('content_block_start', { index: 0, content_block: { type: 'text', text: '' } });
  send('content_block_delta', { index: 0, delta: { type: 'text_delta', text: STAND_IN_REPLY } });
  send('content_block_stop', { index: 0 });
  send('message_delta', {
    delta: { stop_reason: 'end_turn', stop_sequence: null },
    usage: { output_tokens: 5 },
  });
  send('message_stop', {});
  response.end();
}

/** Start a stand-in on 127.0.0.1 (an ephemeral port). */
export async function startMessagesStandIn(): Promise<MessagesStandIn> {
  let count = 0;
  const server: Server = createServer((request, response) => {
    void readBody(request).then((body) => {
      const path = (request.url ?? '').split('?')[0] ?? '';
      if (request.method === 'POST' && path === '/v1/messages/count_tokens') {
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ input_tokens: 10 }));
        return;
      }
      if (request.method === 'POST' && path === '/v1/messages') {
        count += 1;
        const { model, stream } = parseRequest(body);
        const id = `msg_standin_${count}`;
        if (stream) {
          writeStream(response, model, id);
        } else {
          response.writeHead(200, { 'content-type': 'application/json' });
          response.end(JSON.stringify(message(model, id)));
        }
        return;
      }
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    messageCount: () => count,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
