import type { CliDeps, CliResult } from './cli-deps.js';
import { COMMANDS } from './command-registry.js';
import { runCli } from './run-cli.js';
import { CLI_VERSION } from './version.js';

export { CLI_VERSION };

/**
 * Run `sessions-db` with `argv` (the arguments after the program name) in-process and return what
 * it printed and its exit code. Never prints and never exits: only `bin.ts` does. Exit codes:
 * 0 success, 1 business error, 2 argument error, 3 unknown command.
 */
export function createCli(argv: readonly string[], deps: CliDeps): Promise<CliResult> {
  return runCli(argv, deps, COMMANDS);
}
