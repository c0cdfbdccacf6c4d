import { usageError } from './cli-error.js';

const UNIT_MS: Readonly<Record<string, number>> = {
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 7 * 86_400_000,
};

/**
 * A `--since` value as an ISO time: a relative age (`90s`, `30m`, `12h`, `7d`, `2w`) counted back
 * from `now`, or any date `Date.parse` accepts (`2026-03-01`, `2026-03-01T09:00:00Z`).
 *
 * @throws CliError (exit 2) when the value is neither.
 */
export function parseSince(value: string, now: number, flag = '--since'): string {
  const relative = /^(\d+)\s*([smhdw])$/i.exec(value.trim());
  if (relative !== null) {
    const unit = UNIT_MS[(relative[2] ?? '').toLowerCase()] ?? 0;
    const at = now - Number(relative[1]) * unit;
    // Nothing was recorded before 1970; an age that reaches further back is a typo.
    if (at < 0) throw usageError(`${flag} ${value.trim()} reaches back before 1970`);
    return new Date(at).toISOString();
  }
  const parsed = Date.parse(value);
  if (value.trim() === '' || !Number.isFinite(parsed)) {
    throw usageError(
      `${flag} must be an ISO date or a relative age like 7d or 12h (got: ${value})`,
    );
  }
  return new Date(parsed).toISOString();
}
