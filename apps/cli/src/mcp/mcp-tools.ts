import { ACTIVITY_STATES, OUTCOMES } from '@sessions-db/projection';
import { redactSecrets } from '@sessions-db/git-transcript';
import { z } from 'zod';
import type { CommandContext } from '../command-context.js';
import type { ParsedArgs } from '../command-spec.js';
import { runFind } from '../commands/find/find-command.js';
import { SEARCH_ROLES, runSearch, searchJson } from '../commands/search/search-data.js';
import { runShow } from '../commands/show/show-command.js';
import { treeJson } from '../commands/tree/render-tree.js';
import { runTree } from '../commands/tree/tree-command.js';
import { MESSAGE_PAGE, sessionMessages } from '../content/session-messages.js';
import { requireAgent, requireSession } from '../session-ref.js';
import { sessionSummary } from './session-summary.js';

/** One tool of `sessions-db mcp`: its typed input and the data function that answers it. */
export interface McpTool {
  readonly name: string;
  readonly title: string;
  readonly description: string;
  /** The input's fields (zod, as the MCP SDK takes them); the SDK validates before `run`. */
  readonly input: z.ZodRawShape;
  /** Answers with data (an object); throws `CliError` for an expected failure. */
  run(input: ParsedArgs, context: CommandContext): Promise<Record<string, unknown>>;
}

/** Sessions `find_sessions` returns when no limit is given, and the most it returns. */
export const FIND_LIMITS = Object.freeze({ default: 20, max: 200 });

const agent = z.enum(['claude', 'codex']).describe('Only sessions of this coding agent');
const since = z
  .string()
  .describe('Only at or after: an ISO date (2026-03-01) or an age (30m, 12h, 7d, 2w)');
const session = z
  .string()
  .min(1)
  .describe('The session: full stable id, unique prefix, alias or Claude/Codex session id');
const limit = (max: number, fallback: number) =>
  z
    .number()
    .int()
    .min(1)
    .max(max)
    .describe(`Most results (default ${String(fallback)})`);

/** The tools, in the order `tools/list` gives them. Every one reads only. */
export const MCP_TOOLS: readonly McpTool[] = [
  {
    name: 'search_sessions',
    title: 'Search past sessions',
    description:
      'Full-text search over everything said and run in past coding sessions (Claude Code and ' +
      'Codex): prompts, answers, tool calls and results. FTS5 syntax: words, "exact phrases", ' +
      'prefix*, AND/OR/NOT. One hit per session, best first, with a snippet where the match is ' +
      'between [ and ].',
    input: {
      query: z.string().min(1).describe('What to look for (FTS5 query syntax)'),
      project: z.string().optional().describe('Only sessions linked to this project'),
      branch: z.string().optional().describe('Only sessions on this git branch'),
      cwd: z.string().optional().describe('Only sessions whose directory contains this'),
      agent: agent.optional(),
      since: since.optional(),
      role: z
        .enum(SEARCH_ROLES as [string, ...string[]])
        .optional()
        .describe('Only what the user said, the assistant said, or a tool ran'),
      session: session.optional().describe('Search inside this session only'),
      limit: limit(100, 20).optional(),
    },
    async run(input, context) {
      const data = await runSearch(input, context, 'read-only');
      return {
        hits: searchJson(data).map((hit) => ({ ...hit, snippet: redactSecrets(hit.snippet) })),
      };
    },
  },
  {
    name: 'find_sessions',
    title: 'Find sessions',
    description:
      'List sessions by their recorded facts (most recent progress first): label text, task, ' +
      'project, alias, branch, directory, agent, state, outcome, age.',
    input: {
      text: z
        .string()
        .optional()
        .describe('Case-insensitive substring of label, prompt, branch, cwd, tasks, projects'),
      task: z.string().optional().describe('Linked to this task (exact)'),
      project: z.string().optional().describe('Linked to this project (exact)'),
      alias: z.string().optional().describe('This alias (exact)'),
      branch: z.string().optional().describe('Current or starting branch (exact)'),
      cwd: z.string().optional().describe('Substring of the working directory'),
      agent: agent.optional(),
      state: z.enum(ACTIVITY_STATES as [string, ...string[]]).optional(),
      outcome: z.enum(OUTCOMES as [string, ...string[]]).optional(),
      since: since.optional(),
      limit: limit(FIND_LIMITS.max, FIND_LIMITS.default).optional(),
    },
    async run(input, context) {
      const sessions = await runFind({ limit: FIND_LIMITS.default, ...input }, context);
      return { sessions: sessions.map(sessionSummary) };
    },
  },
  {
    name: 'show_session',
    title: 'Show a session',
    description:
      "A session's whole record: label, ids, directory, git branch and commits, tasks, parent " +
      'and children with the kind of each edge, transcripts (present, archived or missing), ' +
      'and the timeline of its events.',
    input: { session, agent: agent.optional() },
    async run(input, context) {
      return { ...(await runShow(input, context)) };
    },
  },
  {
    name: 'session_tree',
    title: 'Session lineage tree',
    description:
      'The tree of sessions below a session (forks, /clear continuations, subagents, linked ' +
      'children), each node with its edge kind; with ancestors, the chain of parents above it.',
    input: {
      session,
      ancestors: z.boolean().optional().describe('Also give the chain of parents above it'),
      agent: agent.optional(),
    },
    async run(input, context) {
      const tree = await runTree(input, context);
      return { ...treeJson(tree, input['ancestors'] === true) };
    },
  },
  {
    name: 'session_messages',
    title: "Read a session's messages",
    description:
      "A bounded page of a session's messages (prompts, answers, tool calls and results) from " +
      "sessions-db's archive, so it works after the agent deleted the transcript. Page with " +
      'offset and limit; next_offset is null after the last page. Credentials are redacted.',
    input: {
      session,
      agent: agent.optional(),
      offset: z.number().int().min(0).optional().describe('First message (default 0)'),
      limit: limit(MESSAGE_PAGE.maxLimit, MESSAGE_PAGE.defaultLimit).optional(),
    },
    async run(input, context) {
      const ref = String(input['session']);
      const store = await context.openStore();
      const found = requireSession(store, ref);
      requireAgent(found.session, input['agent'] as string | undefined, ref);
      return {
        ...sessionMessages(store, found.session, {
          offset: typeof input['offset'] === 'number' ? input['offset'] : 0,
          limit: typeof input['limit'] === 'number' ? input['limit'] : MESSAGE_PAGE.defaultLimit,
        }),
      };
    },
  },
];
