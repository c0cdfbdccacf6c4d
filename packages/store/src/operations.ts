import { detectParentCycle, OUTCOMES } from '@sessions-db/projection';
import type { ParentKind } from '@sessions-db/projection';

import { resolveReference } from './references.js';
import { indexGraph } from './index-graph.js';
import { MAX_REFERENCE_LENGTH } from './limits.js';
import type { StoreCore } from './store-core.js';
import type { LinkTargets, OperationError, OperationResult, WriteOptions } from './types.js';
import { writeOne } from './write-one.js';

function invalid(message: string): { ok: false; error: OperationError } {
  return { ok: false, error: { code: 'INVALID_ARGUMENT', message } };
}

/** Normalize a task/project list: single string → list; drop non-strings, empties, duplicates. */
function normalizeIdList(value: readonly string[] | string | null | undefined): string[] {
  const list: unknown[] =
    value === undefined || value === null ? [] : typeof value === 'string' ? [value] : [...value];
  const out: string[] = [];
  for (const item of list)
    if (typeof item === 'string' && item.length > 0 && !out.includes(item)) out.push(item);
  return out;
}

/** `alias_set`: a non-empty alias sets it, `null` clears it. */
export function setAlias(
  core: StoreCore,
  ref: string,
  alias: string | null,
  options: WriteOptions = {},
): OperationResult<{ stable_id: string }> {
  if (alias !== null && (typeof alias !== 'string' || alias.length === 0)) {
    return invalid('setAlias: alias must be a non-empty string');
  }
  if (alias !== null && alias.length > MAX_REFERENCE_LENGTH) {
    return invalid(`setAlias: an alias is at most ${MAX_REFERENCE_LENGTH} characters`);
  }
  return writeOne(core, options.dryRun === true, () => {
    const target = resolveReference(core, ref);
    if (!target.ok) return target;
    const id = target.session.stable_id;
    return {
      ok: true,
      op: 'alias_set',
      stable_id: id,
      payload: { alias },
      extra: { stable_id: id },
    };
  });
}

/** `parent_set` on the child (kind `manual` unless given); refuses self-parenting and cycles. */
export function setParent(
  core: StoreCore,
  childRef: string,
  parentRef: string | null,
  options: WriteOptions & { readonly kind?: ParentKind } = {},
): OperationResult<{ stable_id: string; parent_id: string | null }> {
  if (parentRef !== null && (typeof parentRef !== 'string' || parentRef.length === 0)) {
    return invalid('setParent: parentId must be a non-empty string');
  }
  return writeOne<{ stable_id: string; parent_id: string | null }>(
    core,
    options.dryRun === true,
    () => {
      const child = resolveReference(core, childRef);
      if (!child.ok) return child;
      const childId = child.session.stable_id;
      if (parentRef === null) {
        return {
          ok: true,
          op: 'parent_set',
          stable_id: childId,
          payload: { parent_session_id: null },
          extra: { stable_id: childId, parent_id: null },
        };
      }
      const parent = resolveReference(core, parentRef);
      if (!parent.ok) return parent;
      const parentId = parent.session.stable_id;
      if (parentId === childId)
        return invalid('setParent: parent and child cannot be the same stable_id');
      const cycle = detectParentCycle(indexGraph(core), childId, parentId);
      if (cycle.cycle) {
        return {
          ok: false,
          error: {
            code: 'CYCLE',
            message: `setParent: would create a cycle: proposed parent ${parentId} reaches child ${childId} after ${cycle.hops} hop(s)`,
          },
        };
      }
      return {
        ok: true,
        op: 'parent_set',
        stable_id: childId,
        payload: { parent_session_id: parentId, kind: options.kind ?? 'manual' },
        extra: { stable_id: childId, parent_id: parentId },
      };
    },
  );
}

/** `close` with an outcome of the original's enum and an optional reason (`null` clears it). */
export function closeSession(
  core: StoreCore,
  ref: string,
  close: { readonly outcome: string; readonly reason?: string | null },
  options: WriteOptions = {},
): OperationResult<{ stable_id: string }> {
  if (typeof close.outcome !== 'string' || close.outcome.length === 0)
    return invalid('closeSession: outcome required');
  if (!(OUTCOMES as readonly string[]).includes(close.outcome)) {
    return invalid(`closeSession: outcome must be one of: ${OUTCOMES.join(', ')}`);
  }
  if (close.reason !== undefined && close.reason !== null && typeof close.reason !== 'string') {
    return invalid('closeSession: reason must be a string');
  }
  return writeOne(core, options.dryRun === true, () => {
    const target = resolveReference(core, ref);
    if (!target.ok) return target;
    const id = target.session.stable_id;
    const payload: Record<string, unknown> = { outcome: close.outcome };
    if (close.reason !== undefined) payload['closed_reason'] = close.reason;
    return { ok: true, op: 'close', stable_id: id, payload, extra: { stable_id: id } };
  });
}

/** `reopen`: outcome back to `open`, close time and reason cleared. */
export function reopenSession(
  core: StoreCore,
  ref: string,
  options: WriteOptions & { readonly reason?: string } = {},
): OperationResult<{ stable_id: string }> {
  return writeOne(core, options.dryRun === true, () => {
    const target = resolveReference(core, ref);
    if (!target.ok) return target;
    const id = target.session.stable_id;
    const payload = options.reason === undefined ? {} : { reason: options.reason };
    return { ok: true, op: 'reopen', stable_id: id, payload, extra: { stable_id: id } };
  });
}

function linkOp(
  core: StoreCore,
  op: 'session_link' | 'session_unlink',
  name: 'linkTask' | 'unlinkTask',
  ref: string,
  links: LinkTargets,
  options: WriteOptions,
): OperationResult<{ stable_id: string; tasks: string[]; projects: string[] }> {
  const tasks = normalizeIdList(links.tasks);
  const projects = normalizeIdList(links.projects);
  if (tasks.length === 0 && projects.length === 0)
    return invalid(`${name}: provide at least one task or project`);
  return writeOne(core, options.dryRun === true, () => {
    const target = resolveReference(core, ref);
    if (!target.ok) return target;
    const id = target.session.stable_id;
    const payload: Record<string, unknown> = {};
    if (tasks.length > 0) payload['tasks'] = tasks;
    if (projects.length > 0) payload['projects'] = projects;
    return { ok: true, op, stable_id: id, payload, extra: { stable_id: id, tasks, projects } };
  });
}

/** `session_link`: add tasks and/or projects. */
export function linkSession(
  core: StoreCore,
  ref: string,
  links: LinkTargets,
  options: WriteOptions = {},
) {
  return linkOp(core, 'session_link', 'linkTask', ref, links, options);
}

/** `session_unlink`: remove tasks and/or projects (written even when nothing changes: audit). */
export function unlinkSession(
  core: StoreCore,
  ref: string,
  links: LinkTargets,
  options: WriteOptions = {},
) {
  return linkOp(core, 'session_unlink', 'unlinkTask', ref, links, options);
}

/** `manual_link`: add parent candidate hints (never a parent edge). */
export function addParentCandidates(
  core: StoreCore,
  ref: string,
  candidateRefs: readonly string[],
  options: WriteOptions = {},
): OperationResult<{ stable_id: string }> {
  if (candidateRefs.length === 0)
    return invalid('addParentCandidates: provide at least one candidate');
  return writeOne(core, options.dryRun === true, () => {
    const target = resolveReference(core, ref);
    if (!target.ok) return target;
    const id = target.session.stable_id;
    const candidates: Record<string, unknown>[] = [];
    for (const candidateRef of candidateRefs) {
      const candidate = resolveReference(core, candidateRef);
      if (!candidate.ok) return candidate;
      if (candidate.session.stable_id === id)
        return invalid('addParentCandidates: a session cannot be its own candidate');
      candidates.push({
        parent_id: candidate.session.stable_id,
        source: 'manual',
        confidence: 'manual',
      });
    }
    return {
      ok: true,
      op: 'manual_link',
      stable_id: id,
      payload: { parent_candidate_ids: candidates },
      extra: { stable_id: id },
    };
  });
}

/** `ai_title_seen` / `custom_title_seen`: a non-empty title sets it, `null` clears it. */
export function recordTitle(
  core: StoreCore,
  kind: 'ai_title' | 'custom_title',
  ref: string,
  title: string | null,
  options: WriteOptions & { readonly sourceTranscript?: string } = {},
): OperationResult<{ stable_id: string }> {
  if (title !== null && (typeof title !== 'string' || title.length === 0)) {
    return invalid(`record ${kind}: title must be a non-empty string or null`);
  }
  return writeOne(core, options.dryRun === true, () => {
    const target = resolveReference(core, ref);
    if (!target.ok) return target;
    const id = target.session.stable_id;
    const payload: Record<string, unknown> = { [kind]: title };
    if (options.sourceTranscript !== undefined)
      payload['source_transcript'] = options.sourceTranscript;
    payload['observed_at'] = core.nowIso();
    return { ok: true, op: `${kind}_seen`, stable_id: id, payload, extra: { stable_id: id } };
  });
}
