import type { PriceTable, TokenCounts, UsageRow } from '@sessions-db/content';
import type { SessionRecord } from '@sessions-db/projection';

import { displayLabel } from '../../format/session-label.js';
import { summarize } from '../../content/usage-data.js';
import type { ModelUsage } from '../../content/usage-data.js';

/** What `usage --by` groups by. */
export const USAGE_GROUPS = ['session', 'task', 'project', 'day', 'model'] as const;
/** One of {@link USAGE_GROUPS}. */
export type UsageGroup = (typeof USAGE_GROUPS)[number];

/** What a group's key is when the sessions have none (no task linked, no model named…). */
export const NO_KEY = '(none)';

/** One row of `usage` (the `--json` array element). */
export interface UsageReportRow {
  /** The session's stable id, the task or project name, the day or the model ('(none)': none). */
  readonly key: string;
  /** With `--by session`: the session's label. */
  readonly label?: string | null;
  /** Logical sessions with usage in this row. */
  readonly sessions: number;
  readonly responses: number;
  readonly tokens: TokenCounts;
  /** Dollars; null when a model of the row has no price. */
  readonly cost: number | null;
  readonly models: readonly ModelUsage[];
}

/** The rows of `usage` and their total (every response once, whatever the grouping). */
export interface UsageReport {
  readonly by: UsageGroup;
  readonly rows: readonly UsageReportRow[];
  readonly total: Omit<UsageReportRow, 'key' | 'label'>;
}

function keysOf(row: UsageRow, session: SessionRecord | undefined, by: UsageGroup): string[] {
  switch (by) {
    case 'session':
      return [row.stableId];
    case 'day':
      return [row.day === '' ? NO_KEY : row.day];
    case 'model':
      return [row.model === '' ? NO_KEY : row.model];
    case 'task':
      return session === undefined || session.tasks.length === 0 ? [NO_KEY] : session.tasks;
    case 'project':
      return session === undefined || session.projects.length === 0 ? [NO_KEY] : session.projects;
  }
}

/**
 * Group usage rows (already deduplicated per response) by `by`: a session linked to two tasks
 * counts toward both, so task and project rows can add up to more than the total; the total
 * counts every response once. Rows are sorted by cost, highest first (unknown cost last), days
 * by date.
 */
export function buildUsageReport(
  usage: readonly UsageRow[],
  sessions: ReadonlyMap<string, SessionRecord>,
  by: UsageGroup,
  prices: PriceTable,
): UsageReport {
  const groups = new Map<string, { rows: UsageRow[]; sessions: Set<string> }>();
  for (const row of usage) {
    for (const key of keysOf(row, sessions.get(row.stableId), by)) {
      const group = groups.get(key) ?? { rows: [], sessions: new Set<string>() };
      group.rows.push(row);
      group.sessions.add(row.stableId);
      groups.set(key, group);
    }
  }
  const rows: UsageReportRow[] = [...groups.entries()].map(([key, group]) => {
    const summary = summarize(group.rows, prices);
    const session = by === 'session' ? sessions.get(key) : undefined;
    return {
      key,
      ...(by === 'session'
        ? { label: session === undefined ? null : displayLabel(session).text }
        : {}),
      sessions: group.sessions.size,
      ...summary,
    };
  });
  rows.sort((a, b) =>
    by === 'day'
      ? a.key.localeCompare(b.key)
      : (b.cost ?? -1) - (a.cost ?? -1) ||
        b.tokens.output - a.tokens.output ||
        a.key.localeCompare(b.key),
  );
  const all = summarize(usage, prices);
  return {
    by,
    rows,
    total: { sessions: new Set(usage.map((row) => row.stableId)).size, ...all },
  };
}
