/**
 * Public types of the store: paths, results, queries and the `SessionsStore` handle.
 *
 * @packageDocumentation
 */
import type {
  ActivityState,
  Outcome,
  ParentKind,
  Projection,
  SessionRecord,
  SessionSeenPayload,
  SessionEndPayload,
} from '@sessions-db/projection';
import type { EventEnvelope, LogCorruption } from '@sessions-db/event-log';
import type { IdentityFacts, IdentityResult } from '@sessions-db/identity';

/** Where the store directory came from (docs/storage.md resolution chain). */
export type StoreSource =
  | 'arg' // explicit --store / `store` option
  | 'root' // legacy workspace form: <root>/tickets/_logs
  | 'env' // SESSIONS_DB_ROOT
  | 'env-compat' // DRUUMEN_SESSIONS_DB_ROOT
  | 'tickets-logs' // ascent found <dir>/tickets/_logs
  | 'dru-code' // ascent found <dir>/.dru-code
  | 'default'; // per-user data directory (env-paths)

/** Absolute paths of one store's files. */
export interface StorePaths {
  /** The storage directory. */
  readonly dir: string;
  /** `sessions-db-events.jsonl` — the source of truth. */
  readonly eventsPath: string;
  /** `sessions-db.sqlite` — the index (a cache, rebuilt from the log when missing). */
  readonly indexPath: string;
  /** `sessions-db.json` — the original's projection file, written by rebuild/export. */
  readonly projectionPath: string;
  /** `sessions-db.json.lock` — the original's lockfile name (one name for every layout). */
  readonly lockPath: string;
  readonly source: StoreSource;
  /** Workspace stores the ascent found but passed over, and why (see `resolveStore`). */
  readonly ignored?: readonly IgnoredStore[];
}

/** A store found by the ascent from the working directory that was not used. */
export interface IgnoredStore {
  readonly dir: string;
  readonly reason: string;
}

/** Options of `resolveStore`. */
export interface ResolveStoreOptions {
  /** Explicit storage directory (`--store`). */
  readonly store?: string | undefined;
  /** Legacy workspace directory (`--root`): the store is `<root>/tickets/_logs`. */
  readonly root?: string | undefined;
  /** Where the ascent starts (default: process cwd). */
  readonly cwd?: string | undefined;
  /** Environment to read (default: process.env). */
  readonly env?: Readonly<Record<string, string | undefined>> | undefined;
}

/** A business error: stable `code`, human message. */
export interface OperationError {
  readonly code: string;
  readonly message: string;
  /** Extra structured detail (e.g. the candidates of an ambiguous reference). */
  readonly details?: unknown;
}

/** Result of a write operation. */
export type OperationResult<Extra = object> =
  | ({
      readonly ok: true;
      readonly event_id: string;
      readonly event: EventEnvelope;
      readonly dry_run: boolean;
      /**
       * Set when the event is durable in the log but the index file could not take it (read-only,
       * disk full): why. The index applies it on the next write that can; do not retry.
       */
      readonly index_pending?: string;
    } & Extra)
  | { readonly ok: false; readonly error: OperationError };

/** Common options of write operations. */
export interface WriteOptions {
  /** Validate and build the event, but write nothing. */
  readonly dryRun?: boolean;
}

/** Options of `recordSessionSeen` / `recordSessionEnd`. */
export interface RecordOptions {
  /** Default true; false stores no prompt preview (fingerprints still recorded). */
  readonly storeFirstPrompt?: boolean;
  readonly timeWindowHours?: number;
  readonly minCorroborators?: number;
  readonly clearWindowMs?: number;
  /** Absolute deadline on the monotonic clock (`performance.now()` ms) for waiting on the write lock. */
  readonly deadline?: number;
  /** Event timestamp override (ISO), e.g. the transcript's own time when importing. */
  readonly ts?: string;
  /**
   * With a `deadline`: when the write lock is still busy shortly before it (a burst of hooks),
   * decide against the index as it stands and append to the log without the lock, so the session
   * is recorded rather than lost; the next writer indexes it (`degraded: ['appended_unindexed']`).
   * A new session's stable id is then derived from its Claude session id, so two writers that
   * cannot see each other (busy and unindexed, or one holding the lock) still mint one id.
   */
  readonly appendWhenBusy?: boolean;
  /**
   * The hook event's key (e.g. a hash of Claude Code's payload), written as `hook_key` on the
   * recorded event. When the session's recent events already hold the same key within
   * {@link RecordOptions.dedupeWindowMs}, nothing is appended: the same hook event delivered twice
   * (a settings hook and the plugin both installed) is recorded once (`degraded:
   * ['duplicate_hook_event']`).
   */
  readonly hookKey?: string;
  /** How far apart two events with the same `hookKey` are still one event (ms, default 60 000). */
  readonly dedupeWindowMs?: number;
}

/** One step of recording a session in {@link SessionsStore.recordSessions}. */
export type RecordStep =
  | {
      readonly kind: 'seen';
      readonly input: SessionSeenInput;
      readonly options?: RecordOptions;
    }
  | {
      readonly kind: 'end';
      readonly input: SessionEndInput;
      readonly options?: RecordOptions;
    };

/** Options of {@link SessionsStore.recordSessions}. */
export interface RecordBatchOptions {
  /** Absolute deadline on the monotonic clock (`performance.now()` ms) for the write lock. */
  readonly deadline?: number;
  /**
   * Start no new record once the write lock has been held this long (ms); the records not
   * reached are left out of the result, for the caller's next call. Default: no limit.
   */
  readonly maxHoldMs?: number;
}

/** Result of `recordSessionSeen` / `recordSessionEnd`. */
export type RecordResult =
  | {
      readonly ok: true;
      readonly stableId: string;
      readonly eventId: string;
      readonly minted: boolean;
      readonly identity: IdentityResult;
      /** Event ids written in this transaction (session_seen/session_end, then parent_set if any). */
      readonly eventIds: readonly string[];
      /** Payload degradations applied to fit the 4096-byte cap (docs/on-disk-format.md#the-line-cap). */
      readonly degraded: readonly string[];
    }
  | { readonly ok: false; readonly error: OperationError };

/** Sort orders of `findSessions`. */
export type FindSort = 'last_progress' | 'created';

/** Filters of `findSessions` (all AND-ed; unset filters are ignored). */
export interface FindQuery {
  readonly state?: ActivityState;
  readonly outcome?: Outcome;
  /** Case-sensitive substring of cwd, worktree_path_observed or worktree_realpath. */
  readonly cwd?: string;
  /** Equals branch_current or branch_at_start. */
  readonly branch?: string;
  readonly task?: string;
  readonly project?: string;
  readonly alias?: string;
  /** Only sessions whose last progress is at or after this ISO time. */
  readonly since?: string;
  /** Case-insensitive substring over label, prompt, branch, cwd, tasks, projects. */
  readonly text?: string;
  /** The coding agent (`claude` matches records without `agent`). */
  readonly agent?: string;
  /** Max rows (default 50); `null` means no limit. */
  readonly limit?: number | null;
  readonly sort?: FindSort;
}

/** How a session reference was resolved. */
export type ReferenceKind = 'stable_id' | 'prefix' | 'alias' | 'claude_session_id';

/** Result of `getSession`. */
export type GetSessionResult =
  | { readonly ok: true; readonly session: SessionRecord; readonly matchedBy: ReferenceKind }
  | { readonly ok: false; readonly error: OperationError };

/** One node of a session tree. */
export interface TreeNode {
  readonly session: SessionRecord;
  /** Kind of the edge from this node to its parent (null for the root or an unknown kind). */
  readonly edgeKind: ParentKind | null;
  readonly children: readonly TreeNode[];
  /** Set when the walk stopped here: revisited node or depth limit. */
  readonly truncated?: 'circular' | 'max-depth';
}

/** Result of `sessionTree`. */
export interface SessionTree {
  /** Ancestors, nearest first (empty unless requested); `edgeKind` is each ancestor's own edge to its parent. */
  readonly ancestors: readonly {
    readonly session: SessionRecord;
    readonly edgeKind: ParentKind | null;
  }[];
  readonly root: TreeNode;
}

/** Counters returned by `stats`. */
export interface StoreStats {
  readonly sessions: number;
  readonly events: number;
  readonly byState: Readonly<Record<string, number>>;
  readonly byOutcome: Readonly<Record<string, number>>;
  readonly lastEventAt: string | null;
  readonly lastEventId: string | null;
  readonly logBytes: number;
  /** Log bytes not yet applied to the index (0 when caught up). */
  readonly lagBytes: number;
  /** Corrupt log lines skipped by the live index (see `doctor`). */
  readonly logIssues: readonly LogCorruption[];
}

/** Titles harvested from a transcript; written as `ai_title_seen` / `custom_title_seen` when changed. */
export interface HarvestedTitles {
  readonly aiTitle?: string | null;
  readonly customTitle?: string | null;
  readonly sourceTranscript?: string | null;
}

/** Inputs of `recordSessionSeen`. */
export interface SessionSeenInput {
  readonly facts: IdentityFacts;
  /** Payload fields gathered by the caller (git, transcript, preview, fingerprints, cwd, source...). */
  readonly payload: SessionSeenPayload;
  readonly titles?: HarvestedTitles;
}

/** Inputs of `recordSessionEnd`. */
export interface SessionEndInput {
  readonly facts: IdentityFacts;
  readonly payload: SessionEndPayload;
  /** Payload for a `session_seen` written first when the Claude session id is unknown. */
  readonly seenPayload?: SessionSeenPayload;
  readonly titles?: HarvestedTitles;
}

export type { Projection };

/** Tasks and/or projects to link or unlink (a single string is a one-item list). */
export interface LinkTargets {
  readonly tasks?: readonly string[] | string;
  readonly projects?: readonly string[] | string;
}

/** Extra fields of a link/unlink result: the normalized lists that were written. */
export interface LinkResult {
  readonly stable_id: string;
  readonly tasks: readonly string[];
  readonly projects: readonly string[];
}

/** One planned or applied sweep transition (docs/on-disk-format.md#activity-states-sweep). */
export interface SweepTransition {
  readonly stable_id: string;
  readonly from_state: string;
  readonly to_state: ActivityState;
  readonly effective_last_progress: string;
  readonly age_days: number;
}

/** Options of `runSweep`. */
export interface SweepOptions {
  readonly idleThresholdDays?: number;
  readonly archiveThresholdDays?: number;
  readonly dryRun?: boolean;
  /** Epoch ms (default: now). */
  readonly now?: number;
}

/** Result of `runSweep`. */
export type SweepResult =
  | {
      readonly ok: true;
      readonly dry_run: boolean;
      readonly transitions: readonly (SweepTransition & { readonly event_id?: string })[];
      readonly summary: {
        readonly total: number;
        readonly applied: number;
        readonly to_idle: number;
        readonly to_archived: number;
        readonly to_active: number;
      };
      /** The events are in the log but the index file could not take them: why (see writes). */
      readonly index_pending?: string;
    }
  | { readonly ok: false; readonly error: OperationError };

/** Progress callback of long operations (rebuild, import). */
export type ProgressListener = (progress: {
  readonly done: number;
  readonly total: number;
}) => void;

/** Result of `rebuild`. */
export type RebuildResult =
  | {
      readonly ok: true;
      readonly sessionCount: number;
      readonly eventCount: number;
      /** Tolerated corruptions (tail partial, repaired fragments). */
      readonly toleratedCorruptions: number;
      readonly corruptions: readonly LogCorruption[];
      /** Events skipped because they were not usable events (no op / stable_id). */
      readonly skippedEvents: number;
      readonly projectionPath: string | null;
    }
  | {
      readonly ok: false;
      readonly error: OperationError & { readonly corruptions?: readonly LogCorruption[] };
    };

/** One event of a session's timeline (from the log, via the index of offsets). */
export interface TimelineEntry {
  readonly ts: string;
  readonly event_id: string;
  readonly op: string;
  readonly payload: Readonly<Record<string, unknown>>;
}

/** Health facts for `doctor`. */
export interface StoreHealth {
  readonly logExists: boolean;
  readonly logBytes: number;
  readonly indexExists: boolean;
  readonly appliedOffset: number;
  readonly lagBytes: number;
  readonly schemaVersion: number;
  readonly sessions: number;
  readonly events: number;
  readonly lastEventAt: string | null;
  readonly logIssues: readonly LogCorruption[];
  /** The original's lockfile, if present: its content and whether its owner looks alive. */
  readonly legacyLock: {
    readonly path: string;
    readonly content: string;
    readonly stale: boolean;
  } | null;
  /** True when another process holds the SQLite write lock right now. */
  readonly writeLocked: boolean;
  /** Set when this open found the index unreadable, moved it aside and rebuilt it. */
  readonly indexRecovery: IndexRecovery | null;
  /**
   * Set when this open could not use the index file and works on an in-memory index folded from
   * the log (always when the file cannot be written — read-only, disk full —, and for any other
   * unusable index with `memoryIndexFallback`): why. The file was left untouched.
   */
  readonly indexFallback: string | null;
}

/** An unreadable index that was moved aside (never deleted) and rebuilt from the log. */
export interface IndexRecovery {
  /** Where the old index file is now. */
  readonly movedTo: string;
  /** Why it was moved: what SQLite said about it, or that the log no longer matches it. */
  readonly reason: string;
}

/**
 * An open store. Every write is one SQLite transaction that appends to the log and folds the
 * event(s) into the index; every read is an indexed query. Methods are synchronous (better-sqlite3)
 * except those that stream files.
 */
export interface SessionsStore {
  /** Paths of this store (`null` for a memory store). */
  readonly paths: StorePaths | null;
  /**
   * Set when opening moved the index file aside and rebuilt it from the log (unreadable, or the
   * log was emptied or replaced): where it went and why. Callers should tell the user.
   */
  readonly indexRecovery: IndexRecovery | null;
  /**
   * Set when opening could not use the index file and folded the log into an in-memory index
   * instead (`memoryIndexFallback`, or an index that cannot be written): why. The same as
   * `health().indexFallback`, without the cost of `health()`.
   */
  readonly indexFallback: string | null;

  recordSessionSeen(input: SessionSeenInput, options?: RecordOptions): RecordResult;
  recordSessionEnd(input: SessionEndInput, options?: RecordOptions): RecordResult;
  /**
   * Record many sessions in ONE write transaction, each record a list of steps (`seen`, `end`)
   * decided exactly as the single calls would decide them one after another; a failed step ends
   * its record only. Returns, per record recorded, the results of its steps (the last one failed
   * when a step failed); with `maxHoldMs` only a prefix of `records` (at least one).
   */
  recordSessions(
    records: readonly (readonly RecordStep[])[],
    options?: RecordBatchOptions,
  ): RecordResult[][];
  /**
   * Read the heads of recent sessions of one Claude project that were recorded without them, and
   * record what they learn (docs/identity.md#late-facts). The hook calls it with time to spare.
   */
  catchUpHeads(options: CatchUpHeadsOptions): Promise<CatchUpHeadsResult>;

  setAlias(
    ref: string,
    alias: string | null,
    options?: WriteOptions,
  ): OperationResult<{ readonly stable_id: string }>;
  setParent(
    childRef: string,
    parentRef: string | null,
    options?: WriteOptions & { readonly kind?: ParentKind },
  ): OperationResult<{ readonly stable_id: string; readonly parent_id: string | null }>;
  closeSession(
    ref: string,
    close: { readonly outcome: string; readonly reason?: string | null },
    options?: WriteOptions,
  ): OperationResult<{ readonly stable_id: string }>;
  reopenSession(
    ref: string,
    options?: WriteOptions & { readonly reason?: string },
  ): OperationResult<{ readonly stable_id: string }>;
  linkSession(ref: string, links: LinkTargets, options?: WriteOptions): OperationResult<LinkResult>;
  unlinkSession(
    ref: string,
    links: LinkTargets,
    options?: WriteOptions,
  ): OperationResult<LinkResult>;
  addParentCandidates(
    ref: string,
    candidateRefs: readonly string[],
    options?: WriteOptions,
  ): OperationResult<{ readonly stable_id: string }>;
  recordAiTitle(
    ref: string,
    title: string | null,
    options?: WriteOptions & { readonly sourceTranscript?: string },
  ): OperationResult<{ readonly stable_id: string }>;
  recordCustomTitle(
    ref: string,
    title: string | null,
    options?: WriteOptions & { readonly sourceTranscript?: string },
  ): OperationResult<{ readonly stable_id: string }>;

  findSessions(query?: FindQuery): SessionRecord[];
  getSession(ref: string): GetSessionResult;
  sessionTree(
    ref: string,
    options?: { readonly ancestors?: boolean; readonly maxDepth?: number },
  ):
    | { readonly ok: true; readonly tree: SessionTree }
    | { readonly ok: false; readonly error: OperationError };
  sessionTimeline(stableId: string, options?: { readonly limit?: number }): TimelineEntry[];
  /** Whether a Claude session id is already recorded (used by import to report "already known"). */
  hasClaudeSession(claudeSessionId: string): boolean;
  stats(): StoreStats;
  health(): StoreHealth;

  runSweep(options?: SweepOptions): SweepResult;
  rebuild(options?: {
    readonly onProgress?: ProgressListener;
    readonly writeProjectionJson?: boolean;
  }): Promise<RebuildResult>;
  /** Write the original's `sessions-db.json` text to a file (atomically) or a stream. */
  exportProjection(
    target: string | NodeJS.WritableStream,
  ): Promise<{ readonly sessionCount: number }>;
  /** Apply log lines the index has not seen yet; returns how many events were applied. */
  catchUp(): number;
  close(): void;
}

/** Injectable clock and id sources (tests pin them; production uses the real ones). */
export interface StoreClock {
  /** Epoch ms. */
  readonly now: () => number;
  readonly newSessionId: () => string;
  readonly newEventId: () => string;
  /**
   * The id of a new session from its Claude session id (the system clock derives it, so every
   * writer of one new session agrees); a clock without it mints with `newSessionId`.
   */
  readonly sessionIdForClaudeSession?: (claudeSessionId: string) => string;
}

/**
 * Named points of the write path, reported to an optional observer (crash tests kill the process
 * at each of them to prove a writer can die anywhere without losing an appended event).
 */
export type WritePoint = 'locked' | 'caught-up' | 'appended' | 'applied' | 'committed';

/** Options of `catchUpHeads`. */
export interface CatchUpHeadsOptions {
  /** The Claude project directory (`<claude home>/projects/<dir>`) whose sessions are caught up. */
  readonly projectDir: string;
  /** A Claude session id left alone (the hook's own session: its own record reads its head). */
  readonly except?: string | null;
  /** Absolute deadline on the monotonic clock (`performance.now()` ms); nothing starts after it. */
  readonly deadline: number;
  /** false → no first-prompt preview is stored (fingerprints still are). */
  readonly storePreview?: boolean;
  /** Epoch ms of now (default: the store's clock). */
  readonly now?: number;
  /** Sessions examined (default 16, `CATCH_UP_RECENT`). */
  readonly recent?: number;
  /** Sessions filled at most (default 2, `CATCH_UP_MAX_FILLS`). */
  readonly maxFills?: number;
}

/** What a catch-up did. */
export interface CatchUpHeadsResult {
  /** Sessions that lacked their head and were looked for in the project directory. */
  readonly examined: number;
  /** Stable ids of the sessions that got their head (and possibly a late parent). */
  readonly filled: readonly string[];
}
