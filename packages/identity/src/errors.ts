/**
 * Errors thrown by the identity resolver at its edge (bad input from a caller). Expected outcomes
 * (ambiguity, no match) are values in the result, never errors.
 */

/** `resolveIdentity` was called with input it cannot work with; nothing was resolved. */
export class IdentityInputError extends TypeError {
  readonly code = 'IDENTITY_INPUT_INVALID';
  override readonly name = 'IdentityInputError';
  /** The offending field (`claudeSessionId`, `now`, `mintStableId`, …). */
  readonly field: string;

  constructor(field: string, expected: string, found: unknown) {
    super(`resolveIdentity: ${field} must be ${expected}, found ${describe(found)}`);
    this.field = field;
  }
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'string') return value === '' ? 'an empty string' : `"${value}"`;
  if (typeof value === 'function') return 'a function';
  if (typeof value === 'object') return Array.isArray(value) ? 'an array' : 'an object';
  return `${typeof value} ${String(value)}`;
}
