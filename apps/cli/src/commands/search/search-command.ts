import { agentFlag } from '../../enums.js';
import type { CommandSpec } from '../../command-spec.js';
import { displayLabel } from '../../format/session-label.js';
import { highlightSnippet, runSearch, searchJson } from './search-data.js';

/** `sessions-db search <query>`. */
export const searchCommand: CommandSpec = {
  command: 'search <query>',
  describe: 'Find sessions by what was said or run in them (FTS5 query syntax)',
  builder: (yargs) =>
    yargs
      .positional('query', { type: 'string', describe: 'words, "phrases", prefix*, AND/OR/NOT' })
      .option('project', { type: 'string', describe: 'only sessions of this project' })
      .option('branch', { type: 'string', describe: 'only sessions on this branch' })
      .option('cwd', { type: 'string', describe: 'only sessions under this directory' })
      .option('agent', agentFlag('only sessions of this coding agent'))
      .option('since', {
        type: 'string',
        describe: 'only matches at or after (ISO date or 7d, 12h…)',
      })
      .option('role', { type: 'string', describe: 'user | assistant | tool' })
      .option('session', { type: 'string', describe: 'search inside one session and its resumes' })
      .option('limit', { type: 'number', describe: 'most sessions listed (default 20)' })
      .example('$0 search "oauth redirect"', 'sessions where that phrase was said')
      .example('$0 search "prisma migrate" --role tool', 'sessions that ran it')
      .epilogue(
        'Sessions are ranked by how well the session as a whole matches (bm25; ties: the most recent first), each shown with its latest matching message. First indexes what transcripts gained since they were indexed. An imported session whose transcript was left alone for 10 minutes is no longer looked at: without the hook, what a resume adds is found after the next `sessions-db import`.',
      ),
  async run(args, context) {
    const data = await runSearch(args, context, 'catch-up');
    const { hits } = data;
    const byId = data.sessions;
    const json = searchJson(data);
    const { paint } = context;
    const text =
      hits.length === 0
        ? '(no sessions matched)'
        : hits
            .map((hit) => {
              const session = byId.get(hit.stable_id);
              const label = displayLabel(session ?? {}).text ?? '-';
              const more =
                hit.more_matches > 0 ? paint.dim(` (+${String(hit.more_matches)} more)`) : '';
              const where = [
                hit.ts.slice(0, 10),
                session?.projects[0] ?? '-',
                session?.branch_current ?? session?.branch_at_start ?? '-',
              ].join('  ');
              const snippet = highlightSnippet(hit.snippet, paint);
              return `${paint.bold(hit.stable_id.slice(0, 22))}  ${label}${more}\n  ${paint.dim(where)}  ${hit.role}\n  ${snippet}`;
            })
            .join('\n');
    return {
      json,
      text,
      ...(data.warnings.length > 0 ? { stderr: data.warnings.join('\n') } : {}),
    };
  },
};
