/**
 * The pure sweep planner (docs/on-disk-format.md#activity-states-sweep): which sessions should change activity state.
 *
 * @packageDocumentation
 */
import type { ActivityState, Iso8601, ProjectionMeta, SessionStableId } from './types.js';
import { isObjectLike } from './internal/values.js';

/** Idle threshold used when neither the options nor `_meta` give a usable one. */
export const DEFAULT_IDLE_THRESHOLD_DAYS = 14;

/** Archive threshold used when neither the options nor `_meta` give a usable one. */
export const DEFAULT_ARCHIVE_THRESHOLD_DAYS = 30;

const MS_PER_DAY = 86_400_000;
const EPOCH_ISO = '1970-01-01T00:00:00.000Z';

/** The fields of a session record the planner reads (a `SessionRecord` is one). */
export interface SweepRecord {
  readonly stable_id: SessionStableId;
  readonly activity_state?: unknown;
  readonly last_progress_at?: unknown;
  readonly transcript_files?: unknown;
  /** Read when present (an integration placeholder of the original); never written. */
  readonly hive_watcher_last_seen?: unknown;
}

/** The `_meta` fields the planner reads. */
export type SweepMeta = Partial<
  Pick<ProjectionMeta, 'idle_threshold_days' | 'archive_threshold_days'>
>;

/** Threshold inputs, in precedence order: options, then `meta`, then the defaults. */
export interface SweepThresholdInput {
  readonly idleThresholdDays?: number | undefined;
  readonly archiveThresholdDays?: number | undefined;
  readonly meta?: SweepMeta | undefined;
}

/** Options of {@link computeSweepTransitions}. */
export interface SweepOptions extends SweepThresholdInput {
  /** The current time in epoch milliseconds (passed in: the planner reads no clock). */
  readonly now: number;
}

/** One planned state change, the payload of a `sweep` event plus context. */
export interface SweepTransition {
  readonly stable_id: SessionStableId;
  /** The record's current `activity_state`, as stored. */
  readonly from_state: ActivityState | string;
  readonly to_state: ActivityState;
  readonly effective_last_progress: Iso8601;
  readonly age_days: number;
}

/**
 * The latest instant among `last_progress_at`, every `transcript_files[].mtime` and
 * `hive_watcher_last_seen`, compared as parsed epochs (mixed offsets and precisions are fine) and
 * returned as a UTC ISO string; `1970-01-01T00:00:00.000Z` when none parses.
 */
export function computeEffectiveLastProgress(record: SweepRecord | null | undefined): Iso8601 {
  const latest = latestEpoch(record);
  return latest === null ? EPOCH_ISO : new Date(latest).toISOString();
}

/**
 * The transitions a sweep at `options.now` should write (docs/on-disk-format.md#activity-states-sweep). For each record that is not
 * `archived` (terminal) and has a parseable timestamp: age = floor((now − effective) / 1 day);
 * target `archived` when age ≥ archive threshold, else `idle` when age ≥ idle threshold, else
 * `active` (so an idle session that became recent again goes back to `active`). A transition is
 * emitted only when the target differs from the stored state. Thresholds: an option that is a
 * finite number > 0, else the `meta` value if finite > 0, else 14 / 30; the pair is not
 * cross-checked here (see {@link resolveSweepThresholds}).
 */
export function computeSweepTransitions(
  records: Iterable<SweepRecord>,
  options: SweepOptions,
): SweepTransition[] {
  const idle = pickThreshold(
    options.idleThresholdDays,
    options.meta?.idle_threshold_days,
    DEFAULT_IDLE_THRESHOLD_DAYS,
  );
  const archive = pickThreshold(
    options.archiveThresholdDays,
    options.meta?.archive_threshold_days,
    DEFAULT_ARCHIVE_THRESHOLD_DAYS,
  );
  const transitions: SweepTransition[] = [];
  for (const record of records) {
    if (!isObjectLike(record) || record.activity_state === 'archived') continue;
    const latest = latestEpoch(record);
    if (latest === null) continue;
    const ageDays = Math.floor((options.now - latest) / MS_PER_DAY);
    const target: ActivityState =
      ageDays >= archive ? 'archived' : ageDays >= idle ? 'idle' : 'active';
    if (target === record.activity_state) continue;
    transitions.push({
      stable_id: record.stable_id,
      from_state: record.activity_state as ActivityState | string,
      to_state: target,
      effective_last_progress: new Date(latest).toISOString(),
      age_days: ageDays,
    });
  }
  return transitions;
}

/** Where a threshold came from. */
export type ThresholdSource = 'option' | 'meta' | 'default';

/** Result of {@link resolveSweepThresholds}. */
export type SweepThresholds =
  | {
      readonly ok: true;
      readonly idleThresholdDays: number;
      readonly archiveThresholdDays: number;
      readonly sources: { readonly idle: ThresholdSource; readonly archive: ThresholdSource };
    }
  | {
      readonly ok: false;
      readonly error: {
        readonly code:
          'invalid_idle_threshold' | 'invalid_archive_threshold' | 'archive_before_idle';
        readonly message: string;
      };
    };

/**
 * Validate sweep thresholds and resolve the pair the planner will use. A given option must be a
 * finite number > 0; the effective pair (after the options > `_meta` > 14/30 precedence) must have
 * archive ≥ idle (the original only checked when both options were given). Returns an error value,
 * never throws.
 */
export function resolveSweepThresholds(input: SweepThresholdInput): SweepThresholds {
  const { idleThresholdDays, archiveThresholdDays, meta } = input;
  if (idleThresholdDays !== undefined && !isPositive(idleThresholdDays)) {
    return invalid(
      'invalid_idle_threshold',
      `idleThresholdDays must be a positive number (got: ${String(idleThresholdDays)})`,
    );
  }
  if (archiveThresholdDays !== undefined && !isPositive(archiveThresholdDays)) {
    return invalid(
      'invalid_archive_threshold',
      `archiveThresholdDays must be a positive number (got: ${String(archiveThresholdDays)})`,
    );
  }
  const idle = sourcedThreshold(
    idleThresholdDays,
    meta?.idle_threshold_days,
    DEFAULT_IDLE_THRESHOLD_DAYS,
  );
  const archive = sourcedThreshold(
    archiveThresholdDays,
    meta?.archive_threshold_days,
    DEFAULT_ARCHIVE_THRESHOLD_DAYS,
  );
  if (archive.value < idle.value) {
    return invalid(
      'archive_before_idle',
      `archiveThresholdDays (${archive.value}, from ${archive.source}) must be >= idleThresholdDays (${idle.value}, from ${idle.source})`,
    );
  }
  return {
    ok: true,
    idleThresholdDays: idle.value,
    archiveThresholdDays: archive.value,
    sources: { idle: idle.source, archive: archive.source },
  };
}

function invalid(
  code: 'invalid_idle_threshold' | 'invalid_archive_threshold' | 'archive_before_idle',
  message: string,
): SweepThresholds {
  return { ok: false, error: { code, message } };
}

function isPositive(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0;
}

function sourcedThreshold(
  option: unknown,
  metaValue: unknown,
  fallback: number,
): { value: number; source: ThresholdSource } {
  if (isPositive(option)) return { value: option, source: 'option' };
  if (isPositive(metaValue)) return { value: metaValue, source: 'meta' };
  return { value: fallback, source: 'default' };
}

function pickThreshold(option: unknown, metaValue: unknown, fallback: number): number {
  return sourcedThreshold(option, metaValue, fallback).value;
}

/** The latest parseable epoch among the record's activity timestamps, or null. */
function latestEpoch(record: SweepRecord | null | undefined): number | null {
  if (!isObjectLike(record)) return null;
  let latest: number | null = null;
  const consider = (raw: unknown): void => {
    if (typeof raw !== 'string' || raw.length === 0) return;
    const epoch = Date.parse(raw);
    if (Number.isFinite(epoch) && (latest === null || epoch > latest)) latest = epoch;
  };
  consider(record.last_progress_at);
  if (Array.isArray(record.transcript_files)) {
    for (const file of record.transcript_files as readonly unknown[]) {
      if (isObjectLike(file)) consider(file.mtime);
    }
  }
  consider(record.hive_watcher_last_seen);
  return latest;
}
