/** Hand-written Claude Code transcript and Codex rollout lines (real shapes, trimmed). */
let counter = 0;

function uuid(): string {
  counter += 1;
  return `00000000-0000-4000-8000-${String(counter).padStart(12, '0')}`;
}

/** A user prompt line. */
export function userLine(sessionId: string, text: string, ts = '2026-11-01T10:00:00.000Z'): string {
  return JSON.stringify({
    type: 'user',
    sessionId,
    uuid: uuid(),
    timestamp: ts,
    message: { role: 'user', content: text },
  });
}

/** An assistant line with one text block. */
export function assistantLine(
  sessionId: string,
  text: string,
  ts = '2026-11-01T10:00:01.000Z',
): string {
  return JSON.stringify({
    type: 'assistant',
    sessionId,
    uuid: uuid(),
    timestamp: ts,
    requestId: `req_${String(counter)}`,
    message: {
      id: `msg_${String(counter)}`,
      role: 'assistant',
      model: 'claude-sonnet-4-5',
      content: [{ type: 'text', text }],
      usage: { input_tokens: 10, output_tokens: 5 },
    },
  });
}

/** An assistant line calling Bash, and the user line carrying its result. */
export function bashLines(sessionId: string, command: string, output: string): string[] {
  const id = `toolu_${String(counter)}`;
  return [
    JSON.stringify({
      type: 'assistant',
      sessionId,
      uuid: uuid(),
      timestamp: '2026-11-01T10:00:02.000Z',
      message: {
        role: 'assistant',
        content: [
          { type: 'tool_use', id, name: 'Bash', input: { command, description: 'run it' } },
        ],
      },
    }),
    JSON.stringify({
      type: 'user',
      sessionId,
      uuid: uuid(),
      timestamp: '2026-11-01T10:00:03.000Z',
      message: {
        role: 'user',
        content: [{ type: 'tool_result', tool_use_id: id, content: output }],
      },
    }),
  ];
}

/** Claude's internal rows that must never be indexed. */
export function internalLines(sessionId: string): string[] {
  return [
    JSON.stringify({
      type: 'user',
      sessionId,
      isMeta: true,
      uuid: uuid(),
      message: { role: 'user', content: 'Caveat: internalcaveatword' },
    }),
    JSON.stringify({
      type: 'file-history-snapshot',
      messageId: uuid(),
      snapshot: { note: 'snapshotword' },
    }),
    JSON.stringify({ type: 'summary', summary: 'summaryword', leafUuid: uuid() }),
  ];
}

/** Joins lines into JSONL text with a trailing newline. */
export function jsonl(lines: readonly string[]): string {
  return `${lines.join('\n')}\n`;
}

/** A Codex rollout line of one message (`input_text` for the user, `output_text` otherwise). */
export function codexMessage(role: 'user' | 'assistant', text: string): string {
  return JSON.stringify({
    timestamp: '2026-11-02T09:00:05.000Z',
    type: 'response_item',
    payload: {
      type: 'message',
      role,
      content: [{ type: role === 'user' ? 'input_text' : 'output_text', text }],
    },
  });
}
