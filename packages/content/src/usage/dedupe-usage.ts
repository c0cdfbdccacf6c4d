import { addTokens, maxTokens, ZERO_TOKENS } from './extract-usage.js';
import type { TokenCounts, UsageRecord } from './extract-usage.js';

/** A usage record and the logical session (or other owner) whose files it was read from. */
export interface OwnedUsage {
  readonly owner: string;
  readonly record: UsageRecord;
}

/** Tokens of one owner and model after deduplication. */
export interface UsageTotal {
  readonly owner: string;
  /** The model, or '' when the rows named none. */
  readonly model: string;
  /** API responses counted. */
  readonly responses: number;
  readonly tokens: TokenCounts;
}

/**
 * Counts every API response once. Rows sharing a key (`message.id` + `requestId`) are one
 * response: the several rows one response is written as, and the rows a legacy resume or a fork
 * copies from its origin. The response is billed to the owner it was FIRST seen under (so pass
 * origins before their children, e.g. sessions in start order, and a subagent's rows under its
 * parent's owner), with the kind-by-kind maximum of its rows' counts. Returns one total per
 * owner and model, in first-seen order. Pure.
 */
export function dedupeUsage(entries: Iterable<OwnedUsage>): UsageTotal[] {
  const responses = new Map<string, { owner: string; model: string; tokens: TokenCounts }>();
  for (const { owner, record } of entries) {
    const seen = responses.get(record.key);
    if (seen === undefined) {
      responses.set(record.key, { owner, model: record.model, tokens: record.tokens });
    } else {
      seen.tokens = maxTokens(seen.tokens, record.tokens);
      if (seen.model === '') seen.model = record.model;
    }
  }
  const totals = new Map<
    string,
    { owner: string; model: string; responses: number; tokens: TokenCounts }
  >();
  for (const response of responses.values()) {
    const id = JSON.stringify([response.owner, response.model]);
    const total = totals.get(id) ?? {
      owner: response.owner,
      model: response.model,
      responses: 0,
      tokens: ZERO_TOKENS,
    };
    total.responses += 1;
    total.tokens = addTokens(total.tokens, response.tokens);
    totals.set(id, total);
  }
  return [...totals.values()];
}
