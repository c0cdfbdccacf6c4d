import type { Paint, Style } from './colors.js';
import type { Segment } from './table.js';

/** The style of an activity state (active green, idle yellow, archived grey). */
export function stateStyle(state: unknown, paint: Paint): Style | undefined {
  if (state === 'active') return paint.green;
  if (state === 'idle') return paint.yellow;
  if (state === 'archived') return paint.gray;
  return undefined;
}

/** The style of an outcome (open cyan, done/merged green, blocked red). */
export function outcomeStyle(outcome: unknown, paint: Paint): Style | undefined {
  if (outcome === 'open') return paint.cyan;
  if (outcome === 'done' || outcome === 'merged') return paint.green;
  if (outcome === 'blocked') return paint.red;
  return undefined;
}

/** A string field as a coloured cell, `-` when missing. */
export function styledCell(value: unknown, style: Style | undefined): Segment[] {
  if (typeof value !== 'string' || value === '') return [{ text: '-' }];
  return style === undefined ? [{ text: value }] : [{ text: value, style }];
}
