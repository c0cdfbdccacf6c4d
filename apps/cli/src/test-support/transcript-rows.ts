/**
 * Hand-written Claude Code transcript rows for tests, in the shape current clients write
 * (docs/claude-code.md): a human prompt and the assistant's answer.
 */

/** One prompt-and-answer exchange of a transcript. */
export interface Exchange {
  readonly cwd: string;
  readonly sessionId: string;
  /** The uuids of the prompt row and of the answer row. */
  readonly uuids: readonly [string, string];
  readonly prompt: string;
  /** The exchange's minute, `YYYY-MM-DDTHH:MM`: the prompt at second 0, the answer at second 7. */
  readonly minute: string;
  /** The prompt row's `parentUuid` (default null: the transcript's first row). */
  readonly parentUuid?: string | null;
  /** The client's version on both rows (default `2.1.332`). */
  readonly version?: string;
  /** More fields on both rows (e.g. the snake_case `session_id` of a post-`/clear` row). */
  readonly extra?: Readonly<Record<string, unknown>>;
}

/** The two JSONL lines (each ending in a newline) of `exchange`. */
export function exchangeRows(exchange: Exchange): string {
  const base = {
    isSidechain: false,
    userType: 'external',
    cwd: exchange.cwd,
    sessionId: exchange.sessionId,
    version: exchange.version ?? '2.1.332',
    gitBranch: 'main',
    ...exchange.extra,
  };
  const [promptUuid, answerUuid] = exchange.uuids;
  const rows = [
    {
      ...base,
      parentUuid: exchange.parentUuid ?? null,
      type: 'user',
      message: { role: 'user', content: exchange.prompt },
      uuid: promptUuid,
      timestamp: `${exchange.minute}:00.000Z`,
      origin: { kind: 'human' },
    },
    {
      ...base,
      parentUuid: promptUuid,
      type: 'assistant',
      message: {
        id: `msg_${answerUuid.slice(0, 8)}`,
        model: 'claude-sonnet-5',
        role: 'assistant',
        content: [{ type: 'text', text: 'Done.' }],
      },
      uuid: answerUuid,
      timestamp: `${exchange.minute}:07.000Z`,
    },
  ];
  return rows.map((row) => `${JSON.stringify(row)}\n`).join('');
}
