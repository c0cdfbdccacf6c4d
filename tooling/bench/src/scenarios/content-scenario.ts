/**
 * Scenario 9: content (docs/architecture.md#budgets). A generated Claude Code history of
 * `--content-sessions` transcripts and `--content-mb` megabytes is imported into a fresh store
 * (archived and indexed: MB of transcript per second, peak RSS), then: the archive's size as a
 * share of the transcripts, `search` end to end as a ratio to `node -e 0`, and the index query's
 * own time (in process, through `@sessions-db/content`).
 */
import { randomUUID } from 'node:crypto';
import { readdirSync, rmSync, statSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

import { openContentIndex, searchContent } from '@sessions-db/content';

import {
  ARCHIVE_SHARE_BUDGET,
  IMPORT_MB_PER_S_BUDGET,
  SEARCH_QUERY_MS_BUDGET,
  SEARCH_RATIO_BUDGET,
  verdictOf,
} from '../budgets.js';
import { formatMs } from '../format-text.js';
import { writeTranscript } from '../generate/transcript.js';
import { median, round } from '../stats.js';
import {
  measureInterleaved,
  ratioBudget,
  scratchDir,
  spawnTarget,
  timeBaseline,
  timed,
} from './context.js';
import type { BenchContext, ResultRow } from './context.js';
import { runFloor } from './floor-process.js';

const PROJECTS = ['/home/dev/src/api', '/home/dev/src/web', '/home/dev/src/infra'];
/** Words the generated transcripts use (see generate/vocabulary.ts), searched for. */
const QUERIES = ['billing', 'export job', 'migration*', 'retry OR timeout'];

/** Bytes of every file under `dir`. */
function duBytes(dir: string): number {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    total += entry.isDirectory() ? duBytes(path) : statSync(path).size;
  }
  return total;
}

/** The parts of a content import the floor times (`runners/content-floor.ts`). */
type FloorPart = 'read' | 'deflate' | 'pool' | 'extract' | 'rows' | 'fts' | 'commit';

/** What `runners/content-floor.ts` prints. */
interface FloorReport {
  readonly ok: boolean;
  readonly rows: number;
  readonly wallMs: Readonly<Record<FloorPart, number>>;
  readonly cpuMs: Readonly<Record<FloorPart, number>>;
  readonly cpuFloorMs: number;
  readonly cpuFloorMbPerS: number;
  readonly serialMs: number;
  readonly serialMbPerS: number;
  readonly overlappedMs: number;
  readonly overlappedMbPerS: number;
}

/**
 * The floor of the import on the same transcripts (`runners/content-floor.ts`: read, deflate as
 * the archive does, extract the rows, insert them into an empty content index; nothing else), a
 * row beside the import's MB/s, or a FAIL row saying why it could not be measured.
 */
async function floorRow(
  transcriptsDir: string,
  scratch: string,
  importMbPerS: number,
  base: Pick<ResultRow, 'store'>,
): Promise<ResultRow> {
  const { outcome, report } = await runFloor<FloorReport>(
    'content-floor',
    [transcriptsDir],
    scratch,
    3_600_000,
  );
  const row = {
    id: 'content' as const,
    scenario: 'import floor (read, deflate, extract, insert; nothing else)',
    ...base,
    runner: 'tooling/bench content-floor',
    runnerKind: 'library' as const,
    metric: 'mb_per_s' as const,
    baselineMs: null,
    ratio: null,
    budget: `>= ${IMPORT_MB_PER_S_BUDGET} MB/s (import's)`,
  };
  if (outcome.code !== 0 || report?.ok !== true) {
    return {
      ...row,
      value: Number.NaN,
      display: 'n/a',
      verdict: 'FAIL',
      samples: [],
      notes: [
        `exit ${String(outcome.code)}: ${(outcome.stderr || outcome.stdout).trim().slice(-300)}`,
      ],
    };
  }
  const s = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;
  const parts = (times: Readonly<Record<FloorPart, number>>): string =>
    (['read', 'deflate', 'pool', 'extract', 'rows', 'fts', 'commit'] as const)
      .map((part) => `${part} ${s(times[part])}`)
      .join(', ');
  const best = Math.max(report.overlappedMbPerS, report.cpuFloorMbPerS);
  return {
    ...row,
    value: report.serialMbPerS,
    display: `${report.serialMbPerS.toFixed(1)} MB/s (${s(report.serialMs)})`,
    verdict: 'INFO',
    samples: [report.serialMbPerS, report.overlappedMbPerS, report.cpuFloorMbPerS],
    notes: [
      `wall: ${parts(report.wallMs)} (deflate on one core, counted half; pool: the import's way, on the thread pool, not in the floor; ${String(report.rows)} rows)`,
      `CPU: ${parts(report.cpuMs)}`,
      `overlapped (read + max(deflate, the SQLite side)): ${report.overlappedMbPerS.toFixed(1)} MB/s; the CPU work on two cores at best: ${report.cpuFloorMbPerS.toFixed(1)} MB/s`,
      `the import's throughput is ${Number.isNaN(importMbPerS) ? 'n/a' : `${Math.round((100 * importMbPerS) / report.serialMbPerS)} %`} of the serial floor's (same machine, minutes apart)`,
      ...(best < IMPORT_MB_PER_S_BUDGET
        ? ['even the best-case floor is under the budget: no import into this design can meet it']
        : []),
    ],
  };
}

/** Generate the history, import it once, then measure the archive and search. */
export async function runContentScenario(ctx: BenchContext): Promise<ResultRow[]> {
  const root = scratchDir(ctx, 'content');
  const claudeHome = join(root, 'claude-home');
  const storeDir = join(root, 'store');
  const sessions = ctx.options.contentSessions;
  const perTranscript = Math.max(
    4096,
    Math.floor((ctx.options.contentMb * 1024 * 1024) / sessions),
  );
  try {
    ctx.log(`  writing ${sessions} transcripts of ~${Math.round(perTranscript / 1024)} KB`);
    let bytes = 0;
    for (let i = 0; i < sessions; i += 1) {
      const written = writeTranscript({
        claudeHome,
        cwd: PROJECTS[i % PROJECTS.length] ?? '/home/dev/src/api',
        sessionId: randomUUID(),
        targetBytes: perTranscript,
        seed: i + 1,
        startTime: Date.UTC(2026, 0, 1) + i * 600_000,
      });
      // a history's files were last written when their last record was (the catch-up settles
      // the transcripts of imported sessions by how long they have been left alone)
      utimesSync(written.path, written.lastTime / 1000, written.lastTime / 1000);
      bytes += written.bytes;
    }
    const mb = bytes / 1024 / 1024;
    const history = `${sessions} sessions, ${mb.toFixed(0)} MB`;
    const base = { store: history, runner: ctx.cli.label, runnerKind: ctx.cli.kind };

    ctx.log('  importing (archive + index)');
    const imported = await spawnTarget(
      ctx,
      ctx.cli,
      ['import', '--from', join(claudeHome, 'projects'), '--store', storeDir, '--json'],
      { timeoutMs: 3_600_000, probeMaxRss: true },
    );
    const importFailed = imported.outcome.code !== 0;
    const mbPerS = mb / (imported.outcome.ms / 1000);

    const archiveBytes = duBytes(join(storeDir, 'archive'));
    const share = archiveBytes / bytes;

    ctx.log('  search, end to end and in process');
    const failures: string[] = [];
    const query = QUERIES[0] ?? 'billing';
    /** One CLI run, timed (a failure is noted and still timed). */
    const timeCli = (args: readonly string[]) => async (): Promise<number> => {
      const { outcome } = await spawnTarget(
        ctx,
        ctx.cli,
        [...args, '--store', storeDir, '--json'],
        {
          timeoutMs: 120_000,
        },
      );
      if (outcome.code !== 0) failures.push(outcome.stderr.trim().slice(0, 200));
      return outcome.ms;
    };
    const [baseline, ends] = await measureInterleaved(ctx, [
      () => timeBaseline(ctx),
      timeCli(['search', query]),
    ]);
    const search = timed(ends, baseline);

    ctx.log('  usage, end to end');
    const [usageBaseline, usageRuns] = await measureInterleaved(ctx, [
      () => timeBaseline(ctx),
      timeCli(['usage', '--by', 'task']),
    ]);

    ctx.log('  the import floor');
    const floor = await floorRow(
      join(claudeHome, 'projects'),
      join(root, 'floor'),
      importFailed ? Number.NaN : mbPerS,
      base,
    );

    const index = openContentIndex(join(storeDir, 'sessions-db-content.sqlite'));
    const queryMs: number[] = [];
    let hits = 0;
    try {
      for (let run = 0; run < Math.max(3, ctx.options.runs); run += 1) {
        for (const q of QUERIES) {
          const started = performance.now();
          hits = searchContent(index, q).length;
          queryMs.push(performance.now() - started);
        }
      }
    } finally {
      index.close();
    }
    const queryMedian = median(queryMs);
    const slowest = Math.max(...queryMs);

    return [
      {
        id: 'content',
        scenario: 'import with archive and index',
        ...base,
        metric: 'mb_per_s',
        value: round(mbPerS, 1),
        display: `${mbPerS.toFixed(1)} MB/s (${formatMs(imported.outcome.ms)})`,
        baselineMs: null,
        ratio: null,
        budget: `>= ${IMPORT_MB_PER_S_BUDGET} MB/s`,
        verdict: importFailed ? 'FAIL' : verdictOf(mbPerS >= IMPORT_MB_PER_S_BUDGET),
        samples: [round(imported.outcome.ms)],
        notes: [
          `peak RSS ${imported.maxRssKb === null ? 'n/a' : `${Math.round(imported.maxRssKb / 1024)} MB`}; one run, process start included`,
          ...(importFailed ? [`failed: ${imported.outcome.stderr.trim().slice(0, 200)}`] : []),
        ],
      },
      floor,
      {
        id: 'content',
        scenario: 'archive size / transcripts',
        ...base,
        metric: 'share',
        value: round(share, 3),
        display: `${(share * 100).toFixed(1)} % (${(archiveBytes / 1024 / 1024).toFixed(0)} MB)`,
        baselineMs: null,
        ratio: null,
        budget: `<= ${ARCHIVE_SHARE_BUDGET * 100} %`,
        verdict: verdictOf(share <= ARCHIVE_SHARE_BUDGET),
        samples: [archiveBytes],
        notes: [
          'the generated transcripts are more repetitive than real ones: they compress better',
        ],
      },
      {
        id: 'content',
        scenario: `search "${query}" (end to end)`,
        ...base,
        ...search.fields,
        ...ratioBudget(search.ratio, SEARCH_RATIO_BUDGET, failures.length > 0),
        notes: failures.length > 0 ? [`failed: ${failures[0] ?? ''}`] : [],
      },
      {
        id: 'content',
        scenario: 'usage --by task (end to end)',
        ...base,
        ...timed(usageRuns, usageBaseline).fields,
        budget: 'none (issue 15 asks for the ratio)',
        verdict: failures.length > 0 ? 'FAIL' : 'INFO',
        notes: ['every response of every session deduplicated and priced, then grouped'],
      },
      {
        id: 'content',
        scenario: 'search query in process',
        ...base,
        metric: 'ms',
        value: round(queryMedian, 1),
        display: `${queryMedian.toFixed(1)} ms median, ${slowest.toFixed(1)} ms slowest`,
        baselineMs: null,
        ratio: null,
        budget: `<= ${SEARCH_QUERY_MS_BUDGET} ms`,
        verdict: verdictOf(queryMedian <= SEARCH_QUERY_MS_BUDGET),
        samples: queryMs.map((v) => round(v, 1)),
        notes: [`queries: ${QUERIES.join(' | ')}; last one found ${hits} sessions`],
      },
    ];
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
