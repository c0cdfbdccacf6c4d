/**
 * Runs the real `git` with `args` in `cwd` as a test user (fixed name and e-mail, no commit
 * signing) and returns its trimmed stdout; throws (with git's stderr) when git fails. `env` is the
 * whole environment, by default `PATH` alone.
 */
export declare function testGit(
  cwd: string,
  args: readonly string[],
  env?: NodeJS.ProcessEnv,
): string;
