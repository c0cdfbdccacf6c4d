import { SESSION_ROW_BITS } from './content-schema.js';
import type { SearchOptions } from './search-content.js';

/**
 * The SQL condition that the row or chunk id `column` is of a logical session of `stableIds`
 * (its session is the id's high bits, see `SESSION_ROW_BITS`); it takes one parameter, the stable
 * ids as JSON.
 */
export function inSessionsOf(column: string): string {
  return `(${column} >> ${String(SESSION_ROW_BITS)}) IN (SELECT no FROM content_sessions
      WHERE stable_id IN (SELECT value FROM json_each(?)))`;
}

/**
 * The conditions `role` and `since` put on a matching row (`content_rows` joined as `r`), each
 * with its parameter; none when neither is given (then the rows need not be joined).
 */
export function rowConditions({ role, since }: Pick<SearchOptions, 'role' | 'since'>): {
  readonly conditions: readonly string[];
  readonly params: readonly unknown[];
} {
  const conditions: string[] = [];
  const params: unknown[] = [];
  if (role !== undefined) {
    conditions.push('r.role = ?');
    params.push(role);
  }
  if (since !== undefined) {
    conditions.push('r.ts >= ?');
    params.push(since);
  }
  return { conditions, params };
}
