import { usageError } from './cli-error.js';
import type { ParsedArgs } from './command-spec.js';

/** The last value of a flag that may have been repeated (the last occurrence wins). */
function lastOf(value: unknown): unknown {
  return Array.isArray(value) ? value[value.length - 1] : value;
}

/** A string flag or positional, `undefined` when absent. Numbers yargs parsed come back as text. */
export function stringArg(args: ParsedArgs, key: string): string | undefined {
  const value = lastOf(args[key]);
  if (value === undefined || value === null) return undefined;
  return typeof value === 'string' ? value : String(value);
}

/** A repeatable string flag (`--task A --task B`): its values in order, empty strings dropped. */
export function stringListArg(args: ParsedArgs, key: string): string[] {
  const value = args[key];
  const list = Array.isArray(value) ? value : value === undefined ? [] : [value];
  return list.map((item) => String(item)).filter((item) => item !== '');
}

/** A boolean flag (absent → false). */
export function booleanArg(args: ParsedArgs, key: string): boolean {
  return lastOf(args[key]) === true;
}

/**
 * A number flag, `undefined` when absent.
 *
 * @throws CliError (exit 2) `flag --<name> expects a number, got: <v>` (docs/cli.md).
 */
export function numberArg(args: ParsedArgs, key: string): number | undefined {
  const raw = lastOf(args[key]);
  if (raw === undefined) return undefined;
  const value = typeof raw === 'number' ? raw : Number(raw);
  if (
    typeof raw === 'boolean' ||
    (typeof raw === 'string' && raw.trim() === '') ||
    !Number.isFinite(value)
  ) {
    throw usageError(`flag --${key} expects a number, got: ${String(raw)}`);
  }
  return value;
}

/**
 * A flag that must be a whole number of at least 1 (`--limit`), or undefined when absent.
 *
 * @throws CliError (exit 2) when it is not a number, not whole, or below 1.
 */
export function positiveIntegerArg(args: ParsedArgs, key: string): number | undefined {
  const value = numberArg(args, key);
  if (value !== undefined && !(Number.isSafeInteger(value) && value >= 1)) {
    throw usageError(`--${key} must be a whole number of at least 1, got: ${String(value)}`);
  }
  return value;
}
