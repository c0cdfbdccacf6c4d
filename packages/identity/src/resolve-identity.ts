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
 * candidates. No false merge is the first rule. Each tier lives in its own module (`tier-*.ts`);
 * every result is built by `resolve-result.ts`.
 */
import { copiesAreForks } from './client-version.js';
import type { IdentityIndex } from './identity-index.js';
import { isNonEmptyString, readSettings, validateFacts } from './resolve-settings.js';
import { clearedFromOf, resolveClear } from './tier-clear.js';
import { resolveExact } from './tier-exact.js';
import { resolveFingerprintOrMint } from './tier-fingerprint.js';
import { resolveLineage } from './tier-lineage.js';
import type { IdentityFacts, IdentityResult, ResolveIdentityOptions } from './types.js';

export {
  DEFAULT_CLEAR_WINDOW_MS,
  DEFAULT_MIN_CORROBORATORS,
  DEFAULT_TIME_WINDOW_HOURS,
} from './resolve-settings.js';

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

  // A fork or a clear (by its source, or by the pre-clear id its rows carry) is by definition a
  // new logical session, and `startup` is Claude's own word that the session is new: fingerprints
  // only add hints.
  const cleared = facts.source === 'clear' || clearedFromOf(facts) !== null;
  const mergeAllowed = !fork && !cleared && facts.source !== 'startup';
  return resolveFingerprintOrMint(facts, index, settings, mergeAllowed, lineage.hints);
}
