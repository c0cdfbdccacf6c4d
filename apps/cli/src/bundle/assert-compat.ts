// Stands in for Node's `assert` module inside the bundle (see build.mjs): yargs imports
// `strictEqual` and `notStrictEqual` from it to check its own arguments, and loading `node:assert`
// (with its error formatting and stream helpers) costs ~5 ms on every run of the CLI.

/** Throws when `actual` is not `expected` (`Object.is`), like `assert.strictEqual`. */
export function strictEqual(actual: unknown, expected: unknown, message?: string | Error): void {
  if (!Object.is(actual, expected))
    fail(message, `expected ${String(expected)}, got ${String(actual)}`);
}

/** Throws when `actual` is `expected` (`Object.is`), like `assert.notStrictEqual`. */
export function notStrictEqual(actual: unknown, expected: unknown, message?: string | Error): void {
  if (Object.is(actual, expected)) fail(message, `expected a value other than ${String(expected)}`);
}

function fail(message: string | Error | undefined, fallback: string): never {
  if (message instanceof Error) throw message;
  throw new Error(message ?? fallback);
}
