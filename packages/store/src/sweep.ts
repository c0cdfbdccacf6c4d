import { computeSweepTransitions } from '@sessions-db/projection';
import type { SessionRecord } from '@sessions-db/projection';

import { toOperationError } from './errors.js';
import type { StoreCore } from './store-core.js';
import type { SweepOptions, SweepResult, SweepTransition } from './types.js';

/** Page size when reading every record for the sweep planner. */
const PAGE = 5000;

function* allRecords(core: StoreCore): Generator<SessionRecord> {
  for (const rows of core.index.sessionPages(PAGE)) {
    for (const row of rows) yield JSON.parse(row.record) as SessionRecord;
  }
}

function checkThreshold(name: string, value: number | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    return `runSweep: ${name} must be a positive number (got: ${String(value)})`;
  }
  return undefined;
}

/**
 * Plan activity-state transitions (docs/on-disk-format.md#activity-states-sweep) and, unless `dryRun`, write them as `sweep` events
 * in ONE transaction (planned and written under the same lock, so the plan cannot go stale).
 */
export function runSweep(core: StoreCore, options: SweepOptions = {}): SweepResult {
  const problem =
    checkThreshold('idleThresholdDays', options.idleThresholdDays) ??
    checkThreshold('archiveThresholdDays', options.archiveThresholdDays);
  if (problem !== undefined)
    return { ok: false, error: { code: 'INVALID_ARGUMENT', message: problem } };
  const plan = (): SweepTransition[] => {
    const meta = core.index.readState().meta;
    const idle = options.idleThresholdDays ?? positive(meta.idle_threshold_days) ?? 14;
    const archive = options.archiveThresholdDays ?? positive(meta.archive_threshold_days) ?? 30;
    if (archive < idle) {
      throw Object.assign(
        new Error(
          `runSweep: archiveThresholdDays (${archive}) must be >= idleThresholdDays (${idle})`,
        ),
        { code: 'INVALID_ARGUMENT' },
      );
    }
    return computeSweepTransitions(allRecords(core), {
      now: options.now ?? core.clock.now(),
      idleThresholdDays: idle,
      archiveThresholdDays: archive,
    }) as SweepTransition[];
  };
  try {
    if (options.dryRun === true) {
      core.catchUpIfBehind();
      const transitions = plan();
      return { ok: true, dry_run: true, transitions, summary: summarize(transitions, 0) };
    }
    // `large`: a sweep may move every session (all of an imported year at once)
    const swept = core.transact(
      () => {
        const transitions = plan();
        return {
          events: transitions.map((t) => ({
            op: 'sweep',
            stable_id: t.stable_id,
            payload: {
              activity_state: t.to_state,
              effective_last_progress: t.effective_last_progress,
            },
          })),
          result: (written) => {
            const applied = transitions.map((t, i) => ({
              ...t,
              event_id: written[i]?.event_id ?? '',
            }));
            return {
              ok: true as const,
              dry_run: false,
              transitions: applied,
              summary: summarize(transitions, written.length),
            };
          },
        };
      },
      { large: true },
    );
    return core.indexPending === null ? swept : { ...swept, index_pending: core.indexPending };
  } catch (error) {
    return { ok: false, error: toOperationError(error) };
  }
}

function positive(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : undefined;
}

function summarize(transitions: readonly SweepTransition[], applied: number) {
  return {
    total: transitions.length,
    applied,
    to_idle: transitions.filter((t) => t.to_state === 'idle').length,
    to_archived: transitions.filter((t) => t.to_state === 'archived').length,
    to_active: transitions.filter((t) => t.to_state === 'active').length,
  };
}
