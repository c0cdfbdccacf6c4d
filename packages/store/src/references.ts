import type { SessionRecord } from '@sessions-db/projection';

import { MAX_REFERENCE_LENGTH } from './limits.js';
import type { StoreCore } from './store-core.js';
import type { GetSessionResult } from './types.js';

/** How many candidates an ambiguous-reference error lists. */
const MAX_LISTED_CANDIDATES = 10;

/** Shortest prefix accepted (shorter references only match exactly). */
const MIN_PREFIX_LENGTH = 4;

/**
 * Resolve a session reference: full stable id, Claude session id, alias, or a unique prefix of
 * a stable id (with or without `sess_`) or of a Claude session id — in that order of precedence.
 * Two or more sessions for the same reference is an `AMBIGUOUS_REFERENCE` error listing them.
 */
export function resolveReference(core: StoreCore, ref: string): GetSessionResult {
  const reference = ref.trim();
  if (reference.length === 0) {
    return {
      ok: false,
      error: { code: 'INVALID_ARGUMENT', message: 'a session reference is required' },
    };
  }
  if (reference.length > MAX_REFERENCE_LENGTH) {
    return {
      ok: false,
      error: {
        code: 'INVALID_ARGUMENT',
        message: `a session reference is at most ${MAX_REFERENCE_LENGTH} characters (this one has ${reference.length})`,
      },
    };
  }
  const exact = core.index.getRecord(reference);
  if (exact !== undefined) return { ok: true, session: exact, matchedBy: 'stable_id' };

  const csidHit = pickOne(
    core,
    reference,
    core.reads.stableIdsByClaudeId(reference),
    'claude_session_id',
  );
  if (csidHit !== undefined) return csidHit;

  const aliasHit = pickOne(core, reference, core.reads.stableIdsByAlias(reference), 'alias');
  if (aliasHit !== undefined) return aliasHit;

  if (reference.length >= MIN_PREFIX_LENGTH) {
    const ids = core.reads.stableIdsByPrefix(reference, MAX_LISTED_CANDIDATES + 1);
    const prefixHit = pickOne(core, reference, ids, 'prefix');
    if (prefixHit !== undefined) return prefixHit;
  }
  return { ok: false, error: { code: 'NOT_FOUND', message: `stable_id not found: ${reference}` } };
}

function pickOne(
  core: StoreCore,
  reference: string,
  ids: readonly string[],
  kind: 'claude_session_id' | 'alias' | 'prefix',
): GetSessionResult | undefined {
  if (ids.length === 0) return undefined;
  const records = ids
    .slice(0, MAX_LISTED_CANDIDATES)
    .map((id) => core.index.getRecord(id))
    .filter((r): r is SessionRecord => r !== undefined);
  if (ids.length === 1 && records[0] !== undefined) {
    return { ok: true, session: records[0], matchedBy: kind };
  }
  const listed = records.map((r) => r.stable_id);
  const more = ids.length > MAX_LISTED_CANDIDATES ? ' (and more)' : '';
  return {
    ok: false,
    error: {
      code: 'AMBIGUOUS_REFERENCE',
      message: `${describeKind(kind)} "${reference}" matches ${ids.length > MAX_LISTED_CANDIDATES ? 'more than ' + MAX_LISTED_CANDIDATES : ids.length} sessions: ${listed.join(', ')}${more}`,
      details: {
        candidates: records.map((r) => ({
          stable_id: r.stable_id,
          alias: r.alias,
          last_progress_at: r.last_progress_at,
        })),
      },
    },
  };
}

function describeKind(kind: 'claude_session_id' | 'alias' | 'prefix'): string {
  switch (kind) {
    case 'claude_session_id':
      return 'Claude session id';
    case 'alias':
      return 'alias';
    case 'prefix':
      return 'prefix';
  }
}
