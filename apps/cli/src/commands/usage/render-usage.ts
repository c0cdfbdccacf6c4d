import type { Paint } from '../../format/colors.js';
import { shortId } from '../../format/session-label.js';
import { renderTable } from '../../format/table.js';
import type { Cell } from '../../format/table.js';
import { formatCost, formatTokens } from '../../format/usage-numbers.js';
import type { UsageReport, UsageReportRow } from './usage-report.js';

/** How `usage` renders. */
export interface UsageView {
  readonly paint: Paint;
  /** Terminal width to fit; `undefined`: no limit. */
  readonly columns: number | undefined;
  /** Where the prices came from (one dim line under the table). */
  readonly pricesNote: string;
}

/** The message printed when no usage was found. */
export const NO_USAGE =
  '(no usage recorded: run `sessions-db import` to archive and index transcripts)';

/**
 * The `usage` table: the group's key (a session's short id and label), sessions, responses,
 * tokens by kind (input, output, cache writes, cache reads) and cost, then a total line that
 * counts every response once, and where the prices came from.
 */
export function renderUsage(report: UsageReport, view: UsageView): string {
  if (report.rows.length === 0) return NO_USAGE;
  const { paint } = view;
  const lines: UsageReportRow[] = [...report.rows];
  const total: UsageReportRow = { key: 'total', ...report.total };
  const all = [...lines, total];
  const isTotal = (i: number): boolean => i === lines.length;
  const keyCell = (row: UsageReportRow, i: number): Cell =>
    isTotal(i)
      ? [{ text: 'total', style: paint.bold }]
      : report.by === 'session'
        ? shortId(row.key)
        : row.key;
  const number = (pick: (row: UsageReportRow) => number) =>
    all.map((row) => formatTokens(pick(row)));
  const table = renderTable(
    [
      {
        header: report.by === 'session' ? 'stable_id' : report.by,
        cells: all.map(keyCell),
        truncate: 'end',
        maxWidth: 60,
        comfortWidth: 24,
        minWidth: 10,
      },
      ...(report.by === 'session'
        ? [
            {
              header: 'label',
              cells: all.map((row, i) => (isTotal(i) ? '' : (row.label ?? '-'))),
              truncate: 'end' as const,
              maxWidth: 48,
              comfortWidth: 20,
              minWidth: 8,
            },
          ]
        : [{ header: 'sessions', cells: number((r) => r.sessions) }]),
      { header: 'responses', cells: number((r) => r.responses), dropOrder: 1 },
      { header: 'input', cells: number((r) => r.tokens.input) },
      { header: 'output', cells: number((r) => r.tokens.output) },
      {
        header: 'cache write',
        cells: number((r) => r.tokens.cacheWrite5m + r.tokens.cacheWrite1h),
        dropOrder: 2,
      },
      { header: 'cache read', cells: number((r) => r.tokens.cacheRead), dropOrder: 3 },
      {
        header: 'cost',
        cells: all.map((row) =>
          row.cost === null ? [{ text: 'unknown', style: paint.dim }] : formatCost(row.cost),
        ),
      },
    ],
    { paint, maxWidth: view.columns },
  );
  return [...table, paint.dim(view.pricesNote)].join('\n');
}
