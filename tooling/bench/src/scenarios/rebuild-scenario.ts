/**
 * Scenario 5: `rebuild` of a whole store (index and `sessions-db.json`) in a fresh process on a
 * copy of the store: throughput in events per second of wall time (process start included) and
 * the child's peak RSS; beside it, up to 100k sessions, the floor of any rebuild into this index
 * (`runners/rebuild-floor.ts`: parse the log once, insert the same rows into an empty database
 * with the same schema and indexes in one transaction).
 */
import { join } from 'node:path';

import { REBUILD_EVENTS_PER_S_BUDGET, REBUILD_RSS_BUDGET_MB, verdictOf } from '../budgets.js';
import type { CachedStore } from '../generate/store-cache.js';
import { plural } from '../format-text.js';
import { median, round } from '../stats.js';
import { rowBase, spawnTarget, withStoreCopy } from './context.js';
import type { BenchContext, ResultRow } from './context.js';
import { runFloor } from './floor-process.js';

/**
 * The floor runs only up to this many sessions: it holds every row of the index in memory (about
 * 1 GB at 100k sessions) so that reading them is not timed.
 */
const FLOOR_MAX_SESSIONS = 100_000;

/** What `runners/rebuild-floor.ts` prints. */
interface FloorReport {
  readonly ok: boolean;
  readonly events: number;
  readonly parseMs: number;
  readonly loadMs: number;
  readonly indexMs: number;
  readonly commitMs: number;
  readonly floorMs: number;
  readonly eventsPerS: number;
}

/**
 * Measure the floor on `dir` (a store whose index the rebuild just wrote) once: a row beside the
 * rebuild's throughput, or a FAIL row saying why it could not be measured.
 */
async function floorRow(
  ctx: BenchContext,
  store: CachedStore,
  dir: string,
  rebuildRate: number,
): Promise<ResultRow> {
  const { outcome, report } = await runFloor<FloorReport>(
    'rebuild-floor',
    [dir],
    join(dir, 'floor'),
    Math.max(300_000, store.sessions * 3),
  );
  const base = {
    ...rowBase(store, ctx.cli),
    runner: 'tooling/bench rebuild-floor',
    runnerKind: 'library' as const,
  };
  const budget = `>= ${REBUILD_EVENTS_PER_S_BUDGET / 1000}k events/s (rebuild's)`;
  if (outcome.code !== 0 || report?.ok !== true) {
    return {
      id: 'rebuild',
      scenario: 'rebuild floor (parse once + same rows into an empty index)',
      ...base,
      metric: 'events_per_s',
      value: Number.NaN,
      display: 'n/a',
      baselineMs: null,
      ratio: null,
      budget,
      verdict: 'FAIL',
      samples: [],
      notes: [
        `exit ${String(outcome.code)}: ${(outcome.stderr || outcome.stdout).trim().slice(-300)}`,
      ],
    };
  }
  const s = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;
  const below = report.eventsPerS < REBUILD_EVENTS_PER_S_BUDGET;
  return {
    id: 'rebuild',
    scenario: 'rebuild floor (parse once + same rows into an empty index)',
    ...base,
    metric: 'events_per_s',
    value: report.eventsPerS,
    display: `${Math.round(report.eventsPerS / 1000)}k events/s`,
    baselineMs: null,
    ratio: null,
    budget,
    verdict: 'INFO',
    samples: [report.eventsPerS],
    notes: [
      `${s(report.floorMs)}: parse ${s(report.parseMs)}, rows ${s(report.loadMs)}, indexes ${s(report.indexMs)}, COMMIT ${s(report.commitMs)}; process start and reading the rows not included`,
      `the rebuild's throughput is ${Number.isNaN(rebuildRate) ? 'n/a' : `${Math.round((100 * rebuildRate) / report.eventsPerS)} %`} of the floor's (same machine, minutes apart)`,
      ...(below
        ? ['the floor itself is under the budget: no rebuild into this index layout can meet it']
        : []),
    ],
  };
}

/** Rebuild `store` `runs` times; two rows (throughput and peak RSS) and the floor's. */
export async function runRebuildScenario(
  ctx: BenchContext,
  store: CachedStore,
  runs: number,
): Promise<ResultRow[]> {
  ctx.log(`  copying the ${store.label} store`);
  return withStoreCopy(ctx, store, `rebuild-${store.label}`, async (dir) => {
    const rates: number[] = [];
    const rss: number[] = [];
    const times: number[] = [];
    const failures: string[] = [];
    let events = 0;
    for (let i = 0; i < runs; i += 1) {
      const { outcome, maxRssKb } = await spawnTarget(
        ctx,
        ctx.cli,
        ['rebuild', '--store', dir, '--json'],
        {
          timeoutMs: Math.max(300_000, store.sessions * 3),
          probeMaxRss: true,
        },
      );
      let parsed: { ok?: unknown; eventCount?: unknown } = {};
      try {
        parsed = JSON.parse(outcome.stdout) as typeof parsed;
      } catch {
        // reported below
      }
      if (outcome.code !== 0 || parsed.ok !== true || typeof parsed.eventCount !== 'number') {
        failures.push(
          `exit ${String(outcome.code)}${outcome.timedOut ? ' (killed: timeout)' : ''}: ${(outcome.stderr || outcome.stdout).trim().slice(-300)}`,
        );
        continue;
      }
      events = parsed.eventCount;
      times.push(outcome.ms);
      rates.push(parsed.eventCount / (outcome.ms / 1000));
      if (maxRssKb !== null) rss.push(maxRssKb / 1024);
      ctx.log(`  rebuild ${i + 1}/${runs}: ${(outcome.ms / 1000).toFixed(1)} s`);
    }
    const base = rowBase(store, ctx.cli);
    const failed = failures.length > 0 || rates.length === 0;
    const rate = median(rates);
    const peak = rss.length > 0 ? Math.max(...rss) : Number.NaN;
    const failNote = failed
      ? [`${failures.length} of ${runs} runs failed; first: ${failures[0] ?? 'no run'}`]
      : [];
    const floor =
      store.sessions <= FLOOR_MAX_SESSIONS && !failed
        ? [await floorRow(ctx, store, dir, rate)]
        : [];
    return [
      {
        id: 'rebuild',
        scenario: 'rebuild throughput',
        ...base,
        metric: 'events_per_s',
        value: Math.round(rate),
        display: Number.isNaN(rate) ? 'n/a' : `${Math.round(rate / 1000)}k events/s`,
        baselineMs: null,
        ratio: null,
        budget: `>= ${REBUILD_EVENTS_PER_S_BUDGET / 1000}k events/s`,
        verdict: failed ? 'FAIL' : verdictOf(rate >= REBUILD_EVENTS_PER_S_BUDGET),
        samples: rates.map((v) => Math.round(v)),
        notes: [
          `${events} events, ${store.sessions} sessions; median wall ${(median(times) / 1000).toFixed(2)} s over ${plural(times.length, 'run')}, process start included`,
          ...failNote,
        ],
      },
      {
        id: 'rebuild',
        scenario: 'rebuild peak RSS',
        ...base,
        metric: 'rss_mb',
        value: round(peak),
        display: Number.isNaN(peak) ? 'n/a' : `${peak.toFixed(0)} MB`,
        baselineMs: null,
        ratio: null,
        budget: `<= ${REBUILD_RSS_BUDGET_MB} MB`,
        verdict: failed ? 'FAIL' : verdictOf(peak <= REBUILD_RSS_BUDGET_MB),
        samples: rss.map((v) => round(v)),
        notes: ['max over runs', ...failNote],
      },
      ...floor,
    ];
  });
}
