import type { IdentityIndex } from './identity-index.js';
import { resolveIdentity } from './resolve-identity.js';
import type { IdentityFacts, StructuralParent } from './types.js';

/** The stable id a late resolution never mints for real (the result is only read for its parent). */
const NOT_MINTED = 'sess_late-parent-probe';

/**
 * The fork parent a session's transcript reveals after the session was recorded without one
 * (docs/identity.md#late-facts). Current Claude Code runs SessionStart `fork` before the fork's
 * file exists, so the fork is minted with nothing to link it; once the file can be read (at
 * SessionEnd), its copied rows are the evidence the start lacked. The facts are resolved as a new
 * session would be, against the index without `self` (its own rows would match its own copy):
 * only an edge by on-disk evidence counts: a fork by transcript lineage (a `forkedFrom` marker, or
 * shared uuids whose copied rows come from a client that copies only on fork), or a clear by the
 * pre-clear id post-`/clear` rows carry in `session_id`. Fingerprints and clear pairing by process
 * never give a late parent, and a late resolution never merges the session into another. Pure.
 *
 * @returns the parent to record with a `parent_set` of its kind (`fork` or `clear`), or null.
 */
export function resolveLateParent(
  facts: IdentityFacts,
  index: IdentityIndex,
  self: { readonly stableId: string },
): StructuralParent | null {
  const others = <T extends { readonly stable_id: string }>(rows: readonly T[]): T[] =>
    rows.filter((row) => row.stable_id !== self.stableId);
  const withoutSelf: IdentityIndex = {
    findByClaudeSessionId: (csid) => others(index.findByClaudeSessionId(csid)),
    findByTranscriptUuids: (uuids) => others(index.findByTranscriptUuids(uuids)),
    findByFingerprint: () => [],
    findRecentClearEnds: () => [],
  };
  // Resolved as the start it should have been: not a startup, not a clear.
  const result = resolveIdentity({ ...facts, source: null }, withoutSelf, {
    mintStableId: () => NOT_MINTED,
  });
  // Clear ends are not looked up here, so a clear parent can only come from the pre-clear id the
  // transcript's rows carry (`facts.clearedFrom`): on-disk evidence, like a fork's copied rows.
  if (!result.minted || result.parent === undefined) return null;
  if (result.parent.stableId === self.stableId) return null;
  return result.parent;
}
