// The key of one hook event: the same payload delivered to two handlers (a settings hook and the
// plugin both installed) gives the same key, so the store records the event once.
import { sha256HexOfText } from '@sessions-db/identity';

/** JSON with object keys sorted at every level, so equal values give equal text. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/**
 * The key of a hook event: `hk1:` + the first 32 hex digits of SHA-256 over the canonical JSON of
 * Claude Code's whole payload (session id, event, source or reason, prompt id, transcript path and
 * every other field). Null when there was no JSON payload (nothing to tell two deliveries apart).
 */
export function hookEventKey(payload: unknown): string | null {
  if (payload === null || typeof payload !== 'object' || Array.isArray(payload)) return null;
  const digest = sha256HexOfText(canonicalJson(payload));
  return `hk1:${digest.slice(0, 32)}`;
}
