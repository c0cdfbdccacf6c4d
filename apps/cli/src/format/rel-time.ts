const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/**
 * How long ago `iso` was, relative to `now` (epoch ms), in the buckets of docs/cli.md: `-` when
 * missing or unparsable, `in the future`, `just now` (< 5 s), `<s>s ago`, `<m>m ago`, `<h>h ago`,
 * `<d>d ago` (< 30 days), `<mo>mo ago` (months = floor(days / 30), up to 364 days), `<y>y ago`
 * from 365 days on (the original printed `0y ago` for days 360–364).
 */
export function relTime(iso: string | null | undefined, now: number): string {
  if (typeof iso !== 'string' || iso === '') return '-';
  const then = Date.parse(iso);
  if (!Number.isFinite(then)) return '-';
  const diff = now - then;
  if (diff < 0) return 'in the future';
  if (diff < 5 * SECOND) return 'just now';
  if (diff < MINUTE) return `${Math.floor(diff / SECOND)}s ago`;
  if (diff < HOUR) return `${Math.floor(diff / MINUTE)}m ago`;
  if (diff < DAY) return `${Math.floor(diff / HOUR)}h ago`;
  const days = Math.floor(diff / DAY);
  if (days < 30) return `${days}d ago`;
  if (days < 365) return `${Math.floor(days / 30)}mo ago`;
  return `${Math.floor(days / 365)}y ago`;
}
