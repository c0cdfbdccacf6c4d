import type { Paint, Style } from './colors.js';
import { displayWidth, padEndTo, truncateEnd, truncateStart } from './text-width.js';

/** A run of text in a cell, with an optional style applied after truncation. */
export interface Segment {
  readonly text: string;
  readonly style?: Style;
}

/** A cell: plain text, or segments (the first is the one cut when the column shrinks). */
export type Cell = string | readonly Segment[];

/** How a column's cells are cut when the table is too wide. */
export type TruncateMode = 'end' | 'start';

/** One column of a table. */
export interface Column {
  readonly header: string;
  readonly cells: readonly Cell[];
  /** Cut mode when the column has to shrink; absent: the column never shrinks. */
  readonly truncate?: TruncateMode;
  /** The column never shrinks below this many columns (default: the header width). */
  readonly minWidth?: number;
  /** Shrinking first stops here for every column, then goes on down to `minWidth` (default `minWidth`). */
  readonly comfortWidth?: number;
  /** Cells wider than this are always cut (before any fitting to the terminal). */
  readonly maxWidth?: number;
  /** Lower shrinks first, down to `comfortWidth`, when the table is too wide (default 0). */
  readonly shrinkOrder?: number;
  /** Lower shrinks first below `comfortWidth`, down to `minWidth` (default `shrinkOrder`). */
  readonly squeezeOrder?: number;
  /** Set: the column is left out (lowest first) when the table cannot fit even at minimum widths. */
  readonly dropOrder?: number;
}

/** Options of {@link renderTable}. */
export interface RenderTableOptions {
  readonly paint: Paint;
  /** Total width to fit in (terminal columns); `undefined`: no limit. */
  readonly maxWidth?: number | undefined;
  /** Spaces between columns (default 2). */
  readonly gap?: number;
  /**
   * Only these body rows are drawn (`count` rows from `start`, as far as there are rows): the
   * columns are still as wide as every row needs, so a window scrolled over a long table lines
   * up with the whole table. Absent: every row.
   */
  readonly window?: { readonly start: number; readonly count: number };
}

function segmentsOf(cell: Cell): readonly Segment[] {
  return typeof cell === 'string' ? [{ text: cell }] : cell;
}

function cellWidth(cell: Cell): number {
  return segmentsOf(cell).reduce((sum, part) => sum + displayWidth(part.text), 0);
}

/** Fit a cell into `width` columns: cut its first segment, keep the others while they fit. */
function fitCell(cell: Cell, width: number, mode: TruncateMode | undefined): string {
  const parts = segmentsOf(cell);
  const [head, ...rest] = parts;
  if (head === undefined) return '';
  const paint = (part: Segment, text: string): string =>
    part.style && text !== '' ? part.style(text) : text;
  if (cellWidth(cell) <= width || mode === undefined) {
    return parts.map((part) => paint(part, part.text)).join('');
  }
  const restWidth = rest.reduce((sum, part) => sum + displayWidth(part.text), 0);
  const keepRest = width - restWidth >= 4;
  const headWidth = keepRest ? width - restWidth : width;
  const cut =
    mode === 'start' ? truncateStart(head.text, headWidth) : truncateEnd(head.text, headWidth);
  const tail = keepRest ? rest.map((part) => paint(part, part.text)).join('') : '';
  return paint(head, cut) + tail;
}

/** Column widths fitted into `maxWidth` as far as shrinking allows; `excess` is what is left over. */
function fitWidths(
  columns: readonly Column[],
  gap: number,
  maxWidth: number | undefined,
): { widths: number[]; excess: number } {
  const widths = columns.map((column) => {
    const natural = Math.max(displayWidth(column.header), ...column.cells.map(cellWidth));
    return column.maxWidth === undefined
      ? natural
      : Math.min(natural, Math.max(column.maxWidth, displayWidth(column.header)));
  });
  if (maxWidth === undefined) return { widths, excess: 0 };
  let excess = widths.reduce((a, b) => a + b, 0) + gap * Math.max(columns.length - 1, 0) - maxWidth;
  const shrinkable = columns
    .map((column, index) => ({ column, index }))
    .filter(({ column }) => column.truncate !== undefined);
  const byOrder = (key: (column: Column) => number) =>
    [...shrinkable].sort((a, b) => key(a.column) - key(b.column) || a.index - b.index);
  const floorOf = (column: Column): number =>
    Math.max(column.minWidth ?? 0, displayWidth(column.header));
  // First every shrinkable column down to its comfortable width, then down to its minimum.
  const passes = [
    {
      order: byOrder((c) => c.shrinkOrder ?? 0),
      floor: (c: Column) => Math.max(c.comfortWidth ?? 0, floorOf(c)),
    },
    { order: byOrder((c) => c.squeezeOrder ?? c.shrinkOrder ?? 0), floor: floorOf },
  ];
  for (const pass of passes) {
    for (const { column, index } of pass.order) {
      if (excess <= 0) break;
      const current = widths[index] ?? 0;
      const give = Math.min(excess, Math.max(current - pass.floor(column), 0));
      widths[index] = current - give;
      excess -= give;
    }
  }
  return { widths, excess };
}

/**
 * Columns separated by `gap` spaces, header first (bold when colour is on), trailing spaces
 * trimmed. Widths are measured without escape codes; when the table is wider than `maxWidth`,
 * shrinkable columns give up width (down to their comfortable, then their minimum width) and
 * their cells are cut with `…`; when that is not enough, droppable columns are left out.
 * `options.window` draws only some of the rows (the header and the widths stay those of all).
 */
export function renderTable(columns: readonly Column[], options: RenderTableOptions): string[] {
  const gap = options.gap ?? 2;
  const { widths, excess } = fitWidths(columns, gap, options.maxWidth);
  if (excess > 0) {
    const droppable = columns
      .filter((column) => column.dropOrder !== undefined)
      .sort((a, b) => (a.dropOrder ?? 0) - (b.dropOrder ?? 0));
    const drop = droppable[0];
    if (drop !== undefined)
      return renderTable(
        columns.filter((column) => column !== drop),
        options,
      );
  }
  const rowCount = Math.max(0, ...columns.map((column) => column.cells.length));
  const first = Math.max(options.window?.start ?? 0, 0);
  const end = Math.min(
    rowCount,
    options.window ? first + Math.max(options.window.count, 0) : rowCount,
  );
  const separator = ' '.repeat(gap);
  const line = (cells: string[]): string =>
    cells
      .map((text, index) =>
        index === cells.length - 1 ? text : padEndTo(text, widths[index] ?? 0),
      )
      .join(separator)
      .trimEnd();
  const lines = [
    options.paint.bold(
      line(columns.map((column, index) => padEndTo(column.header, widths[index] ?? 0))).trimEnd(),
    ),
  ];
  for (let row = first; row < end; row += 1) {
    lines.push(
      line(
        columns.map((column, index) =>
          fitCell(
            column.cells[row] ?? '',
            widths[index] ?? 0,
            column.truncate ?? (column.maxWidth === undefined ? undefined : 'end'),
          ),
        ),
      ),
    );
  }
  return lines;
}
