import type { Argv } from 'yargs';
import type { CommandContext } from './command-context.js';

/** Parsed arguments of one command, as yargs produced them (narrowed by each command). */
export type ParsedArgs = Readonly<Record<string, unknown>>;

/**
 * What a command produced. `createCli` prints `json` with `--json`, `text` otherwise, nothing on
 * stdout with `--quiet`; `stderr` lines (warnings, partial failures) go to stderr unless the JSON
 * document carries them.
 */
export interface CommandOutput {
  readonly json: unknown;
  /**
   * Human output without a trailing newline (empty: print nothing); a function when rendering it
   * costs something (fitting a table to the terminal), so that `--json` and `--quiet` skip it.
   */
  readonly text: string | (() => string);
  /** A document printed verbatim on stdout in both modes instead of `json` / `text` (`export`). */
  readonly document?: string;
  /** Human stderr lines without a trailing newline (empty or absent: none). */
  readonly stderr?: string;
  /** Default 0. */
  readonly exitCode?: number;
}

/** One `sessions-db` command: its yargs command string, flags and the function that runs it. */
export interface CommandSpec {
  /** yargs command string, e.g. `tree <session>`. */
  readonly command: string;
  readonly describe: string;
  /** Declares the command's flags, positionals and examples. */
  readonly builder: (yargs: Argv) => Argv;
  /**
   * Sub-commands (`hook install|uninstall|status`). A command with them and no `run` demands one;
   * one with a `run` too (`mcp`) runs when no sub-command is given.
   */
  readonly subcommands?: readonly CommandSpec[];
  /** Runs the command; throws `CliError` for expected failures. */
  readonly run?: (args: ParsedArgs, context: CommandContext) => Promise<CommandOutput>;
}

/** The first word of a command string (`tree <session>` → `tree`). */
export function commandName(spec: Pick<CommandSpec, 'command'>): string {
  return spec.command.split(' ')[0] ?? spec.command;
}
