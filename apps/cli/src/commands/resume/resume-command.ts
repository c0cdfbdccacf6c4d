import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { booleanArg, stringArg } from '../../args.js';
import { CliError } from '../../cli-error.js';
import type { SessionRecord } from '@sessions-db/projection';
import type { SessionsStore } from '@sessions-db/store';
import type { CommandContext } from '../../command-context.js';
import type { CommandOutput, CommandSpec, ParsedArgs } from '../../command-spec.js';
import { safeText } from '../../format/safe-text.js';
import { requireSession } from '../../session-ref.js';
import { planResume } from './resume-plan.js';
import { shellLine } from './shell-quote.js';
import { restoreSessionFiles } from '../../content/content-store.js';

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** The arguments after `--` (yargs leaves them in `_` after the command name). */
function passthroughArgs(args: ParsedArgs): string[] {
  const rest = args['--'] ?? args['_'];
  const list = Array.isArray(rest) ? rest.map((item) => String(item)) : [];
  return list[0] === 'resume' ? list.slice(1) : list;
}

/** How {@link resumeSession} resumes. */
export interface ResumeOptions {
  /** Print the command and directory instead of running it. */
  readonly print: boolean;
  /** Run in this absolute directory instead of the session's. */
  readonly cwd: string | undefined;
  /** Arguments passed on to the agent. */
  readonly passthrough: readonly string[];
}

/**
 * Resume `session` with its agent's own resume in its directory, the terminal handed over
 * (`resume`, and `browse` on Enter): restores deleted transcripts from the archive first, and
 * returns the agent's exit code as the command's.
 *
 * @throws CliError when the directory is gone, the run may not start programs, or the agent
 * cannot be started.
 */
export async function resumeSession(
  context: CommandContext,
  store: SessionsStore,
  session: SessionRecord,
  options: ResumeOptions,
): Promise<CommandOutput> {
  const { print } = options;
  // Claude Code deletes transcripts after 30 days: put them back from the archive before
  // running (never with --print, which writes nothing).
  const restored =
    !print &&
    store.paths !== null &&
    restoreSessionFiles(store, session).some((file) => file.outcome === 'written');
  const agent = session.agent === 'codex' ? 'codex' : 'claude';
  const binVariable = agent === 'codex' ? 'CODEX_BIN' : 'CLAUDE_BIN';
  const agentName = agent === 'codex' ? 'Codex' : 'Claude Code';
  const { agentAdapter } = await import('@sessions-db/git-transcript');
  const plan = planResume({
    session,
    resumeCommand: agentAdapter(agent).resumeCommand,
    bin: context.deps.env[binVariable],
    cwdOverride: options.cwd,
    passthrough: [...options.passthrough],
    isDirectory,
    restored,
  });
  const json = { cwd: plan.cwd, argv: plan.argv, restored: plan.restored };
  const line = safeText(shellLine(plan.cwd, plan.argv));
  if (print) return { json, text: line };
  if (context.deps.runAttached === undefined) {
    throw new CliError('CANNOT_RUN', `this run cannot start programs; use --print: ${line}`);
  }
  const [program = agent, ...rest] = plan.argv;
  let exitCode: number;
  try {
    exitCode = await context.deps.runAttached(program, rest, plan.cwd);
  } catch (error) {
    throw new CliError(
      'AGENT_NOT_STARTED',
      `cannot start ${safeText(program)}: ${error instanceof Error ? error.message : String(error)} (${binVariable} names another binary)`,
      { cause: error },
    );
  }
  return {
    json,
    text: '',
    ...(restored
      ? {
          stderr: `restored the transcript from the sessions-db archive (${agentName} had deleted it)`,
        }
      : {}),
    exitCode,
  };
}

/** `sessions-db resume <session> [--print] [--cwd DIR] [-- agent args...]`. */
export const resumeCommand: CommandSpec = {
  command: 'resume <session>',
  describe: "Resume a session with the agent's own resume, in the session's directory",
  builder: (yargs) =>
    yargs
      .positional('session', {
        type: 'string',
        describe: 'Stable id, unique prefix, alias or Claude session id',
      })
      .option('print', {
        type: 'boolean',
        describe: 'Print the command and directory instead of running it',
      })
      .option('cwd', {
        type: 'string',
        describe: "Run in DIR instead of the session's directory",
        requiresArg: true,
      })
      .example(
        '$0 resume login-fix',
        'Run claude --resume <id> (codex resume <id>) in its directory',
      )
      .example('$0 resume login-fix -- --model opus', 'Pass arguments to the agent')
      .example('$0 resume login-fix --print --json', '{cwd, argv, restored} without running'),
  async run(args, context) {
    const ref = stringArg(args, 'session') ?? '';
    const store = await context.openStore();
    const { session } = requireSession(store, ref);
    const cwdFlag = stringArg(args, 'cwd');
    return resumeSession(context, store, session, {
      print: booleanArg(args, 'print'),
      cwd: cwdFlag === undefined ? undefined : resolve(context.deps.cwd, cwdFlag),
      passthrough: passthroughArgs(args),
    });
  },
};
