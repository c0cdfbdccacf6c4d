export { createCli, CLI_VERSION } from './create-cli.js';
export { createDeps } from './create-deps.js';
export type {
  CliDeps,
  CliResult,
  HookCommandInfo,
  OpenStoreOptions,
  OpenedStore,
  StoreLocation,
} from './cli-deps.js';
export { CliError, EXIT } from './cli-error.js';
export { relTime } from './format/rel-time.js';
export {
  installHookEntries,
  uninstallHookEntries,
  findHookEntries,
  isSessionsDbHookCommand,
} from './hook-settings/hook-entries.js';
