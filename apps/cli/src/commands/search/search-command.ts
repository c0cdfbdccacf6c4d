import { ContentQueryError, openContentIndex, searchContent } from '@sessions-db/content';
import type { ContentRole, SearchHit } from '@sessions-db/content';
import type { SessionRecord } from '@sessions-db/projection';
import type { FindQuery } from '@sessions-db/store';
import { positiveIntegerArg, stringArg } from '../../args.js';
import { CliError, usageError } from '../../cli-error.js';
import type { CommandSpec } from '../../command-spec.js';
import { pendingContent, SEARCH_CATCH_UP_BYTES } from '../../content/content-store.js';
import { archiveEnabled, contentPathsIn, transcriptRefs } from '@sessions-db/store/content';
import { updateContent } from '@sessions-db/content';
import { displayLabel } from '../../format/session-label.js';
import { toOneLine } from '../../format/text-width.js';
import { requireSession } from '../../session-ref.js';
import { parseSince } from '../../since.js';

const ROLES: readonly ContentRole[] = ['user', 'assistant', 'tool'];
const OPEN = '\u0002';
const CLOSE = '\u0003';

/** One `search --json` hit. */
export interface SearchJsonHit {
  readonly stable_id: string;
  readonly claude_session_id: string;
  readonly label: string | null;
  readonly role: ContentRole;
  readonly ts: string;
  readonly snippet: string;
  readonly score: number;
  readonly more_matches: number;
}

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
      .option('agent', {
        type: 'string',
        choices: ['claude', 'codex'],
        requiresArg: true,
        describe: 'only sessions of this coding agent',
      })
      .option('since', {
        type: 'string',
        describe: 'only matches at or after (ISO date or 7d, 12h…)',
      })
      .option('role', { type: 'string', describe: 'user | assistant | tool' })
      .option('session', { type: 'string', describe: 'search inside one session and its resumes' })
      .option('limit', { type: 'number', describe: 'most sessions listed (default 20)' })
      .example('$0 search "oauth redirect"', 'sessions where that phrase was said')
      .example('$0 search "prisma migrate" --role tool', 'sessions that ran it'),
  async run(args, context) {
    const query = stringArg(args, 'query') ?? '';
    const role = stringArg(args, 'role');
    if (role !== undefined && !ROLES.includes(role as ContentRole)) {
      throw usageError(`--role must be one of: ${ROLES.join(', ')}`);
    }
    const limitArg = positiveIntegerArg(args, 'limit');
    const sinceArg = stringArg(args, 'since');
    const since = sinceArg === undefined ? undefined : parseSince(sinceArg, context.deps.now());
    const store = await context.openStore();
    if (store.paths === null)
      throw new CliError('STORE_UNAVAILABLE', 'content search needs an on-disk store');
    const paths = contentPathsIn(store.paths);
    const all = store.findSessions({ limit: null });
    const filter: Record<string, unknown> = { limit: null };
    for (const key of ['project', 'branch', 'cwd', 'agent'] as const) {
      const value = stringArg(args, key);
      if (value !== undefined && value !== '') filter[key] = value;
    }
    let scope: SessionRecord[] | undefined =
      Object.keys(filter).length > 1 ? store.findSessions(filter as FindQuery) : undefined;
    const sessionRef = stringArg(args, 'session');
    if (sessionRef !== undefined) {
      const { session } = requireSession(store, sessionRef);
      scope =
        scope === undefined ? [session] : scope.filter((s) => s.stable_id === session.stable_id);
    }
    const index = openContentIndex(paths.indexPath);
    try {
      // Catch up only on the transcripts that grew since they were indexed.
      const pending = pendingContent(index, transcriptRefs(all));
      const stderr: string[] = [];
      if (pending.bytes <= SEARCH_CATCH_UP_BYTES) {
        updateContent(pending.refs, {
          archiveDir: paths.archiveDir,
          index,
          archive: archiveEnabled(context.deps.env),
        });
      } else {
        stderr.push(
          `warning: the content index is ${String(Math.ceil(pending.bytes / 1048576))} MB behind; run \`sessions-db import\` to catch up`,
        );
      }
      let hits: SearchHit[];
      try {
        hits = searchContent(index, query, {
          ...(role === undefined ? {} : { role: role as ContentRole }),
          ...(since === undefined ? {} : { since }),
          ...(scope === undefined ? {} : { stableIds: scope.map((s) => s.stable_id) }),
          limit: limitArg === undefined ? 20 : Math.floor(limitArg),
          highlight: [OPEN, CLOSE],
        });
      } catch (error) {
        if (error instanceof ContentQueryError) throw usageError(error.message, 'INVALID_QUERY');
        throw error;
      }
      const byId = new Map(all.map((s) => [s.stable_id, s]));
      const json: SearchJsonHit[] = hits.map((hit) => ({
        stable_id: hit.stable_id,
        claude_session_id: hit.claude_session_id,
        label: displayLabel(byId.get(hit.stable_id) ?? {}).text,
        role: hit.role,
        ts: hit.ts,
        snippet: hit.snippet.replaceAll(OPEN, '[').replaceAll(CLOSE, ']'),
        score: hit.score,
        more_matches: hit.more_matches,
      }));
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
                const snippet = hit.snippet
                  .split(OPEN)
                  .map((part, i) => {
                    if (i === 0) return toOneLine(part);
                    const [match = '', rest = ''] = part.split(CLOSE);
                    return paint.enabled
                      ? paint.yellow(toOneLine(match)) + toOneLine(rest)
                      : `[${toOneLine(match)}]${toOneLine(rest)}`;
                  })
                  .join('');
                return `${paint.bold(hit.stable_id.slice(0, 22))}  ${label}${more}\n  ${paint.dim(where)}  ${hit.role}\n  ${snippet}`;
              })
              .join('\n');
      return { json, text, ...(stderr.length > 0 ? { stderr: stderr.join('\n') } : {}) };
    } finally {
      index.close();
    }
  },
};
