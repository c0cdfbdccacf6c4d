// The stable id of a session first recorded by a hook: derived from its Claude session id, so two
// writers that cannot see each other (one appending unindexed while the other holds the lock, or
// both unindexed) mint the same id for the same new session (docs/hook.md#busy-store).
import { SESSION_ID_PREFIX } from '@sessions-db/event-log';
import { sha256OfText } from '@sessions-db/identity';

/** Domain of the hash, so the ids never collide with another use of the same input. */
const MINT_DOMAIN = 'sessions-db/stable-id-of-claude-session/v1\n';

/**
 * The stable id derived from a Claude session id: `sess_` + a UUIDv8 (RFC 9562 §5.8) whose bits are
 * the first 122 bits of SHA-256 over a fixed domain and `claudeSessionId`. Same input, same id, on
 * every machine and in every process.
 */
export function stableIdForClaudeSession(claudeSessionId: string): string {
  const bytes = sha256OfText(MINT_DOMAIN + claudeSessionId).slice(0, 16);
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x80; // version 8
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80; // RFC 9562 variant
  const hex = Buffer.from(bytes).toString('hex');
  return `${SESSION_ID_PREFIX}${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
