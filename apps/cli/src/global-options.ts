import type { Argv } from 'yargs';
import type { ParsedArgs } from './command-spec.js';
import { booleanArg, stringArg } from './args.js';

/** The flags every command accepts (docs/cli.md: truly global). */
export interface GlobalOptions {
  readonly json: boolean;
  readonly quiet: boolean;
  /** `false` with `--no-color`. */
  readonly color: boolean;
  readonly store?: string | undefined;
  readonly root?: string | undefined;
}

/** Declare the global flags on the root yargs instance. */
export function addGlobalOptions(yargs: Argv): Argv {
  return yargs
    .option('store', {
      type: 'string',
      requiresArg: true,
      global: true,
      describe: 'Storage directory (holds sessions-db-events.jsonl)',
    })
    .option('root', {
      type: 'string',
      requiresArg: true,
      global: true,
      describe: 'Legacy workspace directory: the store is <DIR>/tickets/_logs',
    })
    .conflicts('store', 'root')
    .option('json', { type: 'boolean', global: true, describe: 'Print one JSON document' })
    .option('quiet', { type: 'boolean', global: true, describe: 'Print nothing on stdout' })
    .option('color', {
      type: 'boolean',
      global: true,
      describe: 'Colour output (--no-color to disable; only on a terminal, never with NO_COLOR)',
    });
}

/** The global flags of parsed arguments. */
export function readGlobalOptions(args: ParsedArgs): GlobalOptions {
  return {
    json: booleanArg(args, 'json'),
    quiet: booleanArg(args, 'quiet'),
    color: args['color'] !== false,
    store: stringArg(args, 'store'),
    root: stringArg(args, 'root'),
  };
}

function flagValue(token: string, name: string): boolean | undefined {
  if (token === name) return true;
  if (!token.startsWith(`${name}=`)) return undefined;
  return ['true', '1', 'yes', ''].includes(token.slice(name.length + 1).toLowerCase());
}

/**
 * `--json` and `--quiet` read straight from the tokens, before yargs runs, so an argument error
 * still honours them. Stops at `--`.
 */
export function peekOutputFlags(argv: readonly string[]): { json: boolean; quiet: boolean } {
  let json = false;
  let quiet = false;
  for (const token of argv) {
    if (token === '--') break;
    json = flagValue(token, '--json') ?? (token === '--no-json' ? false : json);
    quiet = flagValue(token, '--quiet') ?? (token === '--no-quiet' ? false : quiet);
  }
  return { json, quiet };
}
