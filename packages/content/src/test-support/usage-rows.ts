/** Claude Code assistant rows carrying usage, in the transcript's real shape (CLAUDE-CODE.md). */
export interface RowSpec {
  uuid: string;
  msg: string;
  req: string;
  model?: string;
  ts?: string;
  usage: Record<string, unknown>;
}

/** A Claude Code assistant row in the transcript's real shape (CLAUDE-CODE.md). */
export function row(spec: RowSpec): string {
  return JSON.stringify({
    parentUuid: null,
    isSidechain: false,
    type: 'assistant',
    uuid: spec.uuid,
    timestamp: spec.ts ?? '2026-01-02T03:04:05.000Z',
    sessionId: 's',
    requestId: spec.req,
    message: {
      id: spec.msg,
      model: spec.model ?? 'claude-sonnet-4-5-20250929',
      role: 'assistant',
      content: [{ type: 'text', text: 'hi' }],
      usage: spec.usage,
    },
  });
}

/** Usage of one response: every kind of tokens, cache writes all 5-minute. */
export const u1 = {
  input_tokens: 2,
  output_tokens: 612,
  cache_creation_input_tokens: 1557,
  cache_read_input_tokens: 86802,
};
export const u2 = {
  input_tokens: 10,
  output_tokens: 40,
  cache_creation_input_tokens: 300,
  cache_read_input_tokens: 1000,
  cache_creation: { ephemeral_5m_input_tokens: 100, ephemeral_1h_input_tokens: 200 },
};
