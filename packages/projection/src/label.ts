/**
 * The display label of a session (docs/cli.md, extended with `custom_title` as upstream later did).
 *
 * @packageDocumentation
 */
import type { SessionRecord } from './types.js';
import { isNonEmptyString } from './internal/values.js';

/** Which field a label came from. */
export type LabelSource = 'alias' | 'custom_title' | 'ai_title' | 'first_prompt';

/** Result of {@link pickLabel}. */
export interface PickedLabel {
  readonly label: string | null;
  readonly source: LabelSource | null;
}

const LABEL_FIELDS: readonly (readonly [LabelSource, keyof SessionRecord])[] = [
  ['alias', 'alias'],
  ['custom_title', 'custom_title'],
  ['ai_title', 'ai_title'],
  ['first_prompt', 'first_prompt_preview'],
];

/**
 * The first non-empty string among `alias` → `custom_title` → `ai_title` →
 * `first_prompt_preview`, with the field it came from; `{ label: null, source: null }` when none.
 */
export function pickLabel(
  record: Partial<
    Pick<SessionRecord, 'alias' | 'custom_title' | 'ai_title' | 'first_prompt_preview'>
  >,
): PickedLabel {
  const fields = record as Partial<Record<keyof SessionRecord, unknown>>;
  for (const [source, key] of LABEL_FIELDS) {
    const value = fields[key];
    if (isNonEmptyString(value)) return { label: value, source };
  }
  return { label: null, source: null };
}
