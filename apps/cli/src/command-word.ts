/** Global flags that take a value (the first positional after them is not a command). */
export const GLOBAL_VALUE_FLAGS: readonly string[] = ['--store', '--root'];

/** The first token that is not a flag (nor the value of a global value flag): the command word. */
export function firstPositional(argv: readonly string[]): string | undefined {
  for (let i = 0; i < argv.length; i += 1) {
    const token = argv[i] ?? '';
    if (token === '--') return argv[i + 1];
    if (GLOBAL_VALUE_FLAGS.includes(token)) {
      i += 1;
      continue;
    }
    if (token.startsWith('-') && token !== '-') continue;
    return token;
  }
  return undefined;
}

/**
 * The command a command line names, `undefined` when it names none or is the completion script
 * asking yargs for candidates (`--get-yargs-completions <words…>`, answered from every command).
 * The executable (`bin.ts`) picks the command's own bundle with it and `runCli` the command, so
 * both always agree.
 */
export function commandWord(argv: readonly string[]): string | undefined {
  return argv.includes('--get-yargs-completions') ? undefined : firstPositional(argv);
}
