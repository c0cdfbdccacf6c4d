export {
  archiveKey,
  archiveTranscript,
  archivedLength,
  listArchive,
  listVersions,
  readArchived,
  readArchiveSource,
  SEGMENT_BYTES,
} from './archive.js';
export type { ArchiveEntry, ArchiveResult, ArchiveSource } from './archive.js';
export {
  clearContentIndex,
  ContentQueryError,
  indexArchived,
  indexedBytes,
  openContentIndex,
  openContentIndexReadOnly,
  searchContent,
} from './content-index.js';
export type { ContentIndex, IndexFileResult, SearchHit, SearchOptions } from './content-index.js';
export {
  extractCodexContentRows,
  extractContentRows,
  MAX_TOOL_RESULT_CHARS,
} from './extract-rows.js';
export type { ContentRole, ContentRow } from './extract-rows.js';
export { tryLock } from './file-lock.js';
export type { FileLock } from './file-lock.js';
export { readMessagePage } from './message-page.js';
export type { MessagePage } from './message-page.js';
export { restoreTranscript } from './restore.js';
export type { RestoreOutcome } from './restore.js';
export { catchUpUsage, updateContent } from './update-content.js';
export type { TranscriptRef, UpdateContentOptions, UpdateContentResult } from './update-content.js';
export {
  addTokens,
  BUILTIN_PRICES,
  BUILTIN_PRICES_SOURCE,
  codexRolloutUsage,
  costOf,
  extractClaudeUsage,
  maxTokens,
  mergePriceFile,
  PriceFileError,
  priceOf,
  priceUsage,
  readUsage,
  ZERO_TOKENS,
} from './usage/index.js';
export type {
  ModelPrice,
  PricedUsage,
  PriceTable,
  ReadUsageOptions,
  TokenCounts,
  UsageRecord,
  UsageRow,
} from './usage/index.js';
