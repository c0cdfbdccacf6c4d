/**
 * Claude Code client versions that change what a transcript copy means (docs/identity.md).
 * Up to 1.0.123 `--resume` copied the history into a new file under a new id (a legacy resume:
 * the same logical session); from 1.0.124 on it appends to the same file under the same id, so
 * a new id whose file shares uuids with a known session is a fork.
 */

/** First Claude Code version that resumes under the same session id. */
export const SAME_ID_RESUME_VERSION: readonly [number, number, number] = [1, 0, 124];

/** `major.minor.patch` of a version string (`"2.1.332"`, `"1.0.124-beta"`), or `null`. */
export function parseClientVersion(value: unknown): [number, number, number] | null {
  if (typeof value !== 'string') return null;
  const match = /^(\d+)\.(\d+)\.(\d+)/.exec(value.trim());
  if (match === null) return null;
  return [Number(match[1]), Number(match[2]), Number(match[3])];
}

/**
 * Whether transcript rows written by this client version can only be shared with a new session
 * id by a fork (never by a legacy copy-resume). Unknown or unparsable versions: `false`.
 */
export function copiesAreForks(version: string | null | undefined): boolean {
  const parsed = parseClientVersion(version);
  if (parsed === null) return false;
  for (let i = 0; i < 3; i += 1) {
    const a = parsed[i] ?? 0;
    const b = SAME_ID_RESUME_VERSION[i] ?? 0;
    if (a !== b) return a > b;
  }
  return true;
}
