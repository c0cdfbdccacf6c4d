// A small stand-in of the Anthropic Messages API for driving the real Claude Code offline
// (facts in docs/claude-code.md): `POST /v1/messages` answers one text turn (as the
// streaming SSE sequence when `stream` is true), `POST /v1/messages/count_tokens` a token count;
// anything else gets an empty JSON object. Given a tool call, it first asks for that tool (when
// the request offers it) and records the result Claude Code sends back. It listens on 127.0.0.1
// on an ephemeral port.
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A running stand-in. */
export interface MessagesStandIn {
  /** `http://127.0.0.1:<port>`, for `ANTHROPIC_BASE_URL`. */
  readonly baseUrl: string;
  /** How many `POST /v1/messages` requests were answered. */
  messageCount(): number;
  /** The results Claude Code sent back for the scripted tool call, in order. */
  toolResults(): readonly unknown[];
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

/** A tool the stand-in asks for once, when a request offers it. */
export interface ScriptedToolCall {
  readonly name: string;
  readonly input: Readonly<Record<string, unknown>>;
}

/** What the stand-in reads from a request. */
interface ParsedRequest {
  readonly model: string;
  readonly stream: boolean;
  readonly tools: readonly string[];
  /** `tool_result` blocks of the request's messages. */
  readonly toolResults: readonly { tool_use_id?: unknown; content?: unknown }[];
}

function parseRequest(body: string): ParsedRequest {
  try {
    const parsed = JSON.parse(body) as {
      model?: unknown;
      stream?: unknown;
      tools?: unknown;
      messages?: unknown;
    };
    const tools = Array.isArray(parsed.tools)
      ? parsed.tools.map((tool: { name?: unknown }) => String(tool.name))
      : [];
    const messages = Array.isArray(parsed.messages) ? parsed.messages : [];
    const toolResults = messages.flatMap((m: { content?: unknown }) =>
      Array.isArray(m.content)
        ? m.content.filter((block: { type?: unknown }) => block.type === 'tool_result')
        : [],
    ) as ParsedRequest['toolResults'];
    return {
      model: typeof parsed.model === 'string' ? parsed.model : 'claude-stand-in',
      stream: parsed.stream === true,
      tools,
      toolResults,
    };
  } catch {
    return { model: 'claude-stand-in', stream: false, tools: [], toolResults: [] };
  }
}

const SCRIPTED_TOOL_USE_ID = 'toolu_standin_01';

/** One answer: a text turn, or a request to use a tool. */
type Answer =
  { readonly kind: 'text' } | { readonly kind: 'tool_use'; readonly call: ScriptedToolCall };

function contentOf(answer: Answer): Record<string, unknown> {
  return answer.kind === 'text'
    ? { type: 'text', text: STAND_IN_REPLY }
    : {
        type: 'tool_use',
        id: SCRIPTED_TOOL_USE_ID,
        name: answer.call.name,
        input: answer.call.input,
      };
}

function message(model: string, id: string, answer: Answer): Record<string, unknown> {
  return {
    id,
    type: 'message',
    role: 'assistant',
    model,
    content: [contentOf(answer)],
    stop_reason: answer.kind === 'text' ? 'end_turn' : 'tool_use',
    stop_sequence: null,
    usage: { input_tokens: 10, output_tokens: 5 },
  };
}

function writeStream(response: ServerResponse, model: string, id: string, answer: Answer): void {
  response.writeHead(200, {
    'content-type': 'text/event-stream',
    'cache-control': 'no-cache',
    connection: 'keep-alive',
  });
  const send = (event: string, data: Record<string, unknown>): void => {
    response.write(`event: ${event}\ndata: ${JSON.stringify({ type: event, ...data })}\n\n`);
  };
  send('message_start', {
    message: { ...message(model, id, answer), content: [], stop_reason: null },
  });
  if (answer.kind === 'text') {
    send('content_block_start', { index: 0, content_block: { type: 'text', text: '' } });
    send('content_block_delta', { index: 0, delta: { type: 'text_delta', text: STAND_IN_REPLY } });
  } else {
    send('content_block_start', {
      index: 0,
      content_block: { ...contentOf(answer), input: {} },
    });
    send('content_block_delta', {
      index: 0,
      delta: { type: 'input_json_delta', partial_json: JSON.stringify(answer.call.input) },
    });
  }
  send('content_block_stop', { index: 0 });
  send('message_delta', {
    delta: { stop_reason: answer.kind === 'text' ? 'end_turn' : 'tool_use', stop_sequence: null },
    usage: { output_tokens: 5 },
  });
  send('message_stop', {});
  response.end();
}

/**
 * Start a stand-in on 127.0.0.1 (an ephemeral port). With `toolCall`, a request that offers that
 * tool and carries no result of it yet is answered with a request to use it.
 */
export async function startMessagesStandIn(
  options: { readonly toolCall?: ScriptedToolCall } = {},
): Promise<MessagesStandIn> {
  let count = 0;
  const results: unknown[] = [];
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
        const request = parseRequest(body);
        const id = `msg_standin_${count}`;
        const call = options.toolCall;
        const answered = request.toolResults.filter((r) => r.tool_use_id === SCRIPTED_TOOL_USE_ID);
        results.push(...answered.map((r) => r.content));
        const answer: Answer =
          call !== undefined && request.tools.includes(call.name) && answered.length === 0
            ? { kind: 'tool_use', call }
            : { kind: 'text' };
        if (request.stream) {
          writeStream(response, request.model, id, answer);
        } else {
          response.writeHead(200, { 'content-type': 'application/json' });
          response.end(JSON.stringify(message(request.model, id, answer)));
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
    toolResults: () => [...results],
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
