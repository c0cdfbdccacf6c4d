/** Characters a POSIX shell word may hold unquoted. */
const PLAIN = /^[\w@%+=:,./-]+$/u;

/** `word` as one POSIX shell word (single-quoted when it holds anything special). */
export function shellQuote(word: string): string {
  if (PLAIN.test(word)) return word;
  return `'${word.replaceAll("'", `'\\''`)}'`;
}

/** A command line a person can paste: `cd DIR && PROGRAM ARGS...`. */
export function shellLine(cwd: string, argv: readonly string[]): string {
  return `cd ${shellQuote(cwd)} && ${argv.map(shellQuote).join(' ')}`;
}
