import type { ActivityState, Outcome, SessionRecord } from '@sessions-db/projection';
import type { FindQuery } from '@sessions-db/store';
import { booleanArg, positiveIntegerArg, stringArg } from '../../args.js';
import { usageError } from '../../cli-error.js';
import type { CommandContext } from '../../command-context.js';
import type { CommandSpec, ParsedArgs } from '../../command-spec.js';
import { ACTIVITY_STATE_VALUES, agentFlag, OUTCOME_VALUES } from '../../enums.js';
import { parseSince } from '../../since.js';
import { renderFind } from './render-find.js';
import { sessionSummaries } from '../../content/usage-data.js';

/** Rows `find` prints when `--limit` is absent or not positive. */
export const DEFAULT_FIND_LIMIT = 50;

/**
 * The store query of `find`'s flags.
 *
 * @throws CliError (exit 2) on a bad `--state`, `--outcome`, `--limit` or `--since`, or `--all`
 * together with `--limit`.
 */
export function findQueryOf(args: ParsedArgs, now: number): FindQuery {
  const state = stringArg(args, 'state');
  if (state !== undefined && state !== '' && !ACTIVITY_STATE_VALUES.includes(state)) {
    throw usageError(`--state must be one of: ${ACTIVITY_STATE_VALUES.join(', ')}`);
  }
  const outcome = stringArg(args, 'outcome');
  if (outcome !== undefined && outcome !== '' && !OUTCOME_VALUES.includes(outcome)) {
    throw usageError(`--outcome must be one of: ${OUTCOME_VALUES.join(', ')}`);
  }
  const limit = positiveIntegerArg(args, 'limit');
  const all = booleanArg(args, 'all');
  if (all && limit !== undefined) throw usageError('--all and --limit are mutually exclusive');
  const since = stringArg(args, 'since');
  const query: Record<string, unknown> = {
    limit: all ? null : (limit ?? DEFAULT_FIND_LIMIT),
  };
  for (const key of ['task', 'project', 'alias', 'branch', 'cwd', 'text', 'agent'] as const) {
    const value = stringArg(args, key);
    if (value !== undefined && value !== '') query[key] = value;
  }
  if (state !== undefined && state !== '') query['state'] = state as ActivityState;
  if (outcome !== undefined && outcome !== '') query['outcome'] = outcome as Outcome;
  if (since !== undefined) query['since'] = parseSince(since, now);
  return query as FindQuery;
}

/** The sessions `find` lists, most recent progress first. */
export async function runFind(args: ParsedArgs, context: CommandContext): Promise<SessionRecord[]> {
  const query = findQueryOf(args, context.deps.now());
  const store = await context.openStore();
  return store.findSessions(query);
}

/** `sessions-db find`. */
export const findCommand: CommandSpec = {
  command: 'find',
  describe:
    'Filter sessions by task / project / alias / branch / cwd / agent / state / outcome / text',
  builder: (yargs) =>
    yargs
      .option('task', {
        type: 'string',
        requiresArg: true,
        describe: 'Linked to this task (exact)',
      })
      .option('project', {
        type: 'string',
        requiresArg: true,
        describe: 'Linked to this project (exact)',
      })
      .option('alias', { type: 'string', requiresArg: true, describe: 'This alias (exact)' })
      .option('branch', {
        type: 'string',
        requiresArg: true,
        describe: 'Current or starting branch (exact)',
      })
      .option('cwd', {
        type: 'string',
        requiresArg: true,
        describe: 'Substring of the working directory',
      })
      .option('agent', agentFlag('Sessions of this coding agent'))
      .option('state', {
        type: 'string',
        requiresArg: true,
        describe: `One of: ${ACTIVITY_STATE_VALUES.join(', ')}`,
      })
      .option('outcome', {
        type: 'string',
        requiresArg: true,
        describe: `One of: ${OUTCOME_VALUES.join(', ')}`,
      })
      .option('since', {
        type: 'string',
        requiresArg: true,
        describe: 'Last progress at or after: ISO date or age (7d, 12h, 30m, 2w)',
      })
      .option('text', {
        type: 'string',
        requiresArg: true,
        describe: 'Case-insensitive substring of label, prompt, branch, cwd, tasks, projects',
      })
      .option('limit', {
        requiresArg: true,
        describe: `Max rows (number, default ${DEFAULT_FIND_LIMIT})`,
      })
      .option('all', { type: 'boolean', describe: 'No row limit' })
      .option('cost', {
        type: 'boolean',
        describe: "Add each session's cost (tokens and cost from the archive; see `usage`)",
      })
      .example('$0 find --limit 20', 'The 20 most recently active sessions')
      .example(
        '$0 find --text "login bug" --since 7d',
        'Sessions of the last week mentioning a login bug',
      )
      .example('$0 find --task T-142 --json', 'Every field of the sessions linked to a task'),
  async run(args, context) {
    const sessions = await runFind(args, context);
    const now = context.deps.now();
    if (!booleanArg(args, 'cost')) {
      return {
        json: sessions,
        text: () =>
          renderFind(sessions, {
            paint: context.paint,
            now,
            columns: context.deps.columns,
          }),
      };
    }
    const usage = sessionSummaries(await context.openStore(), sessions, context.deps.env);
    return {
      json: sessions.map((session) => {
        const summary = usage.get(session.stable_id);
        return { ...session, tokens: summary?.tokens ?? null, cost: summary?.cost ?? null };
      }),
      text: () =>
        renderFind(sessions, {
          paint: context.paint,
          now,
          columns: context.deps.columns,
          costs: new Map([...usage.entries()].map(([id, summary]) => [id, summary.cost])),
        }),
    };
  },
};
