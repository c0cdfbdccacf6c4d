/** Whether `value` is a string with at least one character. */
export function isNonEmptyString(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0;
}

/** `value` when it is a non-empty string, else null (how optional text fields are indexed). */
export function nonEmptyOrNull(value: unknown): string | null {
  return isNonEmptyString(value) ? value : null;
}
