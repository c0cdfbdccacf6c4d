/** Exit codes of `sessions-db` (docs/cli.md). */
export const EXIT = Object.freeze({
  ok: 0,
  /** Not found, ambiguous reference, cycle, lock timeout, failed rebuild or transitions. */
  business: 1,
  /** Unknown flag, missing or invalid value, mutually exclusive options. */
  usage: 2,
  unknownCommand: 3,
});

/** Options of {@link CliError}. */
export interface CliErrorOptions {
  /** Exit code (default 1, a business error). */
  readonly exitCode?: number;
  /** Extra human lines printed to stderr after the `error:` line (e.g. ambiguous candidates). */
  readonly detailLines?: readonly string[];
  /** Extra structured detail added to the JSON error object. */
  readonly details?: unknown;
  readonly cause?: unknown;
}

/**
 * An expected failure of a command: a stable `code`, a message that says what was expected and
 * what was found, and the exit code it maps to. `createCli` renders it as `error: <message>` on
 * stderr, or `{"ok":false,"error":{code,message}}` on stdout with `--json`.
 */
export class CliError extends Error {
  override readonly name = 'CliError';
  readonly code: string;
  readonly exitCode: number;
  readonly detailLines: readonly string[];
  readonly details: unknown;

  constructor(code: string, message: string, options: CliErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.exitCode = options.exitCode ?? EXIT.business;
    this.detailLines = options.detailLines ?? [];
    this.details = options.details;
  }
}

/** A usage error (exit 2): a bad flag value, a missing or contradictory option. */
export function usageError(message: string, code = 'INVALID_ARGUMENT'): CliError {
  return new CliError(code, message, { exitCode: EXIT.usage });
}
