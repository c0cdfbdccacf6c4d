import { hostname } from 'node:os';
import { existsSync, readFileSync } from 'node:fs';
import { ancestorsOf } from '@sessions-db/projection';
import type { ParentKind, SessionRecord } from '@sessions-db/projection';

import { childRecordsOf, indexGraph } from './index-graph.js';
import { resolveReference } from './references.js';
import { DEFAULT_FIND_LIMIT, MAX_ANCESTOR_DEPTH, MAX_TREE_DEPTH } from './limits.js';
import type { StoreCore } from './store-core.js';
import type {
  FindQuery,
  OperationError,
  SessionTree,
  StoreHealth,
  StoreStats,
  TimelineEntry,
  TreeNode,
} from './types.js';

type Row = { record: string };

function parseRows(rows: readonly Row[]): SessionRecord[] {
  return rows.map((row) => JSON.parse(row.record) as SessionRecord);
}

/** Find sessions with indexed SQL filters, newest progress first (see `FindQuery`). */
export function findSessions(core: StoreCore, query: FindQuery = {}): SessionRecord[] {
  const where: string[] = [];
  const params: Record<string, string | number> = {};
  const add = (clause: string, name: string, value: string | undefined): void => {
    if (value === undefined || value.length === 0) return;
    where.push(clause);
    params[name] = value;
  };
  add('activity_state = @state', 'state', query.state);
  add('outcome = @outcome', 'outcome', query.outcome);
  add('instr(cwd_text, @cwd) > 0', 'cwd', query.cwd);
  add('(branch_current = @branch OR branch_at_start = @branch)', 'branch', query.branch);
  add('alias = @alias', 'alias', query.alias);
  add(`seq IN (SELECT seq FROM links WHERE kind = 'task' AND name = @task)`, 'task', query.task);
  add(
    `seq IN (SELECT seq FROM links WHERE kind = 'project' AND name = @project)`,
    'project',
    query.project,
  );
  add('last_progress_at >= @since', 'since', query.since);
  // A record without `agent` is Claude's (older logs never name one).
  add(`coalesce(json_extract(record, '$.agent'), 'claude') = @agent`, 'agent', query.agent);
  add('instr(search_text, @text) > 0', 'text', query.text?.toLowerCase());
  const order = query.sort === 'created' ? 'created_at DESC, seq' : 'last_progress_at DESC, seq';
  const limit =
    query.limit === null
      ? -1
      : query.limit === undefined || !(query.limit > 0)
        ? DEFAULT_FIND_LIMIT
        : Math.floor(query.limit);
  const sql = `SELECT record FROM sessions ${where.length > 0 ? 'WHERE ' + where.join(' AND ') : ''}
    ORDER BY ${order} LIMIT ${limit}`;
  return parseRows(core.db.prepare<Record<string, string | number>, Row>(sql).all(params));
}

function edgeKind(record: SessionRecord): ParentKind | null {
  return record.parent_kind ?? null;
}

/** The tree of a session: descendants (cycle-safe, depth-limited) and, on request, ancestors. */
export function sessionTree(
  core: StoreCore,
  ref: string,
  options: { readonly ancestors?: boolean; readonly maxDepth?: number } = {},
):
  | { readonly ok: true; readonly tree: SessionTree }
  | { readonly ok: false; readonly error: OperationError } {
  const found = resolveReference(core, ref);
  if (!found.ok) return found;
  const maxDepth = options.maxDepth ?? MAX_TREE_DEPTH;
  const visited = new Set<string>();
  const build = (record: SessionRecord, depth: number): TreeNode => {
    if (visited.has(record.stable_id)) {
      return { session: record, edgeKind: edgeKind(record), children: [], truncated: 'circular' };
    }
    visited.add(record.stable_id);
    if (depth >= maxDepth) {
      return { session: record, edgeKind: edgeKind(record), children: [], truncated: 'max-depth' };
    }
    return {
      session: record,
      edgeKind: edgeKind(record),
      children: childRecordsOf(core, record.stable_id).map((child) => build(child, depth + 1)),
    };
  };
  const root = build(found.session, 0);
  const ancestors: { session: SessionRecord; edgeKind: ParentKind | null }[] = [];
  if (options.ancestors === true) {
    for (const id of ancestorsOf(indexGraph(core), found.session.stable_id, MAX_ANCESTOR_DEPTH)
      .ancestors) {
      const parent = core.index.getRecord(id);
      if (parent === undefined) break;
      ancestors.push({ session: parent, edgeKind: edgeKind(parent) });
    }
  }
  return { ok: true, tree: { ancestors, root } };
}

/** The events of a session, oldest first (the last `limit` of them, default 200). */
export function sessionTimeline(
  core: StoreCore,
  stableId: string,
  options: { readonly limit?: number } = {},
): TimelineEntry[] {
  const limit = options.limit !== undefined && options.limit > 0 ? Math.floor(options.limit) : 200;
  const offsets = core.db
    .prepare<[string, number], { offset: number }>(
      'SELECT e.offset FROM events e JOIN sessions s ON s.seq = e.seq WHERE s.stable_id = ? ORDER BY e.offset DESC LIMIT ?',
    )
    .all(stableId, limit)
    .map((row) => row.offset)
    .reverse();
  const entries: TimelineEntry[] = [];
  for (const offset of offsets) {
    const value = core.log.lineAt(offset);
    if (value === null || typeof value !== 'object') continue;
    const event = value as Record<string, unknown>;
    const payload = event['payload'];
    entries.push({
      ts: typeof event['ts'] === 'string' ? event['ts'] : '',
      event_id: typeof event['event_id'] === 'string' ? event['event_id'] : '',
      op: typeof event['op'] === 'string' ? event['op'] : '',
      payload:
        payload !== null && typeof payload === 'object' ? (payload as Record<string, unknown>) : {},
    });
  }
  return entries;
}

function countBy(core: StoreCore, column: 'activity_state' | 'outcome'): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const row of core.db
    .prepare<[], { key: string | null; n: number }>(
      `SELECT ${column} AS key, count(*) AS n FROM sessions GROUP BY ${column}`,
    )
    .all()) {
    counts[row.key ?? '-'] = row.n;
  }
  return counts;
}

/** Counters of the store. */
export function storeStats(core: StoreCore): StoreStats {
  const state = core.index.readState();
  const sessions =
    core.db.prepare<[], { n: number }>('SELECT count(*) AS n FROM sessions').get()?.n ?? 0;
  const logBytes = core.log.size();
  return {
    sessions,
    events: state.meta.event_count,
    byState: countBy(core, 'activity_state'),
    byOutcome: countBy(core, 'outcome'),
    lastEventAt: state.meta.updated,
    lastEventId: state.meta.last_event_id,
    logBytes,
    lagBytes: Math.max(0, logBytes - state.logOffset),
    logIssues: core.logIssues(),
  };
}

function legacyLockInfo(path: string): StoreHealth['legacyLock'] {
  let content: string;
  try {
    content = readFileSync(path, 'utf8');
  } catch {
    return null;
  }
  const [pidText = '', second = '', third = ''] = content.trim().split('\t');
  const pid = Number(pidText);
  const host = third.length > 0 ? second : hostname();
  let alive = false;
  if (Number.isInteger(pid) && pid > 0 && host === hostname()) {
    try {
      process.kill(pid, 0);
      alive = true;
    } catch (error) {
      alive = (error as NodeJS.ErrnoException).code === 'EPERM';
    }
  }
  return { path, content: content.trim(), stale: !alive };
}

/** Health facts for `doctor`. */
export function storeHealth(
  core: StoreCore,
  indexExisted: boolean,
): Omit<StoreHealth, 'indexRecovery' | 'indexFallback'> {
  const state = core.index.readState();
  const logBytes = core.log.size();
  return {
    logExists: core.paths === null ? true : existsSync(core.paths.eventsPath),
    logBytes,
    indexExists: indexExisted,
    appliedOffset: state.logOffset,
    lagBytes: Math.max(0, logBytes - state.logOffset),
    schemaVersion: core.db.pragma('user_version', { simple: true }) as number,
    sessions:
      core.db.prepare<[], { n: number }>('SELECT count(*) AS n FROM sessions').get()?.n ?? 0,
    events: state.meta.event_count,
    lastEventAt: state.meta.updated,
    logIssues: core.logIssues(),
    legacyLock: core.paths === null ? null : legacyLockInfo(core.paths.lockPath),
    writeLocked: core.isWriteLocked(),
  };
}
