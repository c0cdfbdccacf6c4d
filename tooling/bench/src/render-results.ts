/**
 * Render benchmark results as Markdown (pure): a header naming the machine and the run, an
 * aligned table (already in Prettier's layout), and notes per row.
 */
import { plural } from './format-text.js';
import type { ResultRow } from './scenarios/context.js';

/** The machine a run was measured on. */
export interface MachineInfo {
  readonly cpus: number;
  readonly cpuModel: string;
  readonly memoryGb: number;
  readonly node: string;
  readonly platform: string;
  /** 1-minute load average at the start and the end of the run. */
  readonly loadStart: number;
  readonly loadEnd: number;
}

/** A cached store a run used. */
export interface StoreInfo {
  readonly label: string;
  readonly sessions: number;
  readonly events: number;
  readonly logMb: number;
}

/** Everything a run produced (also the shape of `results/latest.json`). */
export interface BenchResults {
  readonly generatedAt: string;
  readonly durationS: number;
  readonly machine: MachineInfo;
  readonly runs: number;
  readonly warmup: number;
  readonly runners: { readonly hook: string; readonly cli: string };
  /** Median `node -e 0` over every baseline sample of the run (ms). */
  readonly nodeStartupMs: number | null;
  /** Median `node --import tsx -e 0` (ms), measured when a library runner was used. */
  readonly tsxStartupMs: number | null;
  readonly stores: readonly StoreInfo[];
  /** Things that make the numbers less trustworthy (e.g. a binary older than its sources). */
  readonly warnings: readonly string[];
  readonly rows: readonly ResultRow[];
}

type Align = 'left' | 'right';

function cell(text: string): string {
  return text.replace(/\|/g, '\\|');
}

/**
 * A Markdown table padded the way Prettier pads it (ASCII content assumed).
 */
export function renderTable(
  headers: readonly string[],
  rows: readonly (readonly string[])[],
  align: readonly Align[],
): string {
  const cells = [headers, ...rows].map((row) => headers.map((_, i) => cell(row[i] ?? '')));
  const widths = headers.map((_, i) => Math.max(3, ...cells.map((row) => row[i]!.length)));
  const line = (row: readonly string[]): string =>
    `| ${row.map((text, i) => (align[i] === 'right' ? text.padStart(widths[i]!) : text.padEnd(widths[i]!))).join(' | ')} |`;
  const rule = `| ${widths.map((w, i) => (align[i] === 'right' ? `${'-'.repeat(w - 1)}:` : '-'.repeat(w))).join(' | ')} |`;
  const [head, ...body] = cells;
  return [line(head ?? []), rule, ...body.map(line)].join('\n');
}

/** The verdict as shown: library-runner rows that include its start-up are marked `(lib)`. */
export function shownVerdict(row: ResultRow): string {
  return row.runnerKind === 'library' && row.metric !== 'delta_ms'
    ? `${row.verdict} (lib)`
    : row.verdict;
}

/** The results table alone. */
export function renderResultsTable(rows: readonly ResultRow[]): string {
  return renderTable(
    [
      'Scenario',
      'Store',
      'Runner',
      'Result',
      'node -e 0',
      'Ratio',
      'Budget (docs/architecture.md)',
      'Verdict',
    ],
    rows.map((row) => [
      row.scenario,
      row.store,
      row.runner,
      row.display,
      row.baselineMs === null ? '' : `${row.baselineMs.toFixed(1)} ms`,
      row.ratio === null ? '' : `${row.ratio.toFixed(2)}x`,
      row.budget,
      shownVerdict(row),
    ]),
    ['left', 'right', 'left', 'right', 'right', 'right', 'left', 'left'],
  );
}

/** The whole `latest.md`. */
export function renderResultsMarkdown(results: BenchResults): string {
  const m = results.machine;
  const lines: string[] = [
    '# Benchmark results',
    '',
    `Run at ${results.generatedAt} (${results.durationS.toFixed(0)} s): ${m.cpus} CPUs (${m.cpuModel}), ` +
      `${m.memoryGb.toFixed(0)} GB RAM, Node ${m.node}, ${m.platform}; 1-minute load average ` +
      `${m.loadStart.toFixed(1)} at the start, ${m.loadEnd.toFixed(1)} at the end.`,
    '',
    `Each timing is the median of ${plural(results.runs, 'run')} after ${plural(results.warmup, 'warm-up run')}, every run a fresh ` +
      'process; `node -e 0` is measured interleaved with each scenario and the ratio is against that median.',
    '',
    `Runners: hook = ${results.runners.hook}; CLI = ${results.runners.cli}.`,
    '',
    ...results.warnings.flatMap((warning) => [`Warning: ${warning}.`, '']),
    renderResultsTable(results.rows),
    '',
    'Notes:',
    '',
  ];
  for (const row of results.rows) {
    if (row.notes.length > 0)
      lines.push(`- ${row.scenario} (${row.store}): ${row.notes.join('; ')}.`);
  }
  if (results.rows.some((row) => row.runnerKind === 'library')) {
    lines.push(
      '- (lib): measured through the library runner (`node --import tsx src/runners/...`), which adds tsx ' +
        `start-up and on-the-fly TypeScript compilation (\`node --import tsx -e 0\`: ${results.tsxStartupMs === null ? 'n/a' : `${results.tsxStartupMs.toFixed(0)} ms`}` +
        `, \`node -e 0\`: ${results.nodeStartupMs === null ? 'n/a' : `${results.nodeStartupMs.toFixed(0)} ms`}); ` +
        'its ratios are not comparable with the budgets, which apply to the built binaries.',
    );
  }
  lines.push('', 'Stores (generated, one year of activity):', '');
  for (const store of results.stores) {
    lines.push(
      `- ${store.label}: ${store.sessions} sessions, ${store.events} events, ${store.logMb.toFixed(0)} MB log`,
    );
  }
  return `${lines.join('\n')}\n`;
}
