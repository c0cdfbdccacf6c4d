export * from './types.js';
export { isSqliteBusy, StoreError, toOperationError } from './errors.js';
export type { StoreErrorCode } from './errors.js';
export {
  DRU_CODE_SUBDIR,
  LEGACY_STORE_SUBDIR,
  MAX_ASCEND_DEPTH,
  STORE_FILENAMES,
  defaultStoreDir,
  resolveStore,
  storePathsIn,
} from './paths.js';
export {
  HOOK_SESSION_START_TIMEOUT_SECONDS,
  isEnvFlagOff,
  isEnvFlagOn,
  nonBlankEnv,
  readSessionsDbEnv,
  sessionsDbDisabled,
  sessionsDbEnv,
  storePreviewEnabled,
} from './env.js';
export type { EnvSource, EnvValue } from './env.js';
export { createMemoryStore, openStore } from './open-store.js';
export { storeExists } from './store-files.js';
export { assertStoreSafe, findStoreSafetyProblems } from './store-safety.js';
export type { StoreSafetyProblem } from './store-safety.js';
export {
  USER_CONFIG_FILENAME,
  isTrustedStore,
  readUserConfig,
  trustStore,
  userConfigDir,
} from './trusted-stores.js';
export type { UserConfig } from './trusted-stores.js';
export type { OpenStoreOptions } from './open-store.js';
export { initStore } from './init-store.js';
export type { InitResult } from './init-store.js';
export { watchStore } from './watch.js';
export type { StoreChange, WatchOptions } from './watch.js';
export {
  CATCH_UP_MAX_FILLS,
  CATCH_UP_RECENT,
  CATCH_UP_WINDOW_MS,
  DEFAULT_FIND_LIMIT,
  MAX_ANCESTOR_DEPTH,
  MAX_REFERENCE_LENGTH,
  MAX_TREE_DEPTH,
} from './limits.js';
export {
  DEFAULT_GATHER_BUDGET_MS,
  STORED_MARKER_UUIDS,
  gatherSessionFacts,
  transcriptFileOf,
} from './session-facts.js';
export type {
  GatherCommonInput,
  GatherInput,
  GatheredSession,
  LocateTranscript,
  ReadTranscript,
} from './session-facts.js';
export { FILE_BUDGET_MS, importHistory, startImportScan } from './import/run-import.js';
export type { ScanWorker } from './import/read-metas.js';
export type {
  ImportActivity,
  ImportCounts,
  ImportListingError,
  ImportOptions,
  ImportStatus,
  ImportSummary,
  ImportedTranscript,
} from './import/import-types.js';
