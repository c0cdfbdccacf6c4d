import { codexLineItem } from '@sessions-db/git-transcript';
import type { TokenCounts } from './extract-usage.js';
import { ZERO_TOKENS } from './extract-usage.js';

/**
 * The tokens one Codex rollout used, from its `token_count` events. Their
 * `info.total_token_usage` is cumulative over the rollout (a resume appends to the same file
 * and keeps counting), so the largest total is the rollout's usage and nothing is added twice.
 * Codex counts cached input inside `input_tokens` and reasoning inside `output_tokens`: input
 * here is the uncached part, cache reads the cached part. Codex reports no cache writes. Pure.
 */
export function codexRolloutUsage(lines: Iterable<string>): TokenCounts {
  let best: TokenCounts = ZERO_TOKENS;
  let bestTotal = -1;
  for (const line of lines) {
    const item = codexLineItem(line);
    if (item === null || item.kind !== 'usage' || item.total.totalTokens <= bestTotal) continue;
    const { inputTokens, cachedInputTokens, outputTokens, totalTokens } = item.total;
    const cached = Math.min(cachedInputTokens, inputTokens);
    best = { ...ZERO_TOKENS, input: inputTokens - cached, output: outputTokens, cacheRead: cached };
    bestTotal = totalTokens;
  }
  return best;
}
