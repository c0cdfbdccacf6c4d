/**
 * Hook scenarios: a new session and a resumed one at each store size, a 50 KB against a 50 MB
 * transcript, the hook's peak RSS, and 32 hooks started at once. Each hook run is a fresh
 * process fed a SessionStart payload on stdin; afterwards the store copy's log is read to check
 * that every run really recorded its session (a hook exits 0 even when it fails).
 */
import { startCpuHogs } from '@sessions-db/vitest-config/cpu-hogs';
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

import {
  BUSY_HOGS,
  CONCURRENT_WRITERS,
  HOOK_RATIO_BUDGET,
  HOOK_RSS_BUDGET_MB,
  TRANSCRIPT_DELTA_BUDGET_MS,
  verdictOf,
} from '../budgets.js';
import type { CachedStore } from '../generate/store-cache.js';
import { transcriptPathFor, writeTranscript } from '../generate/transcript.js';
import { NODE_BASELINE } from '../process/targets.js';
import { formatMs, plural } from '../format-text.js';
import { median, round } from '../stats.js';
import {
  countSeen,
  hookEnv,
  logSize,
  measureInterleaved,
  ratioBudget,
  rowBase,
  spawnTarget,
  timeBaseline,
  timed,
  total,
  withStoreCopy,
} from './context.js';
import type { BenchContext, ResultRow, Spawned } from './context.js';

type StartSource = 'startup' | 'resume';

/**
 * A SessionStart payload as Claude Code sends it, plus `bench_run` (the run's number): the hook
 * records a payload it already recorded within a minute only once (one event delivered to two
 * installed handlers), and the scenarios that repeat one session's resume must time a real record.
 * The hook ignores the extra field.
 */
function startPayload(ctx: BenchContext, csid: string, source: StartSource, run: number): string {
  return JSON.stringify({
    session_id: csid,
    transcript_path: transcriptPathFor(ctx.workspace.claudeHome, ctx.workspace.cwd, csid),
    cwd: ctx.workspace.cwd,
    hook_event_name: 'SessionStart',
    source,
    model: 'claude-sonnet-4-5',
    bench_run: run,
  });
}

/** Runs hooks against one store copy and remembers how each run ended. */
interface HookRunner {
  run(csid: string, source: StartSource, probeMaxRss?: boolean): Promise<Spawned>;
  /** `hook outcomes: recorded 8, timeout (deadline reached) 1`. */
  outcomes(): string;
}

/**
 * A hook runner for `storeDir`. The binary writes one diagnostics line per run
 * (`SESSIONS_DB_LOG`, a single small append) so a run that did not record says why.
 */
function createHookRunner(ctx: BenchContext, storeDir: string, name: string): HookRunner {
  const diagnosticsLog = join(ctx.workspace.root, `hook-diagnostics-${name}.jsonl`);
  const runs: Spawned[] = [];
  return {
    async run(csid, source, probeMaxRss = false) {
      const env = { ...hookEnv(ctx, storeDir), SESSIONS_DB_LOG: diagnosticsLog };
      const spawned = await spawnTarget(ctx, ctx.hook, [], {
        env,
        input: startPayload(ctx, csid, source, runs.length + 1),
        timeoutMs: 30_000,
        probeMaxRss,
      });
      if (spawned.outcome.timedOut) ctx.log(`  hook run for ${csid} was killed after 30 s`);
      runs.push(spawned);
      return spawned;
    },
    outcomes: () => summarizeRuns(ctx, runs, diagnosticsLog),
  };
}

/** Notes and verdict about runs that did not record. */
function recordedCheck(recorded: number, expected: number): { notes: string[]; failed: boolean } {
  if (recorded >= expected)
    return { notes: [`${recorded}/${expected} runs recorded`], failed: false };
  return { notes: [`only ${recorded}/${expected} runs recorded their session_seen`], failed: true };
}

/** Scenarios 1 and 2: hook path for a new (`startup`) or resumed (`resume`) session. */
export async function runHookScenario(
  ctx: BenchContext,
  kind: 'new' | 'resume',
  store: CachedStore,
): Promise<ResultRow> {
  return withStoreCopy(ctx, store, `hook-${kind}-${store.label}`, async (dir) => {
    const count = ctx.options.warmup + ctx.options.runs;
    const samples = store.manifest.resumeSamples;
    const csids =
      kind === 'new'
        ? Array.from({ length: count }, () => randomUUID())
        : Array.from(
            { length: count },
            (_, i) => samples[i % samples.length]?.csid ?? randomUUID(),
          );
    if (kind === 'resume') {
      [...new Set(csids)].forEach((csid, i) => {
        const spec = {
          claudeHome: ctx.workspace.claudeHome,
          cwd: ctx.workspace.cwd,
          sessionId: csid,
        };
        writeTranscript({ ...spec, targetBytes: 50_000, seed: 100 + i });
      });
    }
    const from = logSize(dir);
    const source: StartSource = kind === 'new' ? 'startup' : 'resume';
    const hooks = createHookRunner(ctx, dir, `${kind}-${store.label}`);
    const [baseline, hook] = await measureInterleaved(ctx, [
      () => timeBaseline(ctx),
      async (i) => (await hooks.run(csids[i] ?? randomUUID(), source)).outcome.ms,
    ]);
    const recorded = total(countSeen(dir, from, new Set(csids)));
    const check = recordedCheck(recorded, count);
    const { ratio, fields } = timed(hook, baseline);
    return {
      id: kind === 'new' ? 'hook-new' : 'hook-resume',
      scenario: kind === 'new' ? 'hook, new session (startup)' : 'hook, resumed session (resume)',
      ...rowBase(store, ctx.hook),
      ...fields,
      ...ratioBudget(ratio, HOOK_RATIO_BUDGET, check.failed),
      notes: [
        ...check.notes,
        hooks.outcomes(),
        ...(kind === 'resume' ? ['each resumed session has a 50 KB transcript'] : []),
      ],
    };
  });
}

/** Scenario 3: the same resume with a 50 KB and with a 50 MB transcript; reports the difference. */
export async function runTranscriptScenario(
  ctx: BenchContext,
  store: CachedStore,
): Promise<ResultRow[]> {
  return withStoreCopy(ctx, store, `hook-transcript-${store.label}`, async (dir) => {
    const small = randomUUID();
    const large = randomUUID();
    const cwd = ctx.workspace.cwd;
    const claudeHome = ctx.workspace.claudeHome;
    ctx.log('  writing a 50 KB and a 50 MB transcript');
    const smallFile = writeTranscript({
      claudeHome,
      cwd,
      sessionId: small,
      targetBytes: 50_000,
      seed: 11,
    });
    const largeFile = writeTranscript({
      claudeHome,
      cwd,
      sessionId: large,
      targetBytes: 50_000_000,
      seed: 12,
    });
    const from = logSize(dir);
    const hooks = createHookRunner(ctx, dir, `transcript-${store.label}`);
    const [baseline, smallMs, largeMs] = await measureInterleaved(ctx, [
      () => timeBaseline(ctx),
      async () => (await hooks.run(small, 'resume')).outcome.ms,
      async () => (await hooks.run(large, 'resume')).outcome.ms,
    ]);
    const count = ctx.options.warmup + ctx.options.runs;
    const counts = countSeen(dir, from, new Set([small, large]));
    const check = recordedCheck(total(counts), 2 * count);
    const s = smallMs ?? [];
    const l = largeMs ?? [];
    const deltas = l.map((v, i) => v - (s[i] ?? v));
    const delta = median(deltas);
    const base = rowBase(store, ctx.hook);
    const timing = (label: string, values: number[], bytes: number): ResultRow => ({
      id: 'hook-transcript',
      scenario: `hook, ${label} transcript (resume)`,
      ...base,
      ...timed(values, baseline).fields,
      budget: '(see difference)',
      verdict: check.failed ? 'FAIL' : 'PASS',
      notes: [`transcript of ${bytes} bytes`],
    });
    return [
      timing('50 KB', s, smallFile.bytes),
      timing('50 MB', l, largeFile.bytes),
      {
        id: 'hook-transcript',
        scenario: 'hook, 50 MB minus 50 KB transcript',
        ...base,
        metric: 'delta_ms',
        value: round(delta),
        display: `${delta >= 0 ? '+' : ''}${delta.toFixed(1)} ms`,
        baselineMs: null,
        ratio: null,
        budget: `+<= ${TRANSCRIPT_DELTA_BUDGET_MS} ms`,
        verdict: check.failed ? 'FAIL' : verdictOf(delta <= TRANSCRIPT_DELTA_BUDGET_MS),
        samples: deltas.map((v) => round(v)),
        notes: [
          'median of paired differences (runs interleaved)',
          ...check.notes,
          hooks.outcomes(),
        ],
      },
    ];
  });
}

/** Scenario 6: peak RSS of the hook process (new and resumed session). */
export async function runHookRssScenario(
  ctx: BenchContext,
  store: CachedStore,
): Promise<ResultRow[]> {
  return withStoreCopy(ctx, store, `hook-rss-${store.label}`, async (dir) => {
    const runs = Math.min(ctx.options.runs, 5);
    const resumeCsid = store.manifest.resumeSamples[0]?.csid ?? randomUUID();
    writeTranscript({
      claudeHome: ctx.workspace.claudeHome,
      cwd: ctx.workspace.cwd,
      sessionId: resumeCsid,
      targetBytes: 50_000,
      seed: 13,
    });
    const rows: ResultRow[] = [];
    const baselineRss: number[] = [];
    for (let i = 0; i < runs; i += 1) {
      const probe = await spawnTarget(ctx, NODE_BASELINE, [], { probeMaxRss: true });
      if (probe.maxRssKb !== null) baselineRss.push(probe.maxRssKb / 1024);
    }
    for (const kind of ['new', 'resume'] as const) {
      const mb: number[] = [];
      const csids: string[] = [];
      const from = logSize(dir);
      const hooks = createHookRunner(ctx, dir, `rss-${kind}-${store.label}`);
      for (let i = 0; i < runs; i += 1) {
        const csid = kind === 'new' ? randomUUID() : resumeCsid;
        csids.push(csid);
        const spawned = await hooks.run(csid, kind === 'new' ? 'startup' : 'resume', true);
        if (spawned.maxRssKb !== null) mb.push(spawned.maxRssKb / 1024);
      }
      const check = recordedCheck(total(countSeen(dir, from, new Set(csids))), runs);
      const peak = Math.max(...mb);
      rows.push({
        id: 'hook-rss',
        scenario: `hook peak RSS, ${kind === 'new' ? 'new' : 'resumed'} session`,
        ...rowBase(store, ctx.hook),
        metric: 'rss_mb',
        value: round(peak),
        display: `${peak.toFixed(1)} MB`,
        baselineMs: null,
        ratio: null,
        budget: `<= ${HOOK_RSS_BUDGET_MB} MB`,
        verdict: check.failed || mb.length === 0 ? 'FAIL' : verdictOf(peak <= HOOK_RSS_BUDGET_MB),
        samples: mb.map((v) => round(v)),
        notes: [
          `max of ${plural(mb.length, 'run')} (median ${median(mb).toFixed(1)} MB; node -e 0: ${median(baselineRss).toFixed(1)} MB)`,
          ...check.notes,
          hooks.outcomes(),
        ],
      });
    }
    return rows;
  });
}

const RUNNER_EXIT_OUTCOMES: Readonly<Record<number, string>> = {
  0: 'recorded',
  1: 'error',
  2: 'skipped',
  3: 'timeout',
};

/**
 * How the runs ended: from the binary's diagnostics log (outcome with its detail, and the median
 * time of each step of the recorded runs), or from the library runner's exit codes.
 */
function summarizeRuns(
  ctx: BenchContext,
  runs: readonly Spawned[],
  diagnosticsLog: string,
): string {
  const counts = new Map<string, number>();
  const add = (key: string, n = 1): void => {
    counts.set(key, (counts.get(key) ?? 0) + n);
  };
  const steps = new Map<string, number[]>();
  if (ctx.hook.kind === 'library') {
    for (const run of runs) {
      const code = run.outcome.code;
      const outcome = code === null ? undefined : RUNNER_EXIT_OUTCOMES[code];
      add(run.outcome.timedOut ? 'killed' : (outcome ?? `exit ${String(code)}`));
    }
  } else {
    const lines = existsSync(diagnosticsLog)
      ? readFileSync(diagnosticsLog, 'utf8').split('\n')
      : [];
    let seen = 0;
    for (const line of lines) {
      if (line.trim() === '') continue;
      seen += 1;
      try {
        const entry = JSON.parse(line) as {
          outcome?: unknown;
          detail?: unknown;
          timings?: unknown;
        };
        const recorded = entry.outcome === 'recorded';
        add(
          `${String(entry.outcome)}${!recorded && typeof entry.detail === 'string' ? ` (${entry.detail})` : ''}`,
        );
        if (recorded && entry.timings !== null && typeof entry.timings === 'object') {
          for (const [step, ms] of Object.entries(entry.timings as Record<string, unknown>)) {
            if (typeof ms === 'number') steps.set(step, [...(steps.get(step) ?? []), ms]);
          }
        }
      } catch {
        add('unreadable diagnostics line');
      }
    }
    if (seen < runs.length) add('no diagnostics line', runs.length - seen);
  }
  const outcome = `hook outcomes: ${[...counts].map(([k, n]) => `${k} ${n}`).join(', ')}`;
  if (steps.size === 0) return outcome;
  const timing = [...steps].map(([step, values]) => `${step} ${median(values).toFixed(1)}`);
  return `${outcome}; hook steps, median ms (its own diagnostics): ${timing.join(', ')}`;
}

/** One burst of hooks started at once: how many, and whether CPU-bound processes run beside. */
export interface BurstVariant {
  readonly id: ResultRow['id'];
  readonly writers: number;
  /** CPU-bound processes kept running during the burst (a busy machine). */
  readonly hogs: number;
}

/** The bursts of scenario 7: the quiet 32, the same on a busy machine, and 64 on a busy machine. */
export const BURST_VARIANTS: readonly BurstVariant[] = [
  { id: 'concurrent', writers: CONCURRENT_WRITERS, hogs: 0 },
  { id: 'concurrent-busy', writers: CONCURRENT_WRITERS, hogs: BUSY_HOGS },
  { id: 'concurrent-64-busy', writers: 2 * CONCURRENT_WRITERS, hogs: BUSY_HOGS },
];

/**
 * Scenario 7: `writers` hooks for as many new sessions started at once against one store, with
 * `hogs` CPU-bound processes beside them; every hook must be recorded (recorded/total).
 */
export async function runConcurrentScenario(
  ctx: BenchContext,
  store: CachedStore,
  variant: BurstVariant = BURST_VARIANTS[0]!,
): Promise<ResultRow> {
  const { writers, hogs } = variant;
  return withStoreCopy(ctx, store, `${variant.id}-${store.label}`, async (dir) => {
    const recordedPerRound: number[] = [];
    const wall: number[] = [];
    const baselineWall: number[] = [];
    const slowest: number[] = [];
    const hooks = createHookRunner(ctx, dir, `${variant.id}-${store.label}`);
    for (let round_ = 0; round_ < ctx.options.rounds; round_ += 1) {
      const busy = hogs > 0 ? startCpuHogs(hogs, 120_000) : null;
      try {
        let started = performance.now();
        await Promise.all(Array.from({ length: writers }, () => timeBaseline(ctx, false)));
        baselineWall.push(performance.now() - started);
        const csids = Array.from({ length: writers }, () => randomUUID());
        const from = logSize(dir);
        started = performance.now();
        const runs = await Promise.all(csids.map((csid) => hooks.run(csid, 'startup')));
        wall.push(performance.now() - started);
        slowest.push(Math.max(...runs.map((r) => r.outcome.ms)));
        const counts = countSeen(dir, from, new Set(csids));
        recordedPerRound.push(csids.filter((csid) => (counts.get(csid) ?? 0) > 0).length);
      } finally {
        await busy?.stop();
      }
    }
    const worst = Math.min(...recordedPerRound);
    const wallMs = median(wall);
    const baselineMs = median(baselineWall);
    const beside = hogs > 0 ? `, ${plural(hogs, 'CPU hog')} beside` : '';
    return {
      id: variant.id,
      scenario: `${writers} hooks at once (new sessions${beside})`,
      ...rowBase(store, ctx.hook),
      metric: 'recorded',
      value: worst,
      display: `${worst}/${writers} recorded, ${formatMs(wallMs)}`,
      baselineMs: round(baselineMs),
      ratio: round(wallMs / baselineMs, 2),
      budget: `${writers} of ${writers} recorded`,
      verdict: verdictOf(worst >= writers),
      samples: recordedPerRound,
      notes: [
        `${plural(ctx.options.rounds, 'round')}; recorded per round: ${recordedPerRound.join(', ')}`,
        hooks.outcomes(),
        `wall time median ${wallMs.toFixed(0)} ms (slowest process median ${median(slowest).toFixed(0)} ms); ratio is against ${writers} x node -e 0 started at once${beside}`,
      ],
    };
  });
}
