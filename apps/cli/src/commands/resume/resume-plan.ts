import type { SessionRecord } from '@sessions-db/projection';
import { CliError } from '../../cli-error.js';

/** What `resume` runs: the program, its arguments and the directory it runs in. */
export interface ResumePlan {
  /** The directory the agent is started in. */
  readonly cwd: string;
  /** The program and its arguments (`[claude, --resume, <id>, ...]` or `[codex, resume, <id>, ...]`). */
  readonly argv: readonly string[];
  /** Whether a deleted transcript was restored from the archive first. */
  readonly restored: boolean;
}

/** Inputs of {@link planResume}. */
export interface ResumePlanInput {
  readonly session: SessionRecord;
  /** The agent's resume command line for one of its session ids (its adapter's `resumeCommand`). */
  readonly resumeCommand: (sessionId: string) => readonly string[];
  /** The program to run instead of the command's own (`CLAUDE_BIN` or `CODEX_BIN`), when set. */
  readonly bin: string | undefined;
  /** `--cwd DIR`: run there instead of the session's own directory. */
  readonly cwdOverride: string | undefined;
  /** Arguments after `--`, passed to the agent unchanged. */
  readonly passthrough: readonly string[];
  /** Whether a path is an existing directory. */
  readonly isDirectory: (path: string) => boolean;
  readonly restored: boolean;
}

/** The directories a session ran in, best first: its cwd, then its worktree. */
export function sessionDirectories(session: SessionRecord): string[] {
  const found: string[] = [];
  for (const dir of [session.cwd, session.worktree_path_observed, session.worktree_realpath]) {
    if (typeof dir === 'string' && dir !== '' && !found.includes(dir)) found.push(dir);
  }
  return found;
}

/** The agent's session id to resume: the most recent one the session has seen. */
export function latestClaudeSessionId(session: SessionRecord): string | undefined {
  return session.claude_session_ids.at(-1);
}

/**
 * Decide what `resume` runs for `session` (pure, apart from the injected directory check).
 *
 * @throws CliError `NO_CLAUDE_SESSION` when the session has no agent session id (Claude or Codex), `CWD_MISSING`
 * when neither `--cwd` nor any of its directories exists (naming the directory and offering `--cwd`).
 */
export function planResume(input: ResumePlanInput): ResumePlan {
  const { session } = input;
  const claudeId = latestClaudeSessionId(session);
  if (claudeId === undefined) {
    throw new CliError(
      'NO_CLAUDE_SESSION',
      `session ${session.stable_id} has no ${session.agent === 'codex' ? 'Codex' : 'Claude'} session id to resume`,
    );
  }
  const [program = '', ...args] = input.resumeCommand(claudeId);
  const bin = input.bin === undefined || input.bin === '' ? program : input.bin;
  const argv = [bin, ...args, ...input.passthrough];
  if (input.cwdOverride !== undefined) {
    if (!input.isDirectory(input.cwdOverride)) {
      throw new CliError('CWD_MISSING', `--cwd ${input.cwdOverride} is not a directory`, {
        details: { cwd: input.cwdOverride },
      });
    }
    return { cwd: input.cwdOverride, argv, restored: input.restored };
  }
  const dirs = sessionDirectories(session);
  const existing = dirs.find((dir) => input.isDirectory(dir));
  if (existing !== undefined) return { cwd: existing, argv, restored: input.restored };
  const missing = dirs[0];
  throw new CliError(
    'CWD_MISSING',
    missing === undefined
      ? `session ${session.stable_id} has no recorded directory`
      : `the session's directory ${missing} no longer exists`,
    {
      detailLines: ['hint: pass --cwd DIR to resume it in another directory'],
      details: { cwd: missing ?? null, hint: 'pass --cwd DIR' },
    },
  );
}
