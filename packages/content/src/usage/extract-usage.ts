/** Token counts of one API response, or a sum of several. */
export interface TokenCounts {
  readonly input: number;
  readonly output: number;
  /** Cache writes billed at the 5-minute rate (all cache writes when the split is absent). */
  readonly cacheWrite5m: number;
  /** Cache writes billed at the 1-hour rate. */
  readonly cacheWrite1h: number;
  readonly cacheRead: number;
}

/** The usage one assistant row reports for its API response. */
export interface UsageRecord {
  /** `message.id` + `requestId` (the row's uuid when both are missing): one key per API response. */
  readonly key: string;
  /** `message.model`, or '' when the row names none. */
  readonly model: string;
  /** ISO timestamp of the row, or ''. */
  readonly ts: string;
  readonly tokens: TokenCounts;
}

/** Zero tokens of every kind. */
export const ZERO_TOKENS: TokenCounts = {
  input: 0,
  output: 0,
  cacheWrite5m: 0,
  cacheWrite1h: 0,
  cacheRead: 0,
};

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function count(value: unknown): number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value > 0 ? value : 0;
}

function str(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

/**
 * The usage of one Claude Code transcript line: an assistant row's `message.usage`
 * (`input_tokens`, `output_tokens`, `cache_creation_input_tokens` with its
 * `cache_creation.ephemeral_5m_input_tokens` / `ephemeral_1h_input_tokens` split when present,
 * `cache_read_input_tokens`) and `message.model`. Other rows, rows without usage and
 * unparseable lines give null. Negative or non-integer counts count as 0. Pure.
 */
export function extractClaudeUsage(line: string): UsageRecord | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch {
    return null;
  }
  return claudeUsageOf(parsed);
}

/**
 * {@link extractClaudeUsage} of a line already parsed as JSON (`null` for a line that is not), so
 * a line that is also read for its text is parsed once. Pure.
 */
export function claudeUsageOf(parsed: unknown): UsageRecord | null {
  if (!isRecord(parsed) || parsed.type !== 'assistant') return null;
  const message = parsed.message;
  if (!isRecord(message) || !isRecord(message.usage)) return null;
  const usage = message.usage;
  const messageId = str(message.id);
  const requestId = str(parsed.requestId);
  const key =
    messageId !== '' || requestId !== '' ? `${messageId}:${requestId}` : `uuid:${str(parsed.uuid)}`;
  if (key === 'uuid:') return null;
  const cacheWrite = count(usage.cache_creation_input_tokens);
  const split = isRecord(usage.cache_creation) ? usage.cache_creation : null;
  const write1h = split === null ? 0 : Math.min(cacheWrite, count(split.ephemeral_1h_input_tokens));
  return {
    key,
    model: str(message.model),
    ts: str(parsed.timestamp),
    tokens: {
      input: count(usage.input_tokens),
      output: count(usage.output_tokens),
      cacheWrite5m: cacheWrite - write1h,
      cacheWrite1h: write1h,
      cacheRead: count(usage.cache_read_input_tokens),
    },
  };
}

/** Sum of two token counts. */
export function addTokens(a: TokenCounts, b: TokenCounts): TokenCounts {
  return {
    input: a.input + b.input,
    output: a.output + b.output,
    cacheWrite5m: a.cacheWrite5m + b.cacheWrite5m,
    cacheWrite1h: a.cacheWrite1h + b.cacheWrite1h,
    cacheRead: a.cacheRead + b.cacheRead,
  };
}

/** Kind-by-kind maximum of two token counts (rows of one response, written as it streamed). */
export function maxTokens(a: TokenCounts, b: TokenCounts): TokenCounts {
  return {
    input: Math.max(a.input, b.input),
    output: Math.max(a.output, b.output),
    cacheWrite5m: Math.max(a.cacheWrite5m, b.cacheWrite5m),
    cacheWrite1h: Math.max(a.cacheWrite1h, b.cacheWrite1h),
    cacheRead: Math.max(a.cacheRead, b.cacheRead),
  };
}
