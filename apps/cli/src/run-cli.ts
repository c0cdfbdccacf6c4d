import { sessionsDbEnv } from '@sessions-db/store/env';
import yargs from 'yargs';
import type { Argv } from 'yargs';
import { escapeJsonControls } from '@sessions-db/event-log';
import type { CliDeps, CliResult } from './cli-deps.js';
import { CliError, EXIT, usageError } from './cli-error.js';
import { createCommandContext } from './command-context.js';
import type { CommandOutput, CommandSpec, ParsedArgs } from './command-spec.js';
import { commandName } from './command-spec.js';
import { shouldUseColor } from './format/colors.js';
import { CLI_VERSION } from './version.js';
import { safeTerminalOutput } from './format/safe-text.js';
import { GLOBAL_VALUE_FLAGS, commandWord } from './command-word.js';
import { addGlobalOptions, peekOutputFlags, readGlobalOptions } from './global-options.js';

const EPILOGUE = [
  'Sessions can be named by full stable id, unique prefix, alias or Claude session id.',
  'Exit codes: 0 success · 1 business error · 2 argument error · 3 unknown command',
].join('\n');

/** A yargs validation failure, with the help of the command it happened in. */
class UsageFailure extends Error {
  override readonly name = 'UsageFailure';
  constructor(
    message: string,
    readonly help: string,
  ) {
    super(message);
  }
}

interface Selection {
  readonly spec: CommandSpec;
  readonly args: ParsedArgs;
}

function registerCommand(
  parser: Argv,
  spec: CommandSpec,
  select: (selection: Selection) => void,
): Argv {
  return parser.command(
    spec.command,
    spec.describe,
    (y) => {
      let built = spec.builder(y);
      for (const sub of spec.subcommands ?? []) built = registerCommand(built, sub, select);
      // A command that runs by itself (`mcp`) takes its sub-commands as alternatives.
      if (spec.subcommands !== undefined && spec.run === undefined)
        built = built.demandCommand(1, `${commandName(spec)}: choose a sub-command`);
      return built;
    },
    (args) => {
      if (spec.run !== undefined) select({ spec, args: args as ParsedArgs });
    },
  );
}

/**
 * yargs renders and caches the whole help text after every command handler, in case the handler
 * asks for it; ours never do (help is printed only for --help and usage errors, which render it
 * themselves). Rendering it costs ~25 ms of string-width work on every run, a third of a `find`,
 * so it is skipped. Guarded: if yargs' internals change, nothing is patched.
 */
function skipHelpCaching(parser: Argv): void {
  const internals = (
    parser as unknown as { getInternalMethods?: () => unknown }
  ).getInternalMethods?.();
  const usage = (
    internals as { getUsageInstance?: () => unknown } | undefined
  )?.getUsageInstance?.();
  if (usage !== null && typeof usage === 'object' && 'cacheHelpMessage' in usage) {
    (usage as { cacheHelpMessage: () => void }).cacheHelpMessage = () => undefined;
  }
}

/**
 * The parser of `commands` (all the CLI has unless the command line names one: yargs then sets up
 * only that one, which saves registering and checking the others on every run).
 */
function buildParser(
  deps: CliDeps,
  select: (selection: Selection) => void,
  commands: readonly CommandSpec[],
): Argv {
  let parser = yargs()
    .scriptName('sessions-db')
    .locale('en')
    .detectLocale(false)
    .parserConfiguration({ 'duplicate-arguments-array': true, 'greedy-arrays': false })
    .usage('$0 <command> [options]\n\nFind, label, link and close your Claude Code sessions.')
    .epilogue(EPILOGUE)
    .wrap(Math.min(deps.columns ?? 100, 120))
    .exitProcess(false)
    .strict()
    .help()
    .alias('help', 'h')
    .version(CLI_VERSION);
  parser = addGlobalOptions(parser);
  skipHelpCaching(parser);
  for (const spec of commands) parser = registerCommand(parser, spec, select);
  return parser.fail(
    (message: string | null | undefined, error: Error | undefined, instance: Argv) => {
      let help = '';
      instance.showHelp((text: string) => {
        help = text;
      });
      throw new UsageFailure(message ?? error?.message ?? 'invalid arguments', help);
    },
  );
}

/**
 * Accumulates what a run prints: the one place output leaves a command, so the one place it is
 * made safe. Human text goes through `safeTerminalOutput` (only our own colours pass), JSON
 * through `escapeJsonControls` (C1 and bidi controls as `\u` escapes).
 */
class Printer {
  private out = '';
  private err = '';

  constructor(private readonly colour: { readonly stdout: boolean; readonly stderr: boolean }) {}

  stdout(text: string): void {
    this.out += lineOf(safeTerminalOutput(text, { colour: this.colour.stdout }));
  }

  stdoutJson(value: unknown): void {
    this.stdoutDocument(JSON.stringify(value, null, 2));
  }

  /** A JSON document printed as it is (`export`), its controls escaped. */
  stdoutDocument(json: string): void {
    this.out += lineOf(escapeJsonControls(json));
  }

  stderr(text: string): void {
    this.err += lineOf(safeTerminalOutput(text, { colour: this.colour.stderr }));
  }

  result(exitCode: number): CliResult {
    return { exitCode, stdout: this.out, stderr: this.err };
  }
}

function lineOf(text: string): string {
  return text === '' || text.endsWith('\n') ? text : `${text}\n`;
}

function printJson(printer: Printer, value: unknown): void {
  printer.stdoutJson(value);
}

function printError(
  printer: Printer,
  flags: { json: boolean; quiet: boolean },
  error: CliError,
): number {
  if (flags.json && !flags.quiet) {
    const body: Record<string, unknown> = { code: error.code, message: error.message };
    if (error.details !== undefined) body['details'] = error.details;
    printJson(printer, { ok: false, error: body });
  } else {
    printer.stderr([`error: ${error.message}`, ...error.detailLines].join('\n'));
  }
  return error.exitCode;
}

function printOutput(
  printer: Printer,
  flags: { json: boolean; quiet: boolean },
  output: CommandOutput,
): number {
  if (!flags.quiet) {
    if (output.document !== undefined) printer.stdoutDocument(output.document);
    else if (flags.json) printJson(printer, output.json);
    else printer.stdout(typeof output.text === 'function' ? output.text() : output.text);
  }
  if (output.stderr !== undefined && (!flags.json || flags.quiet)) printer.stderr(output.stderr);
  return output.exitCode ?? EXIT.ok;
}

function verbose(env: CliDeps['env']): boolean {
  return sessionsDbEnv(env, 'VERBOSE') !== undefined;
}

async function captureHelp(
  deps: CliDeps,
  commands: readonly CommandSpec[],
  argv: readonly string[],
): Promise<string> {
  let help = '';
  await buildParser(deps, () => undefined, commands).parseAsync(
    [...argv],
    {},
    (_error, _args, output) => {
      help = output;
    },
  );
  return help;
}

/**
 * Run `sessions-db` with `argv` (the arguments after the program name) in-process, knowing only
 * `commands`, and return what it printed and its exit code. `createCli` passes every command; a
 * command's own bundle (`dist/cli-<command>.cjs`) passes only its own, and is started only for a
 * command line naming it, so what it prints is what the whole CLI prints for that command line.
 * Never prints and never exits. Exit codes: 0 success, 1 business error, 2 argument error,
 * 3 unknown command.
 */
export async function runCli(
  argv: readonly string[],
  deps: CliDeps,
  commands: readonly CommandSpec[],
): Promise<CliResult> {
  const colourAllowed = (isTTY: boolean): boolean =>
    shouldUseColor({ isTTY, env: deps.env, flag: true });
  const printer = new Printer({
    stdout: colourAllowed(deps.isTTY.stdout),
    stderr: colourAllowed(deps.isTTY.stderr),
  });
  const flags = peekOutputFlags(argv);

  const word = commandWord(argv);
  const named = word === undefined ? undefined : commands.find((c) => commandName(c) === word);
  if (word !== undefined && named === undefined) {
    const error = new CliError('UNKNOWN_COMMAND', `unknown command: ${word}`, {
      exitCode: EXIT.unknownCommand,
    });
    if (flags.json && !flags.quiet) return printer.result(printError(printer, flags, error));
    printer.stderr(`error: ${error.message}\n\n`);
    if (!flags.quiet) printer.stdout(await captureHelp(deps, commands, ['--help']));
    return printer.result(error.exitCode);
  }

  let selection: Selection | undefined;
  let helpOutput = '';
  try {
    const parser = buildParser(
      deps,
      (selected) => {
        selection = selected;
      },
      named === undefined ? commands : [named],
    );
    await parser.parseAsync(
      argv.length === 0 ? ['--help'] : [...argv],
      {},
      (_error, _args, output) => {
        helpOutput = output;
      },
    );
  } catch (error) {
    if (error instanceof UsageFailure) {
      const usage = new CliError('INVALID_ARGUMENT', error.message, {
        exitCode: EXIT.usage,
        detailLines: error.help === '' ? [] : ['', error.help],
      });
      return printer.result(printError(printer, flags, usage));
    }
    throw error;
  }

  if (selection === undefined) {
    // Flags but no command (`--store DIR`): nothing was asked; say so rather than exit 0 silently.
    if (helpOutput === '' && !argv.includes('--get-yargs-completions')) {
      const help = await captureHelp(deps, commands, ['--help']);
      const missing = new CliError('INVALID_ARGUMENT', 'no command given', {
        exitCode: EXIT.usage,
        detailLines: ['', help],
      });
      return printer.result(printError(printer, flags, missing));
    }
    // --help, --version, completion requests: yargs produced the text.
    if (!flags.quiet) printer.stdout(helpOutput);
    return printer.result(EXIT.ok);
  }

  const { spec, args } = selection;
  const empty = GLOBAL_VALUE_FLAGS.find((flag) => args[flag.slice(2)] === '');
  if (empty !== undefined)
    return printer.result(
      printError(printer, flags, usageError(`${empty} needs a directory, not an empty value`)),
    );
  const global = readGlobalOptions(args);
  const handle = createCommandContext(deps, global);
  let exitCode: number;
  try {
    const run = spec.run;
    if (run === undefined)
      throw new CliError('INVALID_ARGUMENT', 'choose a sub-command', { exitCode: EXIT.usage });
    const output = await run(args, handle.context);
    exitCode = printOutput(printer, global, output);
  } catch (error) {
    if (error instanceof CliError) exitCode = printError(printer, global, error);
    else {
      const message = error instanceof Error ? error.message : String(error);
      const internal = new CliError('INTERNAL', message, {
        detailLines:
          verbose(deps.env) && error instanceof Error && error.stack ? [error.stack] : [],
      });
      exitCode = printError(printer, global, internal);
    }
  } finally {
    handle.release();
  }
  for (const warning of handle.warnings) printer.stderr(warning);
  return printer.result(exitCode);
}
