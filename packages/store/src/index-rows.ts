import { pickLabel } from '@sessions-db/projection';
import type { SessionRecord } from '@sessions-db/projection';
import { recordLineageKeys, type LineageRole } from '@sessions-db/identity';
import { isNonEmptyString, nonEmptyOrNull } from './values.js';

/** Columns of a `sessions` row derived from a record (queried without parsing the JSON). */
export interface SessionColumns {
  readonly alias: string | null;
  readonly activity_state: string | null;
  readonly outcome: string | null;
  readonly created_at: string | null;
  readonly last_progress_at: string | null;
  readonly parent_session_id: string | null;
  readonly branch_current: string | null;
  readonly branch_at_start: string | null;
  readonly cwd_text: string;
  readonly search_text: string;
  readonly claude_pid: number | null;
  readonly end_reason: string | null;
  readonly ended_at: string | null;
}

/** The derived columns, in table order (every key of {@link SessionColumns}). */
export const SESSION_COLUMN_NAMES = [
  'alias',
  'activity_state',
  'outcome',
  'created_at',
  'last_progress_at',
  'parent_session_id',
  'branch_current',
  'branch_at_start',
  'cwd_text',
  'search_text',
  'claude_pid',
  'end_reason',
  'ended_at',
] as const satisfies readonly (keyof SessionColumns)[];

/** Derive the indexed columns of a record. */
export function sessionColumns(record: SessionRecord): SessionColumns {
  const cwdParts = [record.cwd, record.worktree_path_observed, record.worktree_realpath].filter(
    isNonEmptyString,
  );
  const label = pickLabel(record).label;
  const searchParts = [
    label,
    record.alias,
    record.custom_title,
    record.ai_title,
    record.first_prompt_preview,
    record.branch_current,
    record.branch_at_start,
    ...cwdParts,
    ...(Array.isArray(record.tasks) ? record.tasks : []),
    ...(Array.isArray(record.projects) ? record.projects : []),
  ].filter(isNonEmptyString);
  const pid = record.claude_pid;
  return {
    alias: nonEmptyOrNull(record.alias),
    activity_state: nonEmptyOrNull(record.activity_state),
    outcome: nonEmptyOrNull(record.outcome),
    created_at: nonEmptyOrNull(record.created_at),
    last_progress_at: nonEmptyOrNull(record.last_progress_at),
    parent_session_id: nonEmptyOrNull(record.parent_session_id),
    branch_current: nonEmptyOrNull(record.branch_current),
    branch_at_start: nonEmptyOrNull(record.branch_at_start),
    cwd_text: cwdParts.join('\n'),
    search_text: searchParts.join('\n').toLowerCase(),
    claude_pid: typeof pid === 'number' && Number.isFinite(pid) ? pid : null,
    end_reason: nonEmptyOrNull(record.end_reason),
    ended_at: nonEmptyOrNull(record.ended_at),
  };
}

/** Role of a transcript uuid in the lineage index (identity's `LineageRole`). */
export type UuidRole = LineageRole;

/** Index keys of a record: what the identity lookups and link filters search by. */
export interface IndexKeys {
  readonly csids: ReadonlySet<string>;
  /** `uuid \0 role` */
  readonly uuids: ReadonlySet<string>;
  /** `name \0 value` */
  readonly fingerprints: ReadonlySet<string>;
  /** `kind \0 name` with kind `task` or `project` */
  readonly links: ReadonlySet<string>;
}

/** Separator of composite index keys. */
export const KEY_SEP = '\u0000';

/** The lookup rows of a record, as tuples (what the rebuild writes and {@link indexKeys} keys). */
export interface LookupRows {
  readonly csids: readonly string[];
  readonly uuids: readonly (readonly [uuid: string, role: UuidRole])[];
  readonly fingerprints: readonly (readonly [name: string, value: string])[];
  /** `[kind, name]` with kind `task` or `project`, each pair once. */
  readonly links: readonly (readonly [kind: 'task' | 'project', name: string])[];
}

function addLinks(
  target: [kind: 'task' | 'project', name: string][],
  kind: 'task' | 'project',
  values: unknown,
): void {
  if (!Array.isArray(values)) return;
  const seen = new Set<string>();
  for (const value of values) {
    if (typeof value !== 'string' || value.length === 0 || seen.has(value)) continue;
    seen.add(value);
    target.push([kind, value]);
  }
}

/** The lookup rows of a record: identity keys (each once) and task/project links (each once). */
export function lookupRows(record: SessionRecord): LookupRows {
  const keys = recordLineageKeys(record);
  const links: [kind: 'task' | 'project', name: string][] = [];
  addLinks(links, 'task', record.tasks);
  addLinks(links, 'project', record.projects);
  return { csids: keys.csids, uuids: keys.uuids, fingerprints: keys.fingerprints, links };
}

/** Compute the index keys of a record. */
export function indexKeys(record: SessionRecord): IndexKeys {
  const rows = lookupRows(record);
  return {
    csids: new Set(rows.csids),
    uuids: new Set(rows.uuids.map(([uuid, role]) => uuid + KEY_SEP + role)),
    fingerprints: new Set(rows.fingerprints.map(([name, value]) => name + KEY_SEP + value)),
    links: new Set(rows.links.map(([kind, name]) => kind + KEY_SEP + name)),
  };
}

/** Elements of `next` missing from `prev`, and of `prev` missing from `next`. */
export function diffSets(
  prev: ReadonlySet<string> | undefined,
  next: ReadonlySet<string>,
): { added: string[]; removed: string[] } {
  const added: string[] = [];
  const removed: string[] = [];
  for (const key of next) if (prev === undefined || !prev.has(key)) added.push(key);
  if (prev !== undefined) for (const key of prev) if (!next.has(key)) removed.push(key);
  return { added, removed };
}
