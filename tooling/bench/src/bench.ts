/**
 * `pnpm bench`: generate (or reuse) stores, run every selected scenario in fresh processes,
 * print a Markdown table against the budgets of docs/architecture.md#budgets, and write `results/latest.json` and
 * `results/latest.md`. Measures; never asserts.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';

import { BENCH_USAGE, BenchUsageError, parseBenchArgs } from './bench-options.js';
import type { BenchOptions, ScenarioId } from './bench-options.js';
import { CLI_BIN, HOOK_BIN, RESULTS_DIR } from './bench-paths.js';
import { formatJson } from './format-json.js';
import { ensureStore } from './generate/store-cache.js';
import type { CachedStore } from './generate/store-cache.js';
import { killLiveChildren } from './process/run-process.js';
import { cliTarget, hookTarget, staleBinaryWarning, TSX_BASELINE } from './process/targets.js';
import { renderResultsMarkdown, renderResultsTable, shownVerdict } from './render-results.js';
import type { BenchResults } from './render-results.js';
import { spawnTarget } from './scenarios/context.js';
import type { BenchContext, ResultRow } from './scenarios/context.js';
import {
  BURST_VARIANTS,
  runConcurrentScenario,
  runHookRssScenario,
  runHookScenario,
  runTranscriptScenario,
} from './scenarios/hook-scenarios.js';
import { runBrowseScenario } from './scenarios/browse-scenario.js';
import { runContentScenario } from './scenarios/content-scenario.js';
import { runReadScenarios } from './scenarios/read-scenarios.js';
import type { ReadCommand } from './scenarios/read-scenarios.js';
import { runImportScenario } from './scenarios/import-scenario.js';
import { runRebuildScenario } from './scenarios/rebuild-scenario.js';
import { median, round } from './stats.js';
import { createWorkspace, removeWorkspace } from './workspace.js';

const ONE_MILLION = 1_000_000;

function log(message: string): void {
  process.stderr.write(`${message}\n`);
}

function has(options: BenchOptions, ...ids: ScenarioId[]): boolean {
  return ids.some((id) => options.only.includes(id));
}

/** Run the selected scenarios in a fixed order (cheap ones first). */
async function runScenarios(
  ctx: BenchContext,
  stores: ReadonlyMap<number, CachedStore>,
): Promise<ResultRow[]> {
  const { options } = ctx;
  const rows: ResultRow[] = [];
  const add = (...added: ResultRow[]): void => {
    for (const row of added) {
      rows.push(row);
      log(
        `  => ${row.scenario} [${row.store}]: ${row.display}${row.ratio === null ? '' : ` (${row.ratio.toFixed(2)}x)`} ${shownVerdict(row)}`,
      );
    }
  };
  const store = (size: number): CachedStore => {
    const found = stores.get(size);
    if (found === undefined) throw new Error(`store of ${size} sessions was not prepared`);
    return found;
  };
  const smallest = options.sizes[0] ?? 1000;
  const largest = options.sizes[options.sizes.length - 1] ?? 1000;

  for (const kind of ['new', 'resume'] as const) {
    if (!has(options, kind === 'new' ? 'hook-new' : 'hook-resume')) continue;
    for (const size of options.sizes) {
      log(`hook, ${kind} session, ${store(size).label} sessions`);
      add(await runHookScenario(ctx, kind, store(size)));
    }
  }
  if (has(options, 'hook-transcript')) {
    log(`hook, 50 KB vs 50 MB transcript, ${store(smallest).label} sessions`);
    add(...(await runTranscriptScenario(ctx, store(smallest))));
  }
  const reads = (['find', 'show', 'tree'] as const).filter((id) => has(options, id));
  if (reads.length > 0) {
    log(`read commands (${reads.join(', ')}), ${store(largest).label} sessions`);
    add(...(await runReadScenarios(ctx, store(largest), reads as ReadCommand[])));
  }
  if (has(options, 'browse')) {
    log(`browse first screen, ${store(largest).label} sessions`);
    add(await runBrowseScenario(ctx, store(largest)));
  }
  if (has(options, 'hook-rss')) {
    log(`hook peak RSS, ${store(largest).label} sessions`);
    add(...(await runHookRssScenario(ctx, store(largest))));
  }
  if (has(options, 'concurrent')) {
    for (const variant of BURST_VARIANTS) {
      const busy = variant.hogs > 0 ? `, ${variant.hogs} CPU hogs beside` : '';
      log(`${variant.writers} hooks at once${busy}, ${store(largest).label} sessions`);
      add(await runConcurrentScenario(ctx, store(largest), variant));
    }
  }
  if (has(options, 'content')) {
    log(
      `content: import, archive, search over ${options.contentSessions} sessions / ${options.contentMb} MB`,
    );
    add(...(await runContentScenario(ctx)));
  }
  if (has(options, 'import')) {
    log('import of a generated Claude Code history');
    add(...(await runImportScenario(ctx)));
  }
  if (has(options, 'rebuild')) {
    log(`rebuild, ${store(largest).label} sessions`);
    add(...(await runRebuildScenario(ctx, store(largest), Math.min(3, options.runs))));
    if (options.with1m && largest !== ONE_MILLION) {
      log('rebuild, 1M sessions');
      add(...(await runRebuildScenario(ctx, store(ONE_MILLION), 1)));
    }
  }
  return rows;
}

/** The store sizes the selected scenarios need. */
function neededSizes(options: BenchOptions): number[] {
  const sizes = new Set<number>();
  const largest = options.sizes[options.sizes.length - 1];
  const smallest = options.sizes[0];
  if (has(options, 'hook-new', 'hook-resume')) options.sizes.forEach((s) => sizes.add(s));
  if (has(options, 'hook-transcript') && smallest !== undefined) sizes.add(smallest);
  if (
    has(options, 'find', 'show', 'tree', 'browse', 'hook-rss', 'concurrent', 'rebuild') &&
    largest !== undefined
  )
    sizes.add(largest);
  if (has(options, 'rebuild') && options.with1m) sizes.add(ONE_MILLION);
  return [...sizes].sort((a, b) => a - b);
}

async function main(argv: readonly string[]): Promise<number> {
  let options: BenchOptions;
  try {
    options = parseBenchArgs(argv);
  } catch (error) {
    if (error instanceof BenchUsageError) {
      log(`error: ${error.message}`);
      return 2;
    }
    throw error;
  }
  if (options.help) {
    process.stdout.write(BENCH_USAGE);
    return 0;
  }
  if (options.runner === 'binary') {
    const missing = [HOOK_BIN, CLI_BIN].filter((bin) => !existsSync(bin));
    if (missing.length > 0) {
      log(
        `error: --runner binary, but not built: ${missing.join(', ')} (node apps/hook/build.mjs, node apps/cli/build.mjs)`,
      );
      return 2;
    }
  }
  const startedAt = Date.now();
  const loadStart = loadavg()[0] ?? 0;
  // Stores first, before any signal handler: generation is synchronous, and Ctrl-C must still
  // stop it at once (an entry without its manifest is regenerated next time).
  const stores = new Map<number, CachedStore>();
  for (const size of neededSizes(options)) {
    stores.set(size, await ensureStore(size, { seed: options.seed, log }));
  }
  const workspace = await createWorkspace();
  const interrupt = (): void => {
    killLiveChildren();
    removeWorkspace(workspace);
    process.exit(130);
  };
  process.once('SIGINT', interrupt);
  process.once('SIGTERM', interrupt);
  try {
    const ctx: BenchContext = {
      options,
      workspace,
      hook: hookTarget(options.runner),
      cli: cliTarget(options.runner),
      log,
      baselineSamples: [],
    };
    const noGit = workspace.git ? '' : ' (no git: the hook cwd is not a repository)';
    log(`runners: hook = ${ctx.hook.label}; cli = ${ctx.cli.label}${noGit}`);
    const warnings = [ctx.hook, ctx.cli]
      .map(staleBinaryWarning)
      .filter((w): w is string => w !== null);
    for (const warning of warnings) log(`warning: ${warning}`);

    const rows = await runScenarios(ctx, stores);

    let tsxStartupMs: number | null = null;
    if (ctx.hook.kind === 'library' || ctx.cli.kind === 'library') {
      const samples: number[] = [];
      for (let i = 0; i < options.runs; i += 1)
        samples.push((await spawnTarget(ctx, TSX_BASELINE, [])).outcome.ms);
      tsxStartupMs = round(median(samples));
    }
    const cpuList = cpus();
    const results: BenchResults = {
      generatedAt: new Date().toISOString(),
      durationS: round((Date.now() - startedAt) / 1000),
      machine: {
        cpus: cpuList.length,
        cpuModel: cpuList[0]?.model.trim() ?? 'unknown',
        memoryGb: round(totalmem() / 1024 ** 3),
        node: process.version,
        platform: `${process.platform}-${process.arch}`,
        loadStart: round(loadStart, 2),
        loadEnd: round(loadavg()[0] ?? 0, 2),
      },
      runs: options.runs,
      warmup: options.warmup,
      runners: { hook: ctx.hook.label, cli: ctx.cli.label },
      nodeStartupMs: ctx.baselineSamples.length > 0 ? round(median(ctx.baselineSamples)) : null,
      tsxStartupMs,
      stores: [...stores.values()].map((s) => ({
        label: s.label,
        sessions: s.sessions,
        events: s.manifest.events,
        logMb: round(s.manifest.bytes / 1e6),
      })),
      warnings,
      rows,
    };
    const markdown = renderResultsMarkdown(results);
    mkdirSync(RESULTS_DIR, { recursive: true });
    writeFileSync(join(RESULTS_DIR, 'latest.json'), formatJson(results));
    writeFileSync(join(RESULTS_DIR, 'latest.md'), markdown);
    process.stdout.write(`\n${renderResultsTable(rows)}\n\n`);
    log(`wrote ${join(RESULTS_DIR, 'latest.md')} and latest.json`);
    return 0;
  } finally {
    process.off('SIGINT', interrupt);
    process.off('SIGTERM', interrupt);
    killLiveChildren();
    removeWorkspace(workspace);
  }
}

process.exitCode = await main(process.argv.slice(2));
