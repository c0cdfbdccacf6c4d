import type { SessionRecord } from '@sessions-db/projection';
import type { Paint } from '../../format/colors.js';
import { relTime } from '../../format/rel-time.js';
import { safeTerminalOutput } from '../../format/safe-text.js';
import { stateStyle, styledCell } from '../../format/session-cells.js';
import { LABEL_SOURCE_NAMES, displayLabel, labelSegments } from '../../format/session-label.js';
import { renderTable } from '../../format/table.js';
import type { Segment } from '../../format/table.js';
import {
  clipStyledLine,
  displayWidth,
  padEndTo,
  toOneLine,
  truncateEnd,
  truncateStart,
} from '../../format/text-width.js';
import { NO_MATCH } from '../find/render-find.js';
import { highlightSnippet } from '../search/search-data.js';
import type { BrowseState } from './browse-model.js';

/** How the screen is drawn: the terminal's size, the clock and the colours. */
export interface BrowseView {
  readonly width: number;
  readonly height: number;
  /** Epoch ms the ages are measured from. */
  readonly now: number;
  readonly paint: Paint;
  /**
   * The rows are the first screenful of more still loading (the first frame, drawn before the
   * rest are queried): the title says `loading…` instead of a count.
   */
  readonly loading?: boolean;
}

/** Where each part of the screen goes, for a terminal of `height` rows. */
export interface BrowseLayout {
  /** Session rows the list shows. */
  readonly listHeight: number;
  /** Lines of the details pane under the list (its rule included); 0: no pane. */
  readonly paneHeight: number;
}

/** The key hints of the footer. */
export const FOOTER_KEYS: readonly (readonly [string, string])[] = [
  ['↑↓/jk', 'move'],
  ['Enter', 'resume'],
  ['/', 'filter'],
  ['t', 'tree'],
  ['o', 'open only'],
  ['a', 'alias'],
  ['c', 'close'],
  ['l', 'link'],
  ['?', 'help'],
  ['q', 'quit'],
];

/** The lines of the `?` screen. */
export const HELP_LINES: readonly string[] = [
  'Keys',
  '  ↑ ↓  j k       move the selection',
  '  PgUp PgDn      a page up or down',
  '  g G  Home End  first or last session',
  "  Enter          resume the session (its agent's own resume, in its directory)",
  '  /              filter: type to narrow the list by label, alias, task, project,',
  '                 branch, directory or first prompt; Enter keeps it, Esc clears it',
  '  t              tree: children indented under their parent, with the edge (fork, clear)',
  '  o              only the sessions still open (outcome open), or all again',
  '  a              set the alias of the session',
  '  c              close the session: type the outcome (done, merged, abandoned, …)',
  '  l              link the session to a task',
  '                 (in a prompt: Enter saves, Esc cancels)',
  '  ?              this help (any key closes it)',
  '  q  Esc         quit (Ctrl-C too)',
];

/** The rows of the list area, the pane and the fixed lines (title, table header, footer). */
export function browseLayout(height: number): BrowseLayout {
  const paneHeight = height >= 20 ? 8 : height >= 12 ? 5 : 0;
  return { listHeight: Math.max(height - 3 - paneHeight, 1), paneHeight };
}

/** A session's project: its linked projects, else the last part of its directory. */
function projectOf(session: SessionRecord): string {
  if (session.projects.length > 0) return toOneLine(session.projects.join(','));
  const dir = session.cwd ?? session.worktree_path_observed;
  if (typeof dir !== 'string' || dir === '') return '-';
  const parts = dir.split(/[\\/]/).filter((part) => part !== '');
  return toOneLine(parts[parts.length - 1] ?? dir);
}

function branchOf(session: SessionRecord): string {
  return toOneLine(session.branch_current ?? session.branch_at_start ?? '-');
}

/**
 * A row's label cell: in the tree, indented by depth with the edge to its parent (`└ fork`),
 * put in front of the label so that a cut shortens the label, never the tree.
 */
function treeLabel(session: SessionRecord, depth: number, paint: Paint): Segment[] {
  const label = labelSegments(session, paint);
  if (depth === 0) return label;
  const edge = `${'  '.repeat(depth - 1)}└ ${session.parent_kind ?? 'child'} `;
  const [first, ...rest] = label;
  return [
    { text: edge + (first?.text ?? ''), ...(first?.style ? { style: first.style } : {}) },
    ...rest,
  ];
}

/** The list: a table header and one row per shown session, the selected one marked. */
function listLines(state: BrowseState, view: BrowseView, height: number): string[] {
  const { paint } = view;
  const rows = state.rows;
  if (rows.length === 0) {
    const empty =
      state.loadedFilter.query === '' && !state.loadedFilter.openOnly
        ? '(no sessions yet: sessions-db import records your history)'
        : NO_MATCH;
    return ['', `  ${paint.dim(empty)}`];
  }
  const table = renderTable(
    [
      {
        header: 'session',
        cells: rows.map((s, i) => treeLabel(s, state.depths[i] ?? 0, paint)),
        truncate: 'end',
        maxWidth: 70,
        comfortWidth: 28,
        minWidth: 12,
        shrinkOrder: 0,
        squeezeOrder: 2,
      },
      { header: 'age', cells: rows.map((s) => relTime(s.last_progress_at, view.now)) },
      {
        header: 'state',
        cells: rows.map((s) => styledCell(s.activity_state, stateStyle(s.activity_state, paint))),
        dropOrder: 2,
      },
      {
        header: 'project',
        cells: rows.map(projectOf),
        truncate: 'end',
        maxWidth: 24,
        comfortWidth: 12,
        minWidth: 8,
        shrinkOrder: 1,
        squeezeOrder: 1,
        dropOrder: 0,
      },
      {
        header: 'branch',
        cells: rows.map(branchOf),
        truncate: 'end',
        maxWidth: 28,
        comfortWidth: 12,
        minWidth: 8,
        shrinkOrder: 2,
        squeezeOrder: 0,
        dropOrder: 1,
      },
    ],
    // Only the rows on screen are drawn; the columns are as wide as all the rows need, so they
    // stay put while the list scrolls.
    {
      paint,
      maxWidth: Math.max(view.width - 2, 10),
      window: { start: state.scroll, count: height },
    },
  );
  const [header = '', ...shown] = table;
  return [
    `  ${paint.dim(header)}`,
    ...shown.map((line, offset) => {
      const index = state.scroll + offset;
      return index === state.selected ? `${paint.cyan('›')} ${paint.bold(line)}` : `  ${line}`;
    }),
  ];
}

/** The details pane: a rule, then the selected session's facts, one per line. */
function paneLines(
  session: SessionRecord | null,
  snippets: ReadonlyMap<string, string>,
  view: BrowseView,
  height: number,
): string[] {
  const { paint, width } = view;
  const rule = paint.dim('─'.repeat(Math.max(width, 1)));
  if (session === null) return [rule];
  const label = displayLabel(session);
  const lines: string[] = [];
  const row = (key: string, value: string): void => {
    const head = `${padEndTo(key, 9)} `;
    lines.push(paint.dim(head) + truncateEnd(value, Math.max(width - head.length, 8)));
  };
  const title = truncateEnd(label.text ?? '(no label)', Math.max(width - 18, 8));
  const source = label.source === null ? '' : ` [${LABEL_SOURCE_NAMES[label.source]}]`;
  lines.push(paint.bold(title) + paint.dim(source));
  row('id', `${session.stable_id}${session.alias ? `  alias ${toOneLine(session.alias)}` : ''}`);
  row(
    'state',
    `${session.activity_state ?? '-'} / ${session.outcome ?? '-'}  · last progress ${relTime(session.last_progress_at, view.now)}`,
  );
  const dir = session.cwd ?? session.worktree_path_observed ?? '-';
  row('where', `${branchOf(session)}  ${truncateStart(toOneLine(dir), Math.max(width - 30, 8))}`);
  const links = [
    session.tasks.length > 0 ? `tasks ${session.tasks.join(', ')}` : '',
    session.projects.length > 0 ? `projects ${session.projects.join(', ')}` : '',
    session.parent_session_id
      ? `parent ${session.parent_session_id} (${session.parent_kind ?? 'manual'})`
      : '',
  ].filter((part) => part !== '');
  if (links.length > 0) row('links', toOneLine(links.join('  ')));
  const snippet = snippets.get(session.stable_id);
  if (snippet !== undefined) {
    // The match stays in view: cut around it, then marked as `search` marks it.
    const head = `${padEndTo('said', 9)} `;
    const room = Math.max(width - head.length, 8);
    lines.push(paint.dim(head) + highlightSnippet(truncateEnd(snippet, room), paint));
  }
  if (session.first_prompt_preview) row('prompt', toOneLine(session.first_prompt_preview));
  return [rule, ...lines.slice(0, height - 1)];
}

function footerLine(state: BrowseState, view: BrowseView): string {
  const { paint } = view;
  if (state.prompt !== null) {
    const session = state.rows[state.selected];
    const label = session === undefined ? '' : (displayLabel(session).text ?? session.stable_id);
    const question = `${state.prompt.kind} ${truncateEnd(label, 24)}: ${state.prompt.text}`;
    const hint = state.status ?? 'Enter saves, Esc cancels';
    return `${paint.bold(question)}${paint.cyan('▏')}  ${paint.dim(hint)}`;
  }
  if (state.status !== null) return paint.yellow(state.status);
  // As many hints as fit, in order; `? help` and `q quit` always.
  const hint = ([key, what]: readonly [string, string]): string => `${key} ${what}`;
  const always = FOOTER_KEYS.slice(-2);
  let room = view.width - displayWidth(always.map(hint).join('  '));
  const shown = FOOTER_KEYS.slice(0, -2).filter((entry) => {
    const width = displayWidth(hint(entry)) + 2;
    if (width > room) return false;
    room -= width;
    return true;
  });
  return [...shown, ...always]
    .map(([key, what]) => `${paint.bold(key)} ${paint.dim(what)}`)
    .join('  ');
}

function titleLine(state: BrowseState, view: BrowseView): string {
  const { paint } = view;
  const count =
    view.loading === true
      ? 'loading…'
      : `${state.rows.length} session${state.rows.length === 1 ? '' : 's'}`;
  const flags = [state.tree ? 'tree' : '', state.openOnly ? 'open only' : '']
    .filter((flag) => flag !== '')
    .map((flag) => `[${flag}]`)
    .join(' ');
  const head = `${paint.bold('sessions-db browse')}  ${paint.dim(count)}${flags === '' ? '' : `  ${paint.cyan(flags)}`}`;
  if (state.mode === 'filter') return `${head}  / ${state.query}${paint.cyan('▏')}`;
  if (state.query !== '') return `${head}  ${paint.dim('filter:')} ${state.query}`;
  return head;
}

/**
 * The browser's screen as exactly `view.height` lines: title with the
 * filter, the list, the details pane and the key footer, or the help. Every line is made safe for
 * the terminal (stored text cannot move the cursor or restyle the screen) and cut to the width.
 */
export function browseScreen(state: BrowseState, view: BrowseView): string[] {
  const layout = browseLayout(view.height);
  let body: string[];
  if (state.mode === 'help') {
    body = HELP_LINES.map((line, i) => (i === 0 ? view.paint.bold(line) : line)).slice(
      0,
      Math.max(view.height - 2, 1),
    );
  } else {
    const list = listLines(state, view, layout.listHeight);
    const filler = Array.from(
      { length: Math.max(layout.listHeight + 1 - list.length, 0) },
      () => '',
    );
    const pane =
      layout.paneHeight === 0
        ? []
        : paneLines(state.rows[state.selected] ?? null, state.snippets, view, layout.paneHeight);
    body = [...list, ...filler, ...pane];
  }
  const room = Math.max(view.height - 2, 0);
  const padded = [
    ...body.slice(0, room),
    ...Array.from({ length: room - Math.min(body.length, room) }, () => ''),
  ];
  const lines = [titleLine(state, view), ...padded, footerLine(state, view)].slice(
    0,
    Math.max(view.height, 1),
  );
  return lines.map((line) =>
    clipStyledLine(safeTerminalOutput(line, { colour: view.paint.enabled }), view.width),
  );
}
