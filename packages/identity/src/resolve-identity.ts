/**
 * `resolveIdentity`: which logical session does a Claude Code session id belong to (docs/identity.md)?
 *
 * Tiers, in order, the first decision wins:
 * 1. exact claude session id (`claude_session_id_index`, `exact`);
 * 2. transcript lineage (`transcript_lineage`, `high`): same session, or a fork child;
 * 3. clear pairing (`clear_pairing`, `high`): a `/clear` child of the session that just ended;
 * 4. fingerprint + corroborators (`fingerprint_corroborator`, `low`), the original's rules plus
 *    our prompt-only rule;
 * 5. mint (`minted`, `minted`).
 * A tie between two equally good candidates in any tier is ambiguous: mint, list them as
 * candidates. No false merge is the first rule.
 */
import {
  classifyCorroborators,
  collectCorroborators,
  meetsThreshold,
  type CorroboratorCounts,
} from './corroborators.js';
import { copiesAreForks } from './client-version.js';
import { IdentityInputError } from './errors.js';
import { FINGERPRINT_NAMES, firstHumanPromptV1, type FingerprintName } from './fingerprints.js';
import type {
  ClearEndCandidate,
  IdentityCandidate,
  IdentityIndex,
  LineageCandidate,
} from './identity-index.js';
import {
  buildLineageQuery,
  rankLineage,
  sameLineageRank,
  type LineageEvidence,
} from './lineage.js';
import { capParentCandidates, type ParentCandidateRow } from './parent-candidates.js';
import { assessFirstPrompt } from './prompt-specificity.js';
import type {
  AmbiguousMatched,
  CorroboratorMap,
  FingerprintMatched,
  IdentityFacts,
  IdentityResult,
  ParentCandidateEntry,
  ResolveIdentityOptions,
} from './types.js';

/** Default fingerprint time window, hours (docs/identity.md). */
export const DEFAULT_TIME_WINDOW_HOURS = 72;

/** Default minimum corroborators for a fingerprint merge (docs/identity.md). */
export const DEFAULT_MIN_CORROBORATORS = 2;

/** Default window in which a clear `session_end` pairs with a clear start, ms. */
export const DEFAULT_CLEAR_WINDOW_MS = 15_000;

const HOUR_MS = 3_600_000;

/** Priorities of candidate rows (lower first): tied rows of an ambiguity, the rest, hints. */
const PRIORITY_TIED = 0;
const PRIORITY_OTHER = 1;
const PRIORITY_HINT = 2;

interface Settings {
  readonly windowMs: number;
  readonly minCorroborators: number;
  readonly clearWindowMs: number;
  readonly mint: () => string;
}

function isNonEmptyString(value: unknown): value is string {
  return typeof value === 'string' && value !== '';
}

function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Distinct by stable id (first row kept), sorted by stable id: order-independent input. */
function uniqueById<T extends IdentityCandidate>(rows: readonly T[]): T[] {
  const byId = new Map<string, T>();
  for (const row of rows) if (!byId.has(row.stable_id)) byId.set(row.stable_id, row);
  return [...byId.values()].sort((a, b) => compareIds(a.stable_id, b.stable_id));
}

function parseMs(iso: string | null): number {
  return typeof iso === 'string' ? Date.parse(iso) : NaN;
}

function readSettings(options: ResolveIdentityOptions): Settings {
  if (typeof options !== 'object' || options === null) {
    throw new IdentityInputError('options', 'an object with mintStableId', options);
  }
  const { mintStableId, timeWindowHours, minCorroborators, clearWindowMs } = options;
  if (typeof mintStableId !== 'function') {
    throw new IdentityInputError('mintStableId', 'a function', mintStableId);
  }
  const hours =
    typeof timeWindowHours === 'number' && timeWindowHours >= 0
      ? timeWindowHours
      : DEFAULT_TIME_WINDOW_HOURS;
  return {
    windowMs: hours * HOUR_MS,
    minCorroborators:
      typeof minCorroborators === 'number' ? minCorroborators : DEFAULT_MIN_CORROBORATORS,
    clearWindowMs:
      typeof clearWindowMs === 'number' && clearWindowMs >= 0
        ? clearWindowMs
        : DEFAULT_CLEAR_WINDOW_MS,
    mint: () => {
      const id: unknown = mintStableId();
      if (!isNonEmptyString(id)) {
        throw new IdentityInputError('mintStableId()', 'a non-empty string', id);
      }
      return id;
    },
  };
}

function validateFacts(facts: IdentityFacts): void {
  if (typeof facts !== 'object' || facts === null) {
    throw new IdentityInputError('facts', 'an object', facts);
  }
  if (!isNonEmptyString(facts.claudeSessionId)) {
    throw new IdentityInputError('claudeSessionId', 'a non-empty string', facts.claudeSessionId);
  }
  if (typeof facts.now !== 'number' || !Number.isFinite(facts.now)) {
    throw new IdentityInputError('now', 'a finite number of epoch milliseconds', facts.now);
  }
}

/** A minted result; `rows` become the capped parent candidates. */
function minted(
  settings: Settings,
  matched: IdentityResult['matched'],
  rows: readonly ParentCandidateRow[],
): IdentityResult {
  const { candidates, omittedCount } = capParentCandidates(rows);
  return {
    stableId: settings.mint(),
    source: 'minted',
    confidence: 'minted',
    matched,
    parentCandidates: candidates,
    parentCandidatesOmittedCount: omittedCount,
    minted: true,
  };
}

function row(
  candidate: ParentCandidateEntry,
  session: IdentityCandidate,
  priority: number,
  strong = 0,
): ParentCandidateRow {
  return {
    candidate,
    strong_corroborator_count: strong,
    last_progress_at: session.last_progress_at,
    priority,
  };
}

function lineageRow(evidence: LineageEvidence, priority: number): ParentCandidateRow {
  return row(
    {
      stable_id: evidence.candidate.stable_id,
      source: 'transcript_lineage',
      confidence: 'high',
      reason: { uuid: evidence.uuid, role: evidence.role },
    },
    evidence.candidate,
    priority,
  );
}

// ---------------------------------------------------------------------------------------------
// Tier 1 — exact claude session id

function resolveExact(
  facts: IdentityFacts,
  index: IdentityIndex,
  settings: Settings,
): IdentityResult | null {
  const csid = facts.claudeSessionId;
  const hits = uniqueById(index.findByClaudeSessionId(csid));
  const [only] = hits;
  if (only === undefined) return null;
  if (hits.length === 1) {
    return {
      stableId: only.stable_id,
      source: 'claude_session_id_index',
      confidence: 'exact',
      matched: { claude_session_id: csid },
      parentCandidates: [],
      parentCandidatesOmittedCount: 0,
      minted: false,
    };
  }
  const matched: AmbiguousMatched = {
    ambiguous: true,
    ambiguous_count: hits.length,
    tier: 'claude_session_id_index',
    claude_session_id: csid,
  };
  const rows = hits.map((hit) =>
    row(
      {
        stable_id: hit.stable_id,
        source: 'claude_session_id_index',
        confidence: 'exact',
        reason: { claude_session_id: csid },
      },
      hit,
      PRIORITY_TIED,
    ),
  );
  return minted(settings, matched, rows);
}

// ---------------------------------------------------------------------------------------------
// Tier 2 — transcript lineage

interface LineageOutcome {
  readonly result: IdentityResult | null;
  /** Head-only sessions (shared ancestor): hints carried into a later tier's candidates. */
  readonly hints: ParentCandidateRow[];
}

function forkChild(
  settings: Settings,
  parentId: string,
  matched: IdentityResult['matched'],
): IdentityResult {
  return {
    stableId: settings.mint(),
    source: 'transcript_lineage',
    confidence: 'high',
    matched,
    parent: { stableId: parentId, kind: 'fork' },
    parentCandidates: [],
    parentCandidatesOmittedCount: 0,
    minted: true,
  };
}

function resolveForkMarker(
  index: IdentityIndex,
  settings: Settings,
  originCsid: string,
): IdentityResult | null {
  const origins = uniqueById(index.findByClaudeSessionId(originCsid));
  const [only] = origins;
  if (only === undefined) return null;
  if (origins.length === 1) {
    return forkChild(settings, only.stable_id, {
      evidence: 'forked_from',
      relation: 'fork',
      matched_stable_id: only.stable_id,
      candidates_considered: 1,
      forked_from_session_id: originCsid,
    });
  }
  const rows = origins.map((origin) =>
    row(
      {
        stable_id: origin.stable_id,
        source: 'transcript_lineage',
        confidence: 'high',
        reason: { forked_from_session_id: originCsid },
      },
      origin,
      PRIORITY_TIED,
    ),
  );
  return minted(
    settings,
    {
      ambiguous: true,
      ambiguous_count: origins.length,
      tier: 'transcript_lineage',
      forked_from_session_id: originCsid,
    },
    rows,
  );
}

function resolveLineage(
  facts: IdentityFacts,
  index: IdentityIndex,
  settings: Settings,
  fork: boolean,
  originCsid: string | null,
): LineageOutcome {
  if (originCsid !== null) {
    const byMarker = resolveForkMarker(index, settings, originCsid);
    if (byMarker !== null) return { result: byMarker, hints: [] };
  }
  const query = buildLineageQuery(facts);
  if (query.uuids.length === 0) return { result: null, hints: [] };
  const hits: readonly LineageCandidate[] = index.findByTranscriptUuids(query.uuids);
  const ranked = rankLineage(hits, query);
  const eligible = ranked.filter((evidence) => evidence.eligible);
  const hints = ranked
    .filter((evidence) => !evidence.eligible)
    .map((evidence) => lineageRow(evidence, PRIORITY_HINT));
  const [best, second] = eligible;
  if (best === undefined) return { result: null, hints };

  if (second !== undefined && sameLineageRank(best, second)) {
    const tied = eligible.filter((evidence) => sameLineageRank(evidence, best));
    const rows = [
      ...tied.map((evidence) => lineageRow(evidence, PRIORITY_TIED)),
      ...eligible
        .filter((evidence) => !sameLineageRank(evidence, best))
        .map((evidence) => lineageRow(evidence, PRIORITY_OTHER)),
      ...hints,
    ];
    const matched: AmbiguousMatched = {
      ambiguous: true,
      ambiguous_count: tied.length,
      tier: 'transcript_lineage',
      uuid: best.uuid,
      role: best.role,
    };
    return { result: minted(settings, matched, rows), hints: [] };
  }

  const matched = {
    evidence: 'uuid' as const,
    relation: fork ? ('fork' as const) : ('same_session' as const),
    matched_stable_id: best.candidate.stable_id,
    candidates_considered: ranked.length,
    uuid: best.uuid,
    role: best.role,
    ...(originCsid === null ? {} : { forked_from_session_id: originCsid }),
  };
  if (fork) return { result: forkChild(settings, best.candidate.stable_id, matched), hints: [] };
  return {
    result: {
      stableId: best.candidate.stable_id,
      source: 'transcript_lineage',
      confidence: 'high',
      matched,
      parentCandidates: [],
      parentCandidatesOmittedCount: 0,
      minted: false,
    },
    hints: [],
  };
}

// ---------------------------------------------------------------------------------------------
// Tier 3 — clear pairing

function resolveClear(
  facts: IdentityFacts,
  index: IdentityIndex,
  settings: Settings,
): IdentityResult | null {
  const pid = facts.claudePid;
  const hookEvent = facts.hookEvent ?? 'SessionStart';
  if (
    facts.source !== 'clear' ||
    hookEvent !== 'SessionStart' ||
    typeof pid !== 'number' ||
    !Number.isInteger(pid) ||
    pid <= 0
  ) {
    return null;
  }
  const since = facts.now - settings.clearWindowMs;
  const ends = uniqueById(index.findRecentClearEnds(pid, since)).filter((end) => {
    const endedMs = parseMs(end.ended_at);
    return end.claude_pid === pid && endedMs >= since && endedMs <= facts.now;
  });
  // One Claude process runs one session at a time: a clear end followed, in the same process, by
  // the creation of another candidate session was already paired with that session (or one
  // before it). Only ends after which no candidate was created are still open.
  const open = ends.filter(
    (end) =>
      !ends.some((other) => other !== end && parseMs(other.created_at) >= parseMs(end.ended_at)),
  );
  const [only] = open;
  if (only === undefined) return null;
  if (open.length === 1) {
    return {
      stableId: settings.mint(),
      source: 'clear_pairing',
      confidence: 'high',
      matched: {
        claude_pid: pid,
        ended_at: only.ended_at,
        matched_stable_id: only.stable_id,
        candidates_considered: ends.length,
      },
      parent: { stableId: only.stable_id, kind: 'clear' },
      parentCandidates: [],
      parentCandidatesOmittedCount: 0,
      minted: true,
    };
  }
  const clearRow = (end: ClearEndCandidate, priority: number): ParentCandidateRow =>
    row(
      {
        stable_id: end.stable_id,
        source: 'clear_pairing',
        confidence: 'high',
        reason: { claude_pid: pid, ended_at: end.ended_at },
      },
      end,
      priority,
    );
  const rows = [
    ...open.map((end) => clearRow(end, PRIORITY_TIED)),
    ...ends.filter((end) => !open.includes(end)).map((end) => clearRow(end, PRIORITY_OTHER)),
  ];
  return minted(
    settings,
    { ambiguous: true, ambiguous_count: open.length, tier: 'clear_pairing', claude_pid: pid },
    rows,
  );
}

// ---------------------------------------------------------------------------------------------
// Tier 4 — fingerprint + corroborators

interface FingerprintRow {
  readonly candidate: IdentityCandidate;
  readonly names: FingerprintName[];
  readonly corroborators: CorroboratorMap;
  readonly counts: CorroboratorCounts;
  readonly accepted: boolean;
  /** The original would have accepted it; our prompt-only rule refused. */
  readonly refusedPromptOnly: boolean;
}

function incomingFingerprints(facts: IdentityFacts): Partial<Record<FingerprintName, string>> {
  const out: Partial<Record<FingerprintName, string>> = {};
  for (const name of FINGERPRINT_NAMES) {
    const value = facts.fingerprints?.[name];
    if (isNonEmptyString(value)) out[name] = value;
  }
  return out;
}

/**
 * A prompt-only match may merge only when the prompt text is known, is the text the incoming
 * fingerprint was computed from, and is specific (see `assessFirstPrompt`).
 */
function promptAllowsMerge(facts: IdentityFacts, fingerprint: string | undefined): boolean {
  if (fingerprint === undefined) return false;
  if (firstHumanPromptV1(facts.firstPrompt) !== fingerprint) return false;
  return assessFirstPrompt(facts.firstPrompt).specific;
}

function fingerprintRows(
  facts: IdentityFacts,
  index: IdentityIndex,
  settings: Settings,
  mergeAllowed: boolean,
): FingerprintRow[] {
  const incoming = incomingFingerprints(facts);
  const found: IdentityCandidate[] = [];
  for (const name of FINGERPRINT_NAMES) {
    const value = incoming[name];
    if (value !== undefined) found.push(...index.findByFingerprint(name, value));
  }
  const specificPrompt = promptAllowsMerge(facts, incoming.first_human_prompt_v1);
  const rows: FingerprintRow[] = [];
  for (const candidate of uniqueById(found)) {
    const names = FINGERPRINT_NAMES.filter(
      (name) => incoming[name] !== undefined && candidate.fingerprints[name] === incoming[name],
    );
    if (names.length === 0) continue;
    const corroborators = collectCorroborators(facts, candidate, settings.windowMs);
    const counts = classifyCorroborators(corroborators);
    const original = mergeAllowed && meetsThreshold(counts, settings.minCorroborators);
    const promptOnly = !names.includes('lineage_prefix_v1');
    const accepted = original && (!promptOnly || (specificPrompt && counts.strong === 2));
    rows.push({
      candidate,
      names,
      corroborators,
      counts,
      accepted,
      refusedPromptOnly: original && !accepted,
    });
  }
  return rows;
}

function fingerprintRow(fp: FingerprintRow, priority: number): ParentCandidateRow {
  return row(
    {
      stable_id: fp.candidate.stable_id,
      source: 'fingerprint',
      confidence: 'low',
      reason: {
        fingerprints_matched: fp.names,
        corroborator_count: fp.counts.total,
        strong_corroborator_count: fp.counts.strong,
        weak_corroborator_count: fp.counts.weak,
        ...(fp.refusedPromptOnly ? { rejected: 'prompt_only' as const } : {}),
      },
    },
    fp.candidate,
    priority,
    fp.counts.strong,
  );
}

/** Tiers 4 and 5: fingerprint acceptance, else mint with every match as a candidate. */
function resolveFingerprintOrMint(
  facts: IdentityFacts,
  index: IdentityIndex,
  settings: Settings,
  mergeAllowed: boolean,
  hints: readonly ParentCandidateRow[],
): IdentityResult {
  const rows = fingerprintRows(facts, index, settings, mergeAllowed);
  const above = rows.filter((fp) => fp.accepted);
  const below = rows.filter((fp) => !fp.accepted);
  const refused = rows.filter((fp) => fp.refusedPromptOnly).length;
  const refusedAudit = refused > 0 ? { prompt_only_rejected: refused } : {};
  const [accepted] = above;

  if (accepted !== undefined && above.length === 1) {
    const { candidates, omittedCount } = capParentCandidates([
      ...below.map((fp) => fingerprintRow(fp, PRIORITY_OTHER)),
      ...hints.filter((hint) => hint.candidate.stable_id !== accepted.candidate.stable_id),
    ]);
    const matched: FingerprintMatched = {
      fingerprints_matched: accepted.names,
      corroborators: accepted.corroborators,
      corroborator_count: accepted.counts.total,
      strong_corroborator_count: accepted.counts.strong,
      ...(accepted.names.includes('lineage_prefix_v1') ? {} : { prompt_only: true as const }),
      ...refusedAudit,
    };
    return {
      stableId: accepted.candidate.stable_id,
      source: 'fingerprint_corroborator',
      confidence: 'low',
      matched,
      parentCandidates: candidates,
      parentCandidatesOmittedCount: omittedCount,
      minted: false,
    };
  }
  if (above.length >= 2) {
    return minted(settings, { ambiguous: true, ambiguous_count: above.length }, [
      ...above.map((fp) => fingerprintRow(fp, PRIORITY_TIED)),
      ...below.map((fp) => fingerprintRow(fp, PRIORITY_OTHER)),
      ...hints,
    ]);
  }
  return minted(settings, refusedAudit, [
    ...below.map((fp) => fingerprintRow(fp, PRIORITY_OTHER)),
    ...hints,
  ]);
}

// ---------------------------------------------------------------------------------------------

/**
 * Decide which logical session the incoming Claude session belongs to (docs/identity.md). Pure: reads
 * only `facts` and `index`; `mintStableId` is called exactly once when (and only when) the result
 * is minted (`minted: true`: a new session, a fork or clear child, or an ambiguity).
 * @throws {IdentityInputError} when `claudeSessionId` is not a non-empty string, `now` is not a
 * finite number, `mintStableId` is not a function, or it returns no non-empty string.
 */
export function resolveIdentity(
  facts: IdentityFacts,
  index: IdentityIndex,
  options: ResolveIdentityOptions,
): IdentityResult {
  validateFacts(facts);
  const settings = readSettings(options);

  const exact = resolveExact(facts, index, settings);
  if (exact !== null) return exact;

  const marker = facts.forkedFrom;
  const originCsid =
    marker !== null &&
    marker !== undefined &&
    isNonEmptyString(marker.sessionId) &&
    marker.sessionId !== facts.claudeSessionId
      ? marker.sessionId
      : null;
  const fork = facts.source === 'fork' || originCsid !== null;
  // A new id sharing uuids with a known session: a legacy copy-resume only when the copied rows
  // predate same-id resume (1.0.124); from then on only a fork copies history.
  const lineageFork = fork || copiesAreForks(facts.transcriptVersion);

  const lineage = resolveLineage(facts, index, settings, lineageFork, originCsid);
  if (lineage.result !== null) return lineage.result;

  const clear = resolveClear(facts, index, settings);
  if (clear !== null) return clear;

  // A fork or a clear is by definition a new logical session, and `startup` is Claude's own word
  // that the session is new: fingerprints only add hints.
  const mergeAllowed = !fork && facts.source !== 'clear' && facts.source !== 'startup';
  return resolveFingerprintOrMint(facts, index, settings, mergeAllowed, lineage.hints);
}
