export { codexRolloutUsage } from './codex-usage.js';
export { addTokens, extractClaudeUsage, maxTokens, ZERO_TOKENS } from './extract-usage.js';
export type { TokenCounts, UsageRecord } from './extract-usage.js';
export {
  BUILTIN_PRICES,
  BUILTIN_PRICES_SOURCE,
  costOf,
  mergePriceFile,
  PriceFileError,
  priceOf,
  priceUsage,
} from './pricing.js';
export type { ModelPrice, PricedUsage, PriceTable } from './pricing.js';
export { readUsage } from './usage-index.js';
export type { ReadUsageOptions, UsageRow } from './usage-index.js';
