import type { SessionRecord } from '@sessions-db/projection';
import type { Paint } from '../../format/colors.js';
import { relTime } from '../../format/rel-time.js';
import { outcomeStyle, stateStyle, styledCell } from '../../format/session-cells.js';
import { labelSegments, shortId } from '../../format/session-label.js';
import { renderTable } from '../../format/table.js';
import { toOneLine } from '../../format/text-width.js';
import { formatCost } from '../../format/usage-numbers.js';

/** How `find` renders. */
export interface FindView {
  readonly paint: Paint;
  /** Epoch ms the relative times are measured from. */
  readonly now: number;
  /** Terminal width to fit; `undefined`: the column caps only. */
  readonly columns: number | undefined;
  /**
   * With `--cost`: each session's cost (null: a model without a price; absent: no usage
   * indexed); a `cost` column is shown.
   */
  readonly costs?: ReadonlyMap<string, number | null>;
}

/** The message printed when no session matched. */
export const NO_MATCH = '(no sessions matched)';

function branchOf(session: SessionRecord): string {
  return session.branch_current ?? session.branch_at_start ?? '-';
}

function cwdOf(session: SessionRecord): string {
  return session.cwd ?? session.worktree_path_observed ?? '-';
}

/**
 * The `find` table (docs/cli.md): `stable_id` (22 chars), `label` (alias → custom title → AI
 * title → first prompt, with a dim source tag), `state`, `outcome`, `last_progress` (relative),
 * `branch` (≤ 32 columns), `cwd` (≤ 40 columns, cut at the start). Fits `columns` by cutting the
 * label, cwd and branch with `…`; on a narrow terminal cwd, then branch, are left out.
 */
export function renderFind(sessions: readonly SessionRecord[], view: FindView): string {
  if (sessions.length === 0) return NO_MATCH;
  const { paint } = view;
  return renderTable(
    [
      { header: 'stable_id', cells: sessions.map((s) => shortId(s.stable_id)) },
      {
        header: 'label',
        cells: sessions.map((s) => labelSegments(s, paint)),
        truncate: 'end',
        maxWidth: 60,
        comfortWidth: 28,
        minWidth: 12,
        shrinkOrder: 0,
        squeezeOrder: 2,
      },
      {
        header: 'state',
        cells: sessions.map((s) =>
          styledCell(s.activity_state, stateStyle(s.activity_state, paint)),
        ),
      },
      {
        header: 'outcome',
        cells: sessions.map((s) => styledCell(s.outcome, outcomeStyle(s.outcome, paint))),
      },
      ...(view.costs === undefined
        ? []
        : [
            {
              header: 'cost',
              cells: sessions.map((s) => {
                const cost = view.costs?.get(s.stable_id);
                return cost === undefined ? '-' : formatCost(cost);
              }),
            },
          ]),
      {
        header: 'last_progress',
        cells: sessions.map((s) => relTime(s.last_progress_at, view.now)),
      },
      {
        header: 'branch',
        cells: sessions.map((s) => toOneLine(branchOf(s))),
        truncate: 'end',
        maxWidth: 32,
        comfortWidth: 16,
        minWidth: 12,
        shrinkOrder: 2,
        squeezeOrder: 1,
        dropOrder: 1,
      },
      {
        header: 'cwd',
        cells: sessions.map((s) => toOneLine(cwdOf(s))),
        truncate: 'start',
        maxWidth: 40,
        comfortWidth: 20,
        minWidth: 12,
        shrinkOrder: 1,
        squeezeOrder: 0,
        dropOrder: 0,
      },
    ],
    { paint, maxWidth: view.columns },
  ).join('\n');
}
