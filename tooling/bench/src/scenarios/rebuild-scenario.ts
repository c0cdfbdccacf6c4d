/**
 * Scenario 5: `rebuild` of a whole store (index and `sessions-db.json`) in a fresh process on a
 * copy of the store: throughput in events per second of wall time (process start included) and
 * the child's peak RSS.
 */
import { rmSync } from 'node:fs';

import { REBUILD_EVENTS_PER_S_BUDGET, REBUILD_RSS_BUDGET_MB, verdictOf } from '../budgets.js';
import { copyStore } from '../generate/store-cache.js';
import type { CachedStore } from '../generate/store-cache.js';
import { plural } from '../format-text.js';
import { median, round } from '../stats.js';
import { rowBase, scratchDir, spawnTarget } from './context.js';
import type { BenchContext, ResultRow } from './context.js';

/** Rebuild `store` `runs` times; two rows: throughput and peak RSS. */
export async function runRebuildScenario(
  ctx: BenchContext,
  store: CachedStore,
  runs: number,
): Promise<ResultRow[]> {
  ctx.log(`  copying the ${store.label} store`);
  const dir = copyStore(store, scratchDir(ctx, `rebuild-${store.label}`));
  try {
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
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
