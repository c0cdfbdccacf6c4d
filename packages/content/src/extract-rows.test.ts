import { describe, expect, it } from 'vitest';
import {
  extractCodexContentRows,
  extractContentRows,
  MAX_TOOL_RESULT_CHARS,
} from './extract-rows.js';

const line = (value: unknown): string => JSON.stringify(value);

describe('extractContentRows (Claude Code transcript lines)', () => {
  it('keeps the prompt, the answer text, tool calls with their command and cut tool results', () => {
    const ts = '2026-03-02T09:14:03.120Z';
    expect(
      extractContentRows(
        line({
          type: 'user',
          uuid: 'u1',
          timestamp: ts,
          message: { role: 'user', content: 'fix the login loop' },
        }),
      ),
    ).toEqual([{ role: 'user', text: 'fix the login loop', ts, uuid: 'u1' }]);
    const assistant = extractContentRows(
      line({
        type: 'assistant',
        uuid: 'a1',
        timestamp: ts,
        message: {
          role: 'assistant',
          content: [
            { type: 'text', text: 'Running the migration.' },
            { type: 'tool_use', name: 'Bash', input: { command: 'pnpm prisma migrate deploy' } },
          ],
        },
      }),
    );
    expect(assistant.map((row) => [row.role, row.text])).toEqual([
      ['assistant', 'Running the migration.'],
      ['tool', 'Bash pnpm prisma migrate deploy'],
    ]);
    const result = extractContentRows(
      line({
        type: 'user',
        uuid: 'r1',
        timestamp: ts,
        message: { role: 'user', content: [{ type: 'tool_result', content: 'x'.repeat(5000) }] },
      }),
    );
    expect(result.map((row) => [row.role, row.text.length])).toEqual([
      ['tool', MAX_TOOL_RESULT_CHARS],
    ]);
  });

  it('skips Claude internal rows and lines that are not JSON', () => {
    expect(extractContentRows(line({ type: 'file-history-snapshot', snapshot: {} }))).toEqual([]);
    expect(
      extractContentRows(
        line({ type: 'user', isMeta: true, message: { role: 'user', content: 'x' } }),
      ),
    ).toEqual([]);
    expect(extractContentRows('{"type":"user","mess')).toEqual([]);
  });
});

describe('extractCodexContentRows (Codex CLI rollout lines)', () => {
  const ts = '2026-10-01T08:00:03.000Z';
  /** The rows of a `response_item` line at `ts` carrying `payload`. */
  const rowsOfItem = (payload: Record<string, unknown>) =>
    extractCodexContentRows(line({ timestamp: ts, type: 'response_item', payload }));

  it.each([
    [
      'a user message',
      {
        type: 'message',
        role: 'user',
        content: [{ type: 'input_text', text: 'List the templates used by the cart' }],
      },
      { role: 'user', text: 'List the templates used by the cart' },
    ],
    [
      'a function call with its arguments',
      { type: 'function_call', name: 'shell', arguments: '{"command":["rg","round"]}' },
      { role: 'tool', text: 'shell {"command":["rg","round"]}' },
    ],
    [
      'a local shell call with its command',
      { type: 'local_shell_call', action: { type: 'exec', command: ['pytest', '-q'] } },
      { role: 'tool', text: 'local_shell_call pytest -q' },
    ],
  ])('keeps %s', (_name, payload, row) => {
    expect(rowsOfItem(payload)).toEqual([{ ...row, ts, uuid: '' }]);
  });

  it('skips injected context, usage events, metadata and broken lines', () => {
    expect(
      rowsOfItem({
        type: 'message',
        role: 'user',
        content: [{ type: 'input_text', text: '<environment_context>\n</environment_context>' }],
      }),
    ).toEqual([]);
    expect(
      extractCodexContentRows(
        line({
          type: 'event_msg',
          payload: { type: 'token_count', info: { total_token_usage: { input_tokens: 5 } } },
        }),
      ),
    ).toEqual([]);
    expect(extractCodexContentRows(line({ type: 'session_meta', payload: { id: 'x' } }))).toEqual(
      [],
    );
    expect(extractCodexContentRows('{"type":"respo')).toEqual([]);
  });
});
