import { pickLabel } from '@sessions-db/projection';
import type { LabelSource, SessionRecord } from '@sessions-db/projection';
import type { Paint } from './colors.js';
import type { Segment } from './table.js';
import { toOneLine } from './text-width.js';

/** The tag shown after a label, by where the label came from (an alias has none). */
export const LABEL_TAGS: Readonly<Record<LabelSource, string>> = Object.freeze({
  alias: '',
  custom_title: 'title',
  ai_title: 'ai',
  first_prompt: 'preview',
});

/** Human names of label sources (`show`). */
export const LABEL_SOURCE_NAMES: Readonly<Record<LabelSource, string>> = Object.freeze({
  alias: 'alias',
  custom_title: 'custom title',
  ai_title: 'AI title',
  first_prompt: 'first prompt',
});

/** A session's display label on one line, and where it came from. */
export interface DisplayLabel {
  readonly text: string | null;
  readonly source: LabelSource | null;
}

/** The label rule alias → custom title → AI title → first prompt, flattened to one line. */
export function displayLabel(record: Partial<SessionRecord>): DisplayLabel {
  const picked = pickLabel(record);
  const text = picked.label === null ? null : toOneLine(picked.label);
  return text === null || text === ''
    ? { text: null, source: null }
    : { text, source: picked.source };
}

/** The label as table segments: the text, then its dim ` [tag]`; `-` when there is none. */
export function labelSegments(record: Partial<SessionRecord>, paint: Paint): Segment[] {
  const label = displayLabel(record);
  if (label.text === null || label.source === null) return [{ text: '-' }];
  const tag = LABEL_TAGS[label.source];
  return tag === ''
    ? [{ text: label.text }]
    : [{ text: label.text }, { text: ` [${tag}]`, style: paint.dim }];
}

/** The first 22 characters of a stable id (`sess_xxxxxxxx-xxxx-xxx`), `<invalid>` for a non-string. */
export function shortId(id: unknown): string {
  return typeof id === 'string' ? id.slice(0, 22) : '<invalid>';
}
