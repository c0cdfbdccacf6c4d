export { codeCacheDir, IMPORT_MODULE, runBundle } from './run-bundle.js';
export type { CodeCacheState, RunBundleOptions, RunBundleResult } from './run-bundle.js';
