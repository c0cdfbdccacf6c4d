/**
 * What every scenario gets (options, temp world, targets, cached stores) and what it returns (a
 * result row), plus the shared measuring steps: spawn a target, time `node -e 0`, interleave
 * baseline and scenario runs, and count what hooks recorded in a log.
 */
import {
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  readSync,
  closeSync,
  rmSync,
  statSync,
} from 'node:fs';
import { join } from 'node:path';

import type { BenchOptions, ScenarioId } from '../bench-options.js';
import { verdictOf } from '../budgets.js';
import type { Verdict } from '../budgets.js';
import { formatMs } from '../format-text.js';
import { copyStore } from '../generate/store-cache.js';
import type { CachedStore } from '../generate/store-cache.js';
import { runProcess } from '../process/run-process.js';
import type { ProcessOutcome } from '../process/run-process.js';
import { isolatedEnv, MAX_RSS_FILE_ENV, NODE_BASELINE, nodeArgs } from '../process/targets.js';
import type { RunnerKind, Target } from '../process/targets.js';
import { median, round } from '../stats.js';
import type { BenchWorkspace } from '../workspace.js';

/** Everything a scenario needs. */
export interface BenchContext {
  readonly options: BenchOptions;
  readonly workspace: BenchWorkspace;
  readonly hook: Target;
  readonly cli: Target;
  readonly log: (message: string) => void;
  /** Every `node -e 0` sample of the run (ms), for the run-wide median. */
  readonly baselineSamples: number[];
}

/** What a row measures. */
export type MetricKind =
  'ms' | 'delta_ms' | 'rss_mb' | 'events_per_s' | 'recorded' | 'mb_per_s' | 'share';

/** One line of the results table. */
export interface ResultRow {
  /** The scenario, or one of its variants (`concurrent-busy`, `concurrent-64-busy`). */
  readonly id: ScenarioId | 'concurrent-busy' | 'concurrent-64-busy';
  readonly scenario: string;
  /** Store size label (`100k`). */
  readonly store: string;
  readonly runner: string;
  readonly runnerKind: RunnerKind;
  readonly metric: MetricKind;
  /** The headline number (median ms, MB, events/s, or sessions recorded). */
  readonly value: number;
  /** The headline number as shown (`62.1 ms`). */
  readonly display: string;
  /** Median `node -e 0` measured interleaved with this scenario (ms), when relevant. */
  readonly baselineMs: number | null;
  /** `value / baselineMs` for timings. */
  readonly ratio: number | null;
  readonly budget: string;
  readonly verdict: Verdict;
  /** Raw samples of the headline metric. */
  readonly samples: readonly number[];
  readonly notes: readonly string[];
}

/** A finished child and, when probed, its peak RSS in KiB. */
export interface Spawned {
  readonly outcome: ProcessOutcome;
  readonly maxRssKb: number | null;
}

let probeCounter = 0;

/**
 * Spawn `process.execPath` with `target` (and script arguments) in a fresh process.
 *
 * @throws Error when node cannot be spawned.
 */
export async function spawnTarget(
  ctx: BenchContext,
  target: Target,
  scriptArgs: readonly string[],
  options: {
    readonly env?: NodeJS.ProcessEnv;
    readonly input?: string;
    readonly timeoutMs?: number;
    readonly probeMaxRss?: boolean;
  } = {},
): Promise<Spawned> {
  const probe = options.probeMaxRss === true;
  const rssFile = join(ctx.workspace.root, `maxrss-${process.pid}-${(probeCounter += 1)}.txt`);
  const env = {
    ...(options.env ?? isolatedEnv({ HOME: ctx.workspace.home })),
    ...(probe ? { [MAX_RSS_FILE_ENV]: rssFile } : {}),
  };
  const outcome = await runProcess({
    command: process.execPath,
    args: nodeArgs(target, scriptArgs, probe),
    cwd: target.cwd,
    env,
    ...(options.input === undefined ? {} : { input: options.input }),
    timeoutMs: options.timeoutMs ?? 60_000,
  });
  let maxRssKb: number | null = null;
  if (probe && existsSync(rssFile)) {
    maxRssKb = Number(readFileSync(rssFile, 'utf8'));
    rmSync(rssFile, { force: true });
  }
  return { outcome, maxRssKb };
}

/** One timed `node -e 0` (ms); `record` adds it to the run-wide baseline samples. */
export async function timeBaseline(ctx: BenchContext, record = true): Promise<number> {
  const ms = (await spawnTarget(ctx, NODE_BASELINE, [])).outcome.ms;
  if (record) ctx.baselineSamples.push(ms);
  return ms;
}

/** One measured step of an iteration; returns the sample (ms or other unit). */
export type Step = (iteration: number) => Promise<number>;

/**
 * Run `warmup + runs` iterations; each runs every step once (the order rotates per iteration so
 * no step always goes first). Returns the samples of each step from the timed iterations.
 */
export async function measureInterleaved(
  ctx: BenchContext,
  steps: readonly Step[],
): Promise<number[][]> {
  const { warmup, runs } = ctx.options;
  const samples: number[][] = steps.map(() => []);
  for (let iteration = 0; iteration < warmup + runs; iteration += 1) {
    for (let k = 0; k < steps.length; k += 1) {
      const index = (k + iteration) % steps.length;
      const value = await steps[index]!(iteration);
      if (iteration >= warmup) samples[index]!.push(value);
    }
  }
  return samples;
}

/** The store's event log size now (bytes). */
export function logSize(storeDir: string): number {
  return statSync(join(storeDir, 'sessions-db-events.jsonl')).size;
}

/** How many `session_seen` events for each of `csids` were appended after `fromOffset`. */
export function countSeen(
  storeDir: string,
  fromOffset: number,
  csids: ReadonlySet<string>,
): Map<string, number> {
  const path = join(storeDir, 'sessions-db-events.jsonl');
  const size = statSync(path).size;
  const counts = new Map<string, number>();
  if (size <= fromOffset) return counts;
  const buffer = Buffer.alloc(size - fromOffset);
  const fd = openSync(path, 'r');
  try {
    readSync(fd, buffer, 0, buffer.length, fromOffset);
  } finally {
    closeSync(fd);
  }
  for (const line of buffer.toString('utf8').split('\n')) {
    if (line.length === 0) continue;
    try {
      const event = JSON.parse(line) as { op?: unknown; payload?: { claude_session_id?: unknown } };
      const csid = event.payload?.claude_session_id;
      if (event.op === 'session_seen' && typeof csid === 'string' && csids.has(csid)) {
        counts.set(csid, (counts.get(csid) ?? 0) + 1);
      }
    } catch {
      // a torn line is not a recorded session
    }
  }
  return counts;
}

/** Sum of the values of a count map. */
export function total(counts: ReadonlyMap<string, number>): number {
  let sum = 0;
  for (const n of counts.values()) sum += n;
  return sum;
}

/** The fields of a row timed in milliseconds against `node -e 0` run beside it. */
export type TimedFields = Pick<
  ResultRow,
  'metric' | 'value' | 'display' | 'baselineMs' | 'ratio' | 'samples'
>;

/**
 * A timing against the `node -e 0` runs interleaved with it: the row's fields (medians, rounded)
 * and the ratio of the medians as measured.
 */
export function timed(
  samples: readonly number[] | undefined,
  baseline: readonly number[] | undefined,
): { readonly ratio: number; readonly fields: TimedFields } {
  const value = median(samples ?? []);
  const baselineMs = median(baseline ?? []);
  const ratio = value / baselineMs;
  return {
    ratio,
    fields: {
      metric: 'ms',
      value: round(value),
      display: formatMs(value),
      baselineMs: round(baselineMs),
      ratio: round(ratio, 2),
      samples: (samples ?? []).map((v) => round(v)),
    },
  };
}

/** The budget of a timing held to `budget` x `node -e 0`, and its verdict (FAIL when a run failed). */
export function ratioBudget(
  ratio: number,
  budget: number,
  failed: boolean,
): Pick<ResultRow, 'budget' | 'verdict'> {
  return {
    budget: `<= ${budget}x node -e 0`,
    verdict: failed ? 'FAIL' : verdictOf(ratio <= budget),
  };
}

/** A fresh empty directory inside the run's temp world. */
export function scratchDir(ctx: BenchContext, name: string): string {
  const dir = join(ctx.workspace.root, 'stores', name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  return dir;
}

/**
 * Run `measure` on a copy of `store` in a fresh scratch directory `name`; the copy is removed
 * afterwards, also when `measure` throws.
 */
export async function withStoreCopy<T>(
  ctx: BenchContext,
  store: CachedStore,
  name: string,
  measure: (dir: string) => Promise<T>,
): Promise<T> {
  const dir = copyStore(store, scratchDir(ctx, name));
  try {
    return await measure(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The env of a spawned hook: the store copy, the temp Claude home and HOME. */
export function hookEnv(ctx: BenchContext, storeDir: string): NodeJS.ProcessEnv {
  return isolatedEnv({
    SESSIONS_DB_ROOT: storeDir,
    CLAUDE_CONFIG_DIR: ctx.workspace.claudeHome,
    HOME: ctx.workspace.home,
  });
}

/** A cached store's label and the runner label, for rows. */
export function rowBase(
  store: CachedStore,
  target: Target,
): Pick<ResultRow, 'store' | 'runner' | 'runnerKind'> {
  return { store: store.label, runner: target.label, runnerKind: target.kind };
}
