/**
 * Inputs and outputs of {@link resolveIdentity}: the facts a hook or an import observed, and the
 * decision with its compact audit trail.
 */
import type { FingerprintName } from './fingerprints.js';
import type { LineageRole } from './identity-index.js';

/** The hook event that produced the facts (`import` when `sessions-db import` read a transcript). */
export type IdentityHookEvent = 'SessionStart' | 'SessionEnd' | 'import';

/**
 * The SessionStart `source` of the hook payload (`import` for an import). A SessionEnd has no
 * source: its `reason` (e.g. `clear`) describes the session that ends, so pass no `source` then.
 */
export type IdentityStartSource = 'startup' | 'resume' | 'clear' | 'compact' | 'fork' | 'import';

/** The `forkedFrom` marker of a forked transcript (`--fork-session`, `/branch`). */
export interface ForkMarker {
  /** Claude session id of the origin. */
  readonly sessionId: string;
  /** The origin message the fork was taken at, when known. */
  readonly messageUuid?: string | null;
}

/** Fingerprints observed for the incoming transcript (docs/identity.md). */
export type FactFingerprints = Readonly<Partial<Record<FingerprintName, string | null>>>;

/**
 * Everything known about an incoming Claude Code session. Only `claudeSessionId` and `now` are
 * required; every other signal may be absent (`undefined` or `null` both mean "not observed").
 * Uuid lists are in file order; callers bound their length (the resolver also caps them, see
 * `MAX_FACT_UUIDS_PER_LIST`).
 */
export interface IdentityFacts {
  /** The Claude Code `session_id` (non-empty). */
  readonly claudeSessionId: string;
  /** Current time, epoch milliseconds (passed in: the core never reads a clock). */
  readonly now: number;
  readonly hookEvent?: IdentityHookEvent | null;
  readonly source?: IdentityStartSource | null;
  /** Pid of the Claude Code process running the session (clear pairing). */
  readonly claudePid?: number | null;
  readonly cwd?: string | null;
  /** Git facts: real path of the worktree root, and the current branch. */
  readonly worktreeRealpath?: string | null;
  readonly branch?: string | null;
  /** Transcript facts. */
  readonly firstUuid?: string | null;
  /** `parentUuid` of the first uuid-bearing record. */
  readonly firstParentUuid?: string | null;
  readonly lastUuid?: string | null;
  /** The first uuids of the file, in order. */
  readonly headUuids?: readonly string[] | null;
  /** The last uuids of the file, in order (ending with `lastUuid`). */
  readonly tailUuids?: readonly string[] | null;
  /** `logicalParentUuid` of each `compact_boundary` record, in order. */
  readonly compactBoundaries?: readonly string[] | null;
  /** `leafUuid` of `summary` / `last-prompt` rows. */
  readonly leafUuids?: readonly string[] | null;
  readonly forkedFrom?: ForkMarker | null;
  /**
   * The Claude session id this session was `/clear`ed from: post-clear transcript rows carry the
   * pre-clear id in a snake_case `session_id` beside their own `sessionId` (until a compaction).
   */
  readonly clearedFrom?: string | null;
  /**
   * Claude Code `version` of the transcript's first records (for a copy: the copied rows). From
   * 1.0.124 on, Claude resumes under the same id, so a new id sharing uuids is a fork.
   */
  readonly transcriptVersion?: string | null;
  readonly fingerprints?: FactFingerprints | null;
  /**
   * The sanitized first prompt (the exact text `first_human_prompt_v1` was computed from). Used
   * only to judge whether a prompt-only fingerprint match may merge; never stored by identity.
   */
  readonly firstPrompt?: string | null;
}

/** The original's result sources, plus ours (`clear_pairing`). */
export type IdentitySource =
  | 'claude_session_id_index'
  | 'transcript_lineage'
  | 'fingerprint_corroborator'
  | 'minted'
  | 'clear_pairing';

/** The original's confidence values (`exact`, `high`, `low`, `minted`). */
export type IdentityConfidence = 'exact' | 'high' | 'low' | 'minted';

/** Kind of a structural parent edge decided by identity. */
export type StructuralParentKind = 'fork' | 'clear';

/** A structural parent decided by identity (fork lineage or clear pairing). */
export interface StructuralParent {
  readonly stableId: string;
  readonly kind: StructuralParentKind;
}

/** The four corroborators of a fingerprint match (docs/identity.md). */
export type CorroboratorMap = {
  same_cwd: boolean;
  same_worktree_realpath: boolean;
  same_branch_at_start: boolean;
  within_time_window: boolean;
};

/** Name of one corroborator. */
export type CorroboratorName = keyof CorroboratorMap;

/** Reason of a fingerprint candidate (docs/identity.md shape; `rejected` is ours). */
export type FingerprintCandidateReason = {
  fingerprints_matched: FingerprintName[];
  corroborator_count: number;
  strong_corroborator_count: number;
  weak_corroborator_count: number;
  /** Present when the original's threshold was met but our prompt-only rule refused the merge. */
  rejected?: 'prompt_only';
};

/** One parent candidate (a hint; never promoted to a parent automatically). */
export type ParentCandidateEntry =
  | {
      stable_id: string;
      source: 'fingerprint';
      confidence: 'low';
      reason: FingerprintCandidateReason;
    }
  | {
      stable_id: string;
      source: 'transcript_lineage';
      confidence: 'high';
      reason: { uuid: string; role: LineageRole };
    }
  | {
      stable_id: string;
      source: 'transcript_lineage';
      confidence: 'high';
      reason: { forked_from_session_id: string };
    }
  | {
      stable_id: string;
      source: 'clear_pairing';
      confidence: 'high';
      reason: { claude_pid: number; ended_at: string };
    }
  | {
      stable_id: string;
      source: 'clear_pairing';
      confidence: 'high';
      reason: { cleared_from_session_id: string };
    }
  | {
      stable_id: string;
      source: 'claude_session_id_index';
      confidence: 'exact';
      reason: { claude_session_id: string };
    };

/** `source` of a parent candidate (`fingerprint` is the original's value). */
export type ParentCandidateSource = ParentCandidateEntry['source'];

/** Tier 1 hit. */
export type ExactMatched = { claude_session_id: string };

/** Tier 2 hit: a shared transcript uuid, or a `forkedFrom` marker naming a known session. */
export type LineageMatched = {
  evidence: 'uuid' | 'forked_from';
  /** `same_session` (legacy resume) or `fork` (new stable id, parent = the matched session). */
  relation: 'same_session' | 'fork';
  matched_stable_id: string;
  /** Distinct sessions the lookup returned (all roles). */
  candidates_considered: number;
  /** The deciding uuid and its role in the matched session's transcript (`evidence: 'uuid'`). */
  uuid?: string;
  role?: LineageRole;
  /** The marker's session id (always with `evidence: 'forked_from'`; with `'uuid'` when it named no known session). */
  forked_from_session_id?: string;
};

/** Tier 3 hit: the clear end of the same Claude process, or the transcript's pre-clear id. */
export type ClearMatched =
  | {
      claude_pid: number;
      ended_at: string;
      matched_stable_id: string;
      /** Clear ends from that pid inside the window, before dropping already-paired ones. */
      candidates_considered: number;
    }
  | {
      evidence: 'cleared_from';
      /** The pre-clear Claude session id the transcript's rows carry in `session_id`. */
      cleared_from_session_id: string;
      matched_stable_id: string;
    };

/** Tier 4 accept (docs/identity.md shape; `prompt_only` and `prompt_only_rejected` are ours). */
export type FingerprintMatched = {
  fingerprints_matched: FingerprintName[];
  corroborators: CorroboratorMap;
  corroborator_count: number;
  strong_corroborator_count: number;
  /** The accepted match was on the first-prompt fingerprint alone (specific prompt rule met). */
  prompt_only?: true;
  /** Matches the original would have accepted that our prompt-only rule refused. */
  prompt_only_rejected?: number;
};

/** Two or more equally good matches in one tier: a new stable id was minted. */
export type AmbiguousMatched = {
  ambiguous: true;
  ambiguous_count: number;
  /** The tier that was ambiguous (absent for the original's fingerprint ambiguity). */
  tier?: 'claude_session_id_index' | 'transcript_lineage' | 'clear_pairing';
  claude_session_id?: string;
  uuid?: string;
  role?: LineageRole;
  forked_from_session_id?: string;
  cleared_from_session_id?: string;
  claude_pid?: number;
};

/** Nothing decided: minted (`{}` as in the original, or a count of refused prompt-only matches). */
export type MintedMatched = { prompt_only_rejected?: number };

/** The audit trail of a decision (small: no unbounded arrays). */
export type IdentityMatched =
  | ExactMatched
  | LineageMatched
  | ClearMatched
  | FingerprintMatched
  | AmbiguousMatched
  | MintedMatched;

/** Result of {@link resolveIdentity}. */
export interface IdentityResult {
  /** The stable id the incoming session belongs to (minted when `minted`). */
  stableId: string;
  source: IdentitySource;
  confidence: IdentityConfidence;
  matched: IdentityMatched;
  /** Structural parent (fork lineage or clear pairing); only on a minted child. */
  parent?: StructuralParent;
  /** Hints, capped at `MAX_PARENT_CANDIDATES`, in the order docs/identity.md sorts them. */
  parentCandidates: ParentCandidateEntry[];
  /** How many candidates the cap dropped. */
  parentCandidatesOmittedCount: number;
  /** `true` iff `mintStableId` was called and `stableId` is its value. */
  minted: boolean;
}

/** Options of {@link resolveIdentity}. */
export interface ResolveIdentityOptions {
  /** Mints a new stable id; called exactly once when the result is minted, never otherwise. */
  readonly mintStableId: () => string;
  /** Fingerprint time window, hours (default 72; negative or non-number → 72; 0 allowed). */
  readonly timeWindowHours?: number;
  /** Minimum corroborators for a fingerprint merge (default 2). */
  readonly minCorroborators?: number;
  /** How long before `now` a clear `session_end` may pair, ms (default 15000). */
  readonly clearWindowMs?: number;
}
