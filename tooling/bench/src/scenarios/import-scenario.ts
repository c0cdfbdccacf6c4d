/**
 * Scenario 8: `sessions-db import` of a generated Claude Code history (many transcripts of
 * realistic sizes across a few projects) into a fresh store, without archiving or content
 * indexing (`SESSIONS_DB_ARCHIVE=0`; the content scenario measures those): the first run, timed
 * {@link importRuns} times, each into a new store (the median against the budget, the highest
 * peak RSS), and a second, idempotent run into the last store that records nothing.
 */
import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { join } from 'node:path';

import { writeTranscript } from '../generate/transcript.js';
import { formatMs, plural } from '../format-text.js';
import { median, round } from '../stats.js';
import { IMPORT_TRANSCRIPTS_PER_S_BUDGET, verdictOf } from '../budgets.js';
import { isolatedEnv } from '../process/targets.js';
import { scratchDir, spawnTarget } from './context.js';
import type { BenchContext, ResultRow, Spawned } from './context.js';

/** How many transcripts the generated history holds, and their sizes. */
const TRANSCRIPTS = 1000;
const SMALL_BYTES = 40 * 1024;
const LARGE_BYTES = 5 * 1024 * 1024;
/** Every this many transcripts, one is large. */
const LARGE_EVERY = 100;
/** Fresh imports timed per bench run at most: one import is ~1–2 s, and one sample is noise. */
const MAX_IMPORT_RUNS = 5;

/** How many fresh imports a bench run times: `--runs`, at most {@link MAX_IMPORT_RUNS}. */
function importRuns(runs: number): number {
  return Math.max(1, Math.min(MAX_IMPORT_RUNS, Math.floor(runs)));
}

const PROJECTS = [
  '/home/dev/src/api',
  '/home/dev/src/web',
  '/home/dev/src/infra',
  '/home/dev/src/docs',
];

interface ImportSummary {
  readonly ok?: unknown;
  readonly counts?: { readonly sessions_new?: number; readonly already_known?: number };
}

function summaryOf(stdout: string): ImportSummary {
  try {
    return JSON.parse(stdout) as ImportSummary;
  } catch {
    return {};
  }
}

/** Generate the history once, then import it twice into a fresh store. */
export async function runImportScenario(ctx: BenchContext): Promise<ResultRow[]> {
  const root = scratchDir(ctx, 'import');
  const claudeHome = join(root, 'claude-home');
  const storeDir = join(root, 'store');
  try {
    ctx.log(`  writing ${TRANSCRIPTS} transcripts`);
    let bytes = 0;
    for (let i = 0; i < TRANSCRIPTS; i += 1) {
      const written = writeTranscript({
        claudeHome,
        cwd: PROJECTS[i % PROJECTS.length] ?? '/home/dev/src/api',
        sessionId: randomUUID(),
        targetBytes: i % LARGE_EVERY === 0 ? LARGE_BYTES : SMALL_BYTES,
        seed: i + 1,
        startTime: Date.UTC(2026, 0, 1) + i * 3_600_000,
      });
      bytes += written.bytes;
    }
    const args = ['import', '--from', join(claudeHome, 'projects'), '--store', storeDir, '--json'];
    const env = isolatedEnv({ HOME: ctx.workspace.home, SESSIONS_DB_ARCHIVE: '0' });
    const firsts: Spawned[] = [];
    for (let run = 0; run < importRuns(ctx.options.runs); run += 1) {
      rmSync(storeDir, { recursive: true, force: true });
      firsts.push(
        await spawnTarget(ctx, ctx.cli, args, { env, timeoutMs: 600_000, probeMaxRss: true }),
      );
    }
    const [first] = firsts;
    if (first === undefined) throw new Error('import scenario: no run');
    const second = await spawnTarget(ctx, ctx.cli, args, { env, timeoutMs: 600_000 });
    const failedRun = firsts.find((run) => run.outcome.code !== 0) ?? second;
    const firstSummary = summaryOf(first.outcome.stdout);
    const secondSummary = summaryOf(second.outcome.stdout);
    const failed = firsts.some((run) => run.outcome.code !== 0) || second.outcome.code !== 0;
    const samples = firsts.map((run) => round(run.outcome.ms));
    const ms = median(samples);
    const perSecond = TRANSCRIPTS / (ms / 1000);
    const peaks = firsts.flatMap((run) => (run.maxRssKb === null ? [] : [run.maxRssKb]));
    const peakRss = peaks.length === 0 ? 'n/a' : `${Math.round(Math.max(...peaks) / 1024)} MB`;
    const history = `${TRANSCRIPTS} transcripts, ${(bytes / 1024 / 1024).toFixed(0)} MB`;
    const base = {
      store: history,
      runner: ctx.cli.label,
      runnerKind: ctx.cli.kind,
      baselineMs: null,
      ratio: null,
    };
    const failure = failed
      ? [`failed: ${(failedRun.outcome.stderr || failedRun.outcome.stdout).trim().slice(0, 200)}`]
      : [];
    return [
      {
        id: 'import',
        scenario: 'import, first run',
        ...base,
        metric: 'ms',
        value: round(ms),
        display: `${formatMs(ms)} (${Math.round(perSecond)} transcripts/s)`,
        budget: `>= ${IMPORT_TRANSCRIPTS_PER_S_BUDGET} transcripts/s`,
        verdict: failed ? 'FAIL' : verdictOf(perSecond >= IMPORT_TRANSCRIPTS_PER_S_BUDGET),
        samples,
        notes: [
          `${plural(firstSummary.counts?.sessions_new ?? 0, 'session')} new; peak RSS ${peakRss}; median of ${plural(samples.length, 'fresh import')} (${samples.map((sample) => formatMs(sample)).join(', ')}), process start included, SESSIONS_DB_ARCHIVE=0`,
          ...failure,
        ],
      },
      {
        id: 'import',
        scenario: 'import, second run (nothing new)',
        ...base,
        metric: 'ms',
        value: round(second.outcome.ms),
        display: formatMs(second.outcome.ms),
        budget: '(no budget)',
        verdict: failed ? 'FAIL' : 'INFO',
        samples: [round(second.outcome.ms)],
        notes: [
          `${secondSummary.counts?.already_known ?? 0} transcripts already known, nothing written`,
        ],
      },
    ];
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
