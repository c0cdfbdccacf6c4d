/**
 * The budgets of docs/architecture.md#budgets, as numbers the harness compares its measurements with. They are
 * reported (PASS / MISS), never asserted.
 */

/** Hook, new or resumed session: at most this × `node -e 0`. */
export const HOOK_RATIO_BUDGET = 1.4;
/** Hook peak RSS, MB. */
export const HOOK_RSS_BUDGET_MB = 80;
/** Extra hook time with a 50 MB transcript instead of a 50 KB one, ms. */
export const TRANSCRIPT_DELTA_BUDGET_MS = 5;
/** Concurrent hooks that must all be recorded (the busy variants also run twice as many). */
export const CONCURRENT_WRITERS = 32;
/** CPU-bound processes beside the busy bursts (as many as the 2-core machine has cores). */
export const BUSY_HOGS = 2;
/** `find --limit 20`, `show`, `tree` at 100k: at most this × `node -e 0`. */
export const READ_RATIO_BUDGET = 1.5;
/** `rebuild` throughput, events per second. */
export const REBUILD_EVENTS_PER_S_BUDGET = 250_000;
/** `import` of the 1000-transcript history without archiving (`SESSIONS_DB_ARCHIVE=0`), transcripts per second (at least). */
export const IMPORT_TRANSCRIPTS_PER_S_BUDGET = 1000;
/** `rebuild` peak RSS, MB. */
export const REBUILD_RSS_BUDGET_MB = 300;

/** Outcome of one row (`INFO`: measured, no budget to judge against). */
export type Verdict = 'PASS' | 'MISS' | 'FAIL' | 'INFO';

/** PASS when `ok`, else MISS. */
export function verdictOf(ok: boolean): Verdict {
  return ok ? 'PASS' : 'MISS';
}

/** `import` with archiving and indexing, MB of transcript per second (at least). */
export const IMPORT_MB_PER_S_BUDGET = 50;
/** `search` end to end over 10k sessions / 2 GB: at most this × `node -e 0`. */
export const SEARCH_RATIO_BUDGET = 1.5;
/** The content index query itself, ms (at most). */
export const SEARCH_QUERY_MS_BUDGET = 30;
/** The archive on disk as a share of the transcripts' bytes (at most). */
export const ARCHIVE_SHARE_BUDGET = 0.15;

/** `browse`: its first screen on the terminal at 100k sessions, ms (at most). */
export const BROWSE_FIRST_SCREEN_MS_BUDGET = 300;
