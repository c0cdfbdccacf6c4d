/** `$CODEX_HOME` of `@sessions-db/git-transcript`'s fixtures: Codex CLI rollouts in the real format. */
export declare const CODEX_FIXTURE_HOME: string;

/** The example Claude Code history of the CLI (`apps/cli/examples/claude-home/projects`). */
export declare const CLAUDE_EXAMPLE_PROJECTS: string;

/** The ops of the original tool's log, in its order (docs/on-disk-format.md#ops). */
export declare const ORIGINAL_OPS: readonly string[];
