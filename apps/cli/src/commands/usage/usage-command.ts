import { stringArg } from '../../args.js';
import { usageError } from '../../cli-error.js';
import type { CommandSpec } from '../../command-spec.js';
import { loadPrices, readSessionUsage } from '../../content/usage-data.js';
import { agentFlag } from '../../enums.js';
import { parseSince } from '../../since.js';
import { renderUsage } from './render-usage.js';
import { buildUsageReport, USAGE_GROUPS } from './usage-report.js';
import type { UsageGroup } from './usage-report.js';

/** `sessions-db usage`. */
export const usageCommand: CommandSpec = {
  command: 'usage',
  describe: 'Tokens and cost per session, task, project, day or model (from the archive)',
  builder: (yargs) =>
    yargs
      .option('by', {
        type: 'string',
        choices: USAGE_GROUPS,
        default: 'session',
        describe: 'What each row is',
      })
      .option('since', {
        type: 'string',
        requiresArg: true,
        describe: 'Only responses at or after: ISO date or age (7d, 12h, 30m, 2w)',
      })
      .option('agent', agentFlag('Only sessions of this coding agent'))
      .option('prices', {
        type: 'string',
        requiresArg: true,
        describe:
          'A price file laid over the built-in prices (default: prices.json in the user config dir)',
      })
      .example('$0 usage --by task', 'What each task cost, across all its sessions')
      .example('$0 usage --by day --since 7d', 'The last week, day by day')
      .example('$0 usage --by model --json', 'Tokens and cost per model, as JSON'),
  async run(args, context) {
    const by = (stringArg(args, 'by') ?? 'session') as UsageGroup;
    if (!USAGE_GROUPS.includes(by))
      throw usageError(`--by must be one of: ${USAGE_GROUPS.join(', ')}`);
    const sinceArg = stringArg(args, 'since');
    const since = sinceArg === undefined ? undefined : parseSince(sinceArg, context.deps.now());
    const prices = loadPrices(context.deps.env, stringArg(args, 'prices'));
    const store = await context.openStore();
    const all = store.findSessions({ limit: null });
    const usage = readSessionUsage(store, {
      env: context.deps.env,
      catchUp: true,
      now: context.deps.now(),
      ...(since === undefined ? {} : { since }),
    });
    const agent = stringArg(args, 'agent');
    const sessions = new Map(all.map((session) => [session.stable_id, session]));
    const rows =
      agent === undefined
        ? usage.rows
        : usage.rows.filter((row) => (sessions.get(row.stableId)?.agent ?? 'claude') === agent);
    const report = buildUsageReport(rows, sessions, by, prices.table);
    const pricesNote =
      prices.file === null
        ? `prices: ${prices.source}`
        : `prices: ${prices.source}, with ${prices.file}`;
    return {
      json: report.rows,
      text: renderUsage(report, {
        paint: context.paint,
        columns: context.deps.columns,
        pricesNote,
      }),
      ...(usage.warnings.length === 0 ? {} : { stderr: usage.warnings.join('\n') }),
    };
  },
};
