/**
 * The part of yargs 18's API this CLI uses. yargs 18 ships no declarations for its main entry and
 * `@types/yargs` describes yargs 17, so the CLI declares what it calls, loosely (arguments are
 * read through `args.ts`, never through yargs' inferred types).
 */
declare module 'yargs' {
  /** An option or positional definition (`type`, `describe`, `requiresArg`, `global`, …). */
  export type OptionDefinition = Readonly<Record<string, unknown>>;

  /** Parsed arguments. */
  export type Arguments = Readonly<Record<string, unknown>>;

  /** A yargs parser instance. */
  export interface Argv {
    scriptName(name: string): Argv;
    locale(locale: string): Argv;
    detectLocale(detect: boolean): Argv;
    parserConfiguration(configuration: Readonly<Record<string, boolean>>): Argv;
    usage(message: string): Argv;
    epilogue(message: string): Argv;
    wrap(columns: number | null): Argv;
    exitProcess(exit: boolean): Argv;
    strict(enabled?: boolean): Argv;
    help(enabled?: boolean): Argv;
    alias(key: string, alias: string | readonly string[]): Argv;
    version(version: string | false): Argv;
    option(key: string, definition: OptionDefinition): Argv;
    options(definitions: Readonly<Record<string, OptionDefinition>>): Argv;
    positional(key: string, definition: OptionDefinition): Argv;
    conflicts(key: string, other: string | readonly string[]): Argv;
    example(command: string, description: string): Argv;
    demandCommand(min: number, message?: string): Argv;
    command(
      command: string | readonly string[],
      description: string,
      builder: (yargs: Argv) => Argv,
      handler: (args: Arguments) => void | Promise<void>,
    ): Argv;
    fail(
      handler: (message: string | null | undefined, error: Error | undefined, yargs: Argv) => void,
    ): Argv;
    showHelp(print: (text: string) => void): Argv;
    showCompletionScript(): Argv;
    parseAsync(
      args: readonly string[],
      context?: object,
      callback?: (error: Error | null, args: Arguments, output: string) => void,
    ): Promise<Arguments>;
  }

  /** A fresh parser (the CLI passes the arguments to `parseAsync`). */
  // eslint-disable-next-line no-restricted-syntax -- describes yargs' own default export
  export default function yargs(args?: readonly string[]): Argv;
}
