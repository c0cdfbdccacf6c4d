/**
 * Tiers 4 and 5 of `resolveIdentity`: fingerprints with corroborators (the original's rules plus our
 * prompt-only rule, docs/identity.md#the-generic-prompt-rule), else mint with every match as a
 * parent candidate.
 */
import {
  classifyCorroborators,
  collectCorroborators,
  meetsThreshold,
  type CorroboratorCounts,
} from './corroborators.js';
import { FINGERPRINT_NAMES, firstHumanPromptV1, type FingerprintName } from './fingerprints.js';
import type { IdentityCandidate, IdentityIndex } from './identity-index.js';
import type { ParentCandidateRow } from './parent-candidates.js';
import { assessFirstPrompt } from './prompt-specificity.js';
import { matchedResult, minted, row } from './resolve-result.js';
import {
  PRIORITY_OTHER,
  PRIORITY_TIED,
  isNonEmptyString,
  uniqueById,
  type Settings,
} from './resolve-settings.js';
import type {
  CorroboratorMap,
  FingerprintMatched,
  IdentityFacts,
  IdentityResult,
} from './types.js';

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
  // Hashing and assessing the prompt is needed only for a prompt-only match (most transcripts
  // match nothing): decided on first use.
  let specific: boolean | undefined;
  const specificPrompt = (): boolean =>
    (specific ??= promptAllowsMerge(facts, incoming.first_human_prompt_v1));
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
    const accepted = original && (!promptOnly || (specificPrompt() && counts.strong === 2));
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
export function resolveFingerprintOrMint(
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
    const matched: FingerprintMatched = {
      fingerprints_matched: accepted.names,
      corroborators: accepted.corroborators,
      corroborator_count: accepted.counts.total,
      strong_corroborator_count: accepted.counts.strong,
      ...(accepted.names.includes('lineage_prefix_v1') ? {} : { prompt_only: true as const }),
      ...refusedAudit,
    };
    return matchedResult(accepted.candidate.stable_id, 'fingerprint_corroborator', 'low', matched, [
      ...below.map((fp) => fingerprintRow(fp, PRIORITY_OTHER)),
      ...hints.filter((hint) => hint.candidate.stable_id !== accepted.candidate.stable_id),
    ]);
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
