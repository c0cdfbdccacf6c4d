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
export { encodeFrame, encodeFrameAsync } from './archive-format.js';
export type { ArchiveEntry, ArchiveOptions, ArchiveResult, ArchiveSource } from './archive.js';
export {
  clearContentIndex,
  extractTranscript,
  indexArchived,
  indexedBytes,
  openContentIndex,
  openContentIndexReadOnly,
  writeExtracted,
} from './content-index.js';
export type {
  ArchivedTail,
  ContentIndex,
  ExtractedTranscript,
  IndexFileResult,
} from './content-index.js';
export { CONTENT_SCHEMA_VERSION, hasRowsTimeIndex, ROWS_TIME_INDEX } from './content-schema.js';
export { ContentQueryError, searchContent } from './search-content.js';
export { addSessionChunk } from './session-chunks.js';
export {
  changedStamp,
  fileStamp,
  isSettled,
  MISSING_FILE,
  readContentMark,
  readSeenFiles,
  recordSeenFiles,
  sameStamp,
  settleAfterFor,
} from './seen-files.js';
export type { FileStamp, SeenFile } from './seen-files.js';
export type { SearchHit, SearchOptions } from './search-content.js';
export {
  extractCodexContentRows,
  extractContentRows,
  MAX_TOOL_RESULT_CHARS,
} from './extract-rows.js';
export type { ContentRole, ContentRow } from './extract-rows.js';
export { tryLock } from './file-lock.js';
export { BULK_FTS_HASH_BYTES, mergeFtsSegments, setFtsHashSize } from './fts-config.js';
export { ftsSegmentCounts, mergeFragmentedIndex } from './fts-segments.js';
export type { FileLock } from './file-lock.js';
export { readMessagePage } from './message-page.js';
export type { MessagePage } from './message-page.js';
export { restoreTranscript } from './restore.js';
export type { RestoreOutcome } from './restore.js';
export { catchUpUsage, updateContent, updateContentInBulk } from './update-content.js';
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
