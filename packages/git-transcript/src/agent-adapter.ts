import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { projectsRoot, resolveClaudeHome } from './claude-paths.js';
import type { ClaudeHomeEnv } from './claude-paths.js';
import { resolveCodexHome } from './codex-paths.js';
import type { CodexHomeEnv } from './codex-paths.js';
import type { CodexTokenUsage } from './codex-records.js';
import { listCodexRollouts } from './list-codex-rollouts.js';
import { listTranscriptsIn } from './list-transcripts.js';
import type { ListError, ProjectTranscriptFile } from './list-transcripts.js';
import { readCodexItems } from './read-codex-items.js';
import { readCodexRolloutMeta } from './read-codex-meta.js';
import { readTranscriptMeta } from './read-transcript-meta.js';
import type { ReadTranscriptMetaOptions, TranscriptMeta } from './read-transcript-meta.js';
import { readTranscriptText } from './read-transcript-text.js';

/** The coding agents sessions-db reads. A record without `agent` is `claude`. */
export type AgentName = 'claude' | 'codex';

/** Every agent, in the order `import` reads them. */
export const AGENT_NAMES: readonly AgentName[] = ['claude', 'codex'];

/** Whether `value` names an agent. */
export function isAgentName(value: unknown): value is AgentName {
  return value === 'claude' || value === 'codex';
}

/** The environment variables the adapters read to find the agents' homes. */
export type AgentHomeEnv = ClaudeHomeEnv & CodexHomeEnv;

/** One item of a transcript's conversation, as {@link AgentAdapter.streamItems} yields it. */
export type AgentItem =
  | {
      readonly kind: 'message';
      readonly role: 'user' | 'assistant';
      readonly text: string;
      readonly timestamp: string | null;
      /** The record's own id when the agent gives one (Claude's `uuid`). */
      readonly id: string | null;
    }
  | { readonly kind: 'tool_call'; readonly name: string; readonly timestamp: string | null }
  | {
      readonly kind: 'usage';
      /** Cumulative token counts of the session so far (the last one is the session's total). */
      readonly total: CodexTokenUsage;
      readonly timestamp: string | null;
    };

/** The transcripts of one agent and the paths that could not be listed. */
export interface AgentTranscriptList {
  readonly transcripts: ProjectTranscriptFile[];
  readonly errors: ListError[];
}

/**
 * What sessions-db needs from one coding agent (docs/architecture.md): where its transcripts are,
 * the facts of one transcript's head and tail, its conversation, and how to resume a session. A
 * third agent is one more implementation.
 */
export interface AgentAdapter {
  readonly name: AgentName;
  /** The agent's home directory from the environment. */
  resolveHome(env: AgentHomeEnv): string;
  /** The directory `import` reads by default, under the agent's home. */
  transcriptsRoot(home: string): string;
  /**
   * The transcripts under `root` (a directory {@link transcriptsRoot} names, or for Claude one
   * project directory). @throws when `root` itself cannot be read (the caller reports it).
   */
  listTranscripts(root: string): AgentTranscriptList;
  /** Head and tail facts of one transcript (never throws; see `TranscriptMeta.status`). */
  readMeta(path: string, options?: ReadTranscriptMetaOptions): TranscriptMeta;
  /** The conversation, in file order (never throws; a bad file yields nothing more). */
  streamItems(path: string): AsyncIterable<AgentItem>;
  /** The command line that resumes a session of this agent by its own session id. */
  resumeCommand(sessionId: string): readonly string[];
}

/**
 * The directories of `root` that hold Claude transcripts: `root` itself when it holds `*.jsonl`
 * (one project directory), else its sub-directories (a `projects` directory), sorted.
 * @throws when `root` cannot be read.
 */
export function claudeProjectDirs(root: string): string[] {
  const entries = readdirSync(root, { withFileTypes: true });
  if (entries.some((entry) => entry.isFile() && entry.name.endsWith('.jsonl'))) return [root];
  return entries
    .filter((entry) => entry.isDirectory() || entry.isSymbolicLink())
    .map((entry) => join(root, entry.name))
    .sort();
}

async function* claudeItems(path: string): AsyncGenerator<AgentItem, void, undefined> {
  for await (const entry of readTranscriptText(path)) {
    yield {
      kind: 'message',
      role: entry.role,
      text: entry.text,
      timestamp: entry.timestamp,
      id: entry.uuid,
    };
  }
}

/** Claude Code: `<claude home>/projects/<encoded cwd>/<session id>.jsonl`. */
export const claudeAdapter: AgentAdapter = {
  name: 'claude',
  resolveHome: (env) => resolveClaudeHome(env),
  transcriptsRoot: projectsRoot,
  listTranscripts(root) {
    const listed = listTranscriptsIn(claudeProjectDirs(root));
    return { transcripts: listed.transcripts, errors: listed.errors };
  },
  readMeta: readTranscriptMeta,
  streamItems: claudeItems,
  resumeCommand: (sessionId) => ['claude', '--resume', sessionId],
};

async function* codexItems(path: string): AsyncGenerator<AgentItem, void, undefined> {
  for (const item of readCodexItems(path)) {
    switch (item.kind) {
      case 'message':
        yield {
          kind: 'message',
          role: item.role,
          text: item.text,
          timestamp: item.timestamp,
          id: null,
        };
        break;
      case 'tool_call':
        yield { kind: 'tool_call', name: item.name, timestamp: item.timestamp };
        break;
      case 'usage':
        yield { kind: 'usage', total: item.total, timestamp: item.timestamp };
        break;
    }
  }
}

/**
 * Codex CLI: `<codex home>/sessions/YYYY/MM/DD/rollout-*.jsonl`, `archived_sessions/`, plain or
 * `*.jsonl.zst` (docs/agents-codex.md). `transcriptsRoot` is the home itself: both folders are read.
 */
export const codexAdapter: AgentAdapter = {
  name: 'codex',
  resolveHome: (env) => resolveCodexHome(env),
  transcriptsRoot: (home) => home,
  listTranscripts(root) {
    readdirSync(root); // throws when the home itself cannot be read, as for Claude
    const listed = listCodexRollouts(root);
    return { transcripts: listed.rollouts, errors: listed.errors };
  },
  readMeta: readCodexRolloutMeta,
  streamItems: codexItems,
  resumeCommand: (sessionId) => ['codex', 'resume', sessionId],
};

/** The adapter of an agent. */
export function agentAdapter(name: AgentName): AgentAdapter {
  return name === 'codex' ? codexAdapter : claudeAdapter;
}
