/**
 * Building blocks shared by several reducers. Internal.
 *
 * @packageDocumentation
 */
import type { Iso8601, SessionRecord, TranscriptFile } from '../types.js';
import { isNonEmptyString, isObjectLike } from '../internal/values.js';
import type { JsonObject } from '../internal/values.js';

/**
 * A reducer: applies one op's payload to a record, **mutating it in place** (as the original
 * does). `ts` is the event's `ts` when it is a string.
 */
export type Reducer = (record: SessionRecord, payload: JsonObject, ts: Iso8601 | undefined) => void;

/**
 * A writable, untyped view of a record. Reducers store payload values verbatim (as the original
 * does), so a field may hold a value its declared type does not describe.
 */
export function fieldsOf(record: SessionRecord): Record<string, unknown> {
  return record as unknown as Record<string, unknown>;
}

/** A+D: push `value` when it is a non-empty string not already in `list`. */
export function appendUnique(list: string[], value: unknown): void {
  if (isNonEmptyString(value) && !list.includes(value)) list.push(value);
}

/**
 * Upsert a transcript entry by `path` (docs/on-disk-format.md#folding-events-into-sessions): a new path pushes a shallow copy; an existing
 * path is replaced by a shallow merge where incoming keys overwrite. Ignored unless `value` is an
 * object.
 */
export function upsertTranscriptFile(record: SessionRecord, value: unknown): void {
  if (!isObjectLike(value)) return;
  const incoming = value as Partial<TranscriptFile>;
  const files = record.transcript_files;
  const index = files.findIndex((t) => isObjectLike(t) && t.path === incoming.path);
  if (index === -1) {
    files.push({ ...incoming } as TranscriptFile);
  } else {
    files[index] = { ...files[index], ...incoming } as TranscriptFile;
  }
}

/**
 * The title rule of `alias_set` / `ai_title_seen` / `custom_title_seen`: `null` clears, a
 * non-empty string sets, anything else is a no-op.
 */
export function applyTitle(record: SessionRecord, key: string, value: unknown): void {
  if (value === null || isNonEmptyString(value)) fieldsOf(record)[key] = value;
}

/** LWW for our title fields carried by `session_end`: a non-empty string sets, nothing clears. */
export function setTitleIfPresent(record: SessionRecord, key: string, value: unknown): void {
  if (isNonEmptyString(value)) fieldsOf(record)[key] = value;
}

/** Our `claude_pid` rule: a finite number sets (LWW). */
export function setPidIfNumeric(record: SessionRecord, value: unknown): void {
  if (typeof value === 'number' && Number.isFinite(value)) record.claude_pid = value;
}

/** The first non-empty string among `keys` of `value`, else null. */
export function firstNonEmptyString(value: JsonObject, ...keys: string[]): string | null {
  for (const key of keys) {
    const v = value[key];
    if (isNonEmptyString(v)) return v;
  }
  return null;
}

/** The first string (possibly empty) among `keys` of `value`, else null. */
export function firstString(value: JsonObject, ...keys: string[]): string | null {
  for (const key of keys) {
    const v = value[key];
    if (typeof v === 'string') return v;
  }
  return null;
}
