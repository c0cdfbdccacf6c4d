import { hostname } from 'node:os';
import { existsSync, readFileSync } from 'node:fs';
import { isProcessAlive } from '@sessions-db/event-log';
import { ancestorsOf } from '@sessions-db/projection';
import type { ParentKind, SessionRecord } from '@sessions-db/projection';

import { childRecordsOf, indexGraph } from './index-graph.js';
import { resolveReference } from './references.js';
import { MAX_ANCESTOR_DEPTH, MAX_TREE_DEPTH } from './limits.js';
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

/** Find sessions with indexed SQL filters, newest progress first (see `FindQuery`). */
export function findSessions(core: StoreCore, query: FindQuery = {}): SessionRecord[] {
  return core.reads.findRecords(query);
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
  const offsets = core.reads.eventOffsets(stableId, limit);
  const entries: TimelineEntry[] = [];
  for (const offset of offsets) {
    const value = core.lineAt(offset);
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

/** Counters of the store. */
export function storeStats(core: StoreCore): StoreStats {
  const state = core.index.readState();
  const sessions = core.reads.sessionCount();
  const logBytes = core.log.size();
  return {
    sessions,
    events: state.meta.event_count,
    byState: core.reads.countBy('activity_state'),
    byOutcome: core.reads.countBy('outcome'),
    lastEventAt: state.meta.updated,
    lastEventId: state.meta.last_event_id,
    logBytes,
    lagBytes: Math.max(0, logBytes - state.logOffset),
    logIssues: core.reads.logIssues(),
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
  const alive = Number.isInteger(pid) && pid > 0 && host === hostname() && isProcessAlive(pid);
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
    schemaVersion: core.reads.schemaVersion(),
    sessions: core.reads.sessionCount(),
    events: state.meta.event_count,
    lastEventAt: state.meta.updated,
    logIssues: core.reads.logIssues(),
    legacyLock: core.paths === null ? null : legacyLockInfo(core.paths.lockPath),
    writeLocked: core.isWriteLocked(),
  };
}
