/** Tier 1 of `resolveIdentity`: the exact Claude session id (docs/identity.md#the-tiers). */
import type { IdentityIndex } from './identity-index.js';
import { ambiguousMint, matchedResult } from './resolve-result.js';
import { uniqueById, type Settings } from './resolve-settings.js';
import type { IdentityFacts, IdentityResult } from './types.js';

/** The session holding the Claude session id; two holders are ambiguous (mint); none: null. */
export function resolveExact(
  facts: IdentityFacts,
  index: IdentityIndex,
  settings: Settings,
): IdentityResult | null {
  const csid = facts.claudeSessionId;
  const hits = uniqueById(index.findByClaudeSessionId(csid));
  const [only] = hits;
  if (only === undefined) return null;
  if (hits.length === 1) {
    return matchedResult(only.stable_id, 'claude_session_id_index', 'exact', {
      claude_session_id: csid,
    });
  }
  return ambiguousMint(settings, hits, 'claude_session_id_index', { claude_session_id: csid });
}
