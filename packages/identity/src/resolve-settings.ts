/**
 * What every tier of `resolveIdentity` shares: its settings (windows, thresholds, the minter), the
 * checks of its input, and small helpers over candidates.
 */
import { IdentityInputError } from './errors.js';
import type { IdentityCandidate } from './identity-index.js';
import type { IdentityFacts, ResolveIdentityOptions } from './types.js';

/** Default fingerprint time window, hours (docs/identity.md). */
export const DEFAULT_TIME_WINDOW_HOURS = 72;

/** Default minimum corroborators for a fingerprint merge (docs/identity.md). */
export const DEFAULT_MIN_CORROBORATORS = 2;

/** Default window in which a clear `session_end` pairs with a clear start, ms. */
export const DEFAULT_CLEAR_WINDOW_MS = 15_000;

const HOUR_MS = 3_600_000;

/** Priorities of candidate rows (lower first): tied rows of an ambiguity, the rest, hints. */
export const PRIORITY_TIED = 0;
export const PRIORITY_OTHER = 1;
export const PRIORITY_HINT = 2;

/** The resolver's settings, read once from its options. */
export interface Settings {
  readonly windowMs: number;
  readonly minCorroborators: number;
  readonly clearWindowMs: number;
  readonly mint: () => string;
}

/** A string with at least one character. */
export function isNonEmptyString(value: unknown): value is string {
  return typeof value === 'string' && value !== '';
}

function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Distinct by stable id (first row kept), sorted by stable id: order-independent input. */
export function uniqueById<T extends IdentityCandidate>(rows: readonly T[]): T[] {
  const byId = new Map<string, T>();
  for (const row of rows) if (!byId.has(row.stable_id)) byId.set(row.stable_id, row);
  return [...byId.values()].sort((a, b) => compareIds(a.stable_id, b.stable_id));
}

/** Epoch ms of an ISO time, or NaN. */
export function parseMs(iso: string | null): number {
  return typeof iso === 'string' ? Date.parse(iso) : NaN;
}

/**
 * The settings from `options` (defaults for missing or invalid values).
 *
 * @throws IdentityInputError when `mintStableId` is not a function.
 */
export function readSettings(options: ResolveIdentityOptions): Settings {
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

/**
 * Check the facts every tier relies on.
 *
 * @throws IdentityInputError on a missing `claudeSessionId` or a non-finite `now`.
 */
export function validateFacts(facts: IdentityFacts): void {
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
