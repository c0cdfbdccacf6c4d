/**
 * The public shapes of `import`: its options, the status of each transcript and the summary.
 *
 * @packageDocumentation
 */

import type { AgentName } from '@sessions-db/git-transcript';
import type { ScanWorker } from './read-metas.js';

/** What happened to one transcript. */
export type ImportStatus =
  /** A new logical session (new stable id; a fork gets a parent). */
  | 'new'
  /** A new Claude session id that joined a known session (legacy resume copy, or fingerprint). */
  | 'linked'
  /** A known Claude session id whose transcript grew since it was recorded: facts refreshed. */
  | 'updated'
  /** Known and unchanged (same path, same size): nothing written. */
  | 'unchanged'
  /** Not recorded; see `reason`. */
  | 'skipped';

/** One session transcript and what the import did with it. */
export interface ImportedTranscript {
  readonly claude_session_id: string;
  readonly path: string;
  readonly status: ImportStatus;
  readonly stable_id: string | null;
  /** The identity tier that decided (`minted`, `claude_session_id_index`, `transcript_lineage`, …). */
  readonly identity_source: string | null;
  /** A structural parent: found by identity (`fork`), or a Codex sub-agent's parent (`subagent`). */
  readonly parent: { readonly stable_id: string; readonly kind: string } | null;
  /** Subagent transcripts (`<id>/subagents/agent-*.jsonl` or legacy `agent-*.jsonl`) of this session. */
  readonly subagents: number;
  readonly first_timestamp: string | null;
  readonly last_timestamp: string | null;
  readonly reason?: string;
}

/** Totals of an import. */
export interface ImportCounts {
  readonly transcripts_scanned: number;
  readonly sessions_new: number;
  /** New Claude session ids joined to a known session (legacy resume). */
  readonly resumes_linked: number;
  readonly forks_linked: number;
  readonly sessions_updated: number;
  readonly already_known: number;
  readonly subagent_transcripts: number;
  /** Subagent transcripts whose parent session transcript was not found. */
  readonly subagents_without_parent: number;
  readonly skipped: number;
}

/** A file or directory that could not be listed. */
export interface ImportListingError {
  readonly path: string;
  readonly message: string;
}

/** Result of `importHistory`. */
export interface ImportSummary {
  /** The agent whose history was read. */
  readonly agent: AgentName;
  /** The directory read: a Claude `projects` directory, or a Codex home. */
  readonly projects_dir: string;
  readonly dry_run: boolean;
  readonly since: string | null;
  readonly counts: ImportCounts;
  /** Skipped transcripts by reason. */
  readonly skipped_by_reason: Readonly<Record<string, number>>;
  /** Files and directories that could not be listed. */
  readonly listing_errors: readonly ImportListingError[];
  readonly transcripts: readonly ImportedTranscript[];
  /**
   * Activity states set at the end of the import by the sweep rules (14 / 30 days by default), so
   * history idle for months is not shown as active; `null` on a dry run.
   */
  readonly activity: ImportActivity | null;
}

/** The sweep an import ends with: how many sessions changed activity state. */
export interface ImportActivity {
  readonly to_idle: number;
  readonly to_archived: number;
  readonly to_active: number;
}

/** Options of `importHistory`. */
export interface ImportOptions {
  /** Whose history `from` holds (default `claude`). */
  readonly agent?: AgentName;
  /** A Claude Code `projects` directory or one project directory inside it; for Codex, its home. */
  readonly from: string;
  /** Skip transcripts whose last activity is before this ISO time. */
  readonly since?: string | undefined;
  readonly dryRun: boolean;
  /** false → no prompt preview stored (`SESSIONS_DB_STORE_PREVIEW=0`). */
  readonly storePreview: boolean;
  /** The clock (epoch ms): the time of a transcript that carries no timestamp at all. */
  readonly now: () => number;
  readonly onProgress?: (done: number, total: number) => void;
  /**
   * How many transcripts share one write transaction at most (default 256, the first at most 64;
   * 1 records each transcript in transactions of its own). The result is the same either way.
   */
  readonly batchTranscripts?: number;
  /**
   * How long one write transaction may hold the store's lock before it commits and starts
   * another (ms, default 50), so a hook waiting for the lock gets it soon.
   */
  readonly batchHoldMs?: number;
  /**
   * The scan worker, started ahead by the caller (`startImportScan`) so it loads while the
   * store opens; the import uses it (only for its own agent's transcripts) or lets it end. Not
   * given: the import starts one itself; `null`: every transcript is read on the calling thread.
   */
  readonly scanWorker?: ScanWorker | null;
}
