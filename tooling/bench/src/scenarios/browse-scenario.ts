/**
 * Scenario: `browse`'s first screen at 100k sessions — the built CLI started in a pseudo-terminal
 * (`script(1)`), timed from the spawn until its first frame (the footer's `q quit`) reaches the
 * terminal; `q` then ends it. Binary only: Ink is loaded through the launcher of the built CLI.
 * Each run is paired with a baseline in the same pseudo-terminal: `node -e` writing that footer
 * (script(1), the shell and Node starting), so a loaded machine shows in both.
 */
import { spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';

import { CLI_BIN } from '../bench-paths.js';
import { BROWSE_FIRST_SCREEN_MS_BUDGET, verdictOf } from '../budgets.js';
import { formatMs } from '../format-text.js';
import type { CachedStore } from '../generate/store-cache.js';
import { median, round } from '../stats.js';
import { withStoreCopy } from './context.js';
import type { BenchContext, ResultRow } from './context.js';

const quote = (text: string): string => `'${text.replace(/'/g, `'\\''`)}'`;

/** Control sequences (colours, cursor, modes): the text of the screen is what is left. */
// eslint-disable-next-line no-control-regex
const CSI = /\u001b\[[0-9;?]*[A-Za-z]/g;

/** What the first frame ends with: the footer's last key hint. */
const FIRST_FRAME = 'q quit';

/** `browse` on the store in `storeDir`. */
const browseArgv = (storeDir: string): string[] => [
  process.execPath,
  CLI_BIN,
  '--store',
  storeDir,
  'browse',
];

/** The baseline: Node started in the same way, writing the footer's last words at once. */
const BASELINE_ARGV = [
  process.execPath,
  '-e',
  `process.stdout.write(${JSON.stringify(FIRST_FRAME)})`,
];

/** One start of `argv` in a pseudo-terminal: ms until its first frame, or an error text. */
function firstScreen(argv: readonly string[], home: string): Promise<number | string> {
  // A pseudo-terminal of script(1) has no size until one is set: 120×30, as a terminal would say.
  const command = `stty cols 120 rows 30; ${argv.map(quote).join(' ')}`;
  return new Promise((resolve) => {
    const started = performance.now();
    const child = spawn('script', ['-qfec', command, '/dev/null'], {
      stdio: ['pipe', 'pipe', 'pipe'],
      env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: home, TERM: 'xterm-256color' },
    });
    let output = '';
    let firstMs: number | undefined;
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.stdout.on('data', (chunk: Buffer) => {
      if (firstMs !== undefined) return;
      output += chunk.toString('utf8');
      if (output.replace(CSI, '').includes(FIRST_FRAME)) {
        firstMs = performance.now() - started;
        child.stdin.write('q');
      }
    });
    child.once('error', (error) => {
      clearTimeout(timer);
      resolve(`script(1) not started: ${error.message}`);
    });
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve(
        firstMs ??
          `exit ${String(code)} before the first frame: ${output.replace(/\s+/g, ' ').slice(-200)}`,
      );
    });
  });
}

/** Time `browse`'s first screen against a copy of `store`. */
export async function runBrowseScenario(ctx: BenchContext, store: CachedStore): Promise<ResultRow> {
  return withStoreCopy(ctx, store, `browse-${store.label}`, async (dir) => {
    const samples: number[] = [];
    const baseline: number[] = [];
    const failures: string[] = [];
    // One start first, so the V8 code cache of the CLI exists, as it does after any first run.
    await firstScreen(browseArgv(dir), ctx.workspace.home);
    for (let i = 0; i < ctx.options.runs; i += 1) {
      const base = await firstScreen(BASELINE_ARGV, ctx.workspace.home);
      if (typeof base === 'number') baseline.push(base);
      const result = await firstScreen(browseArgv(dir), ctx.workspace.home);
      if (typeof result === 'number') samples.push(result);
      else failures.push(result);
    }
    const value = median(samples);
    const baselineMs = baseline.length > 0 ? median(baseline) : null;
    return {
      id: 'browse',
      scenario: 'browse, first screen',
      store: store.label,
      runner: 'binary (script pty)',
      runnerKind: 'binary',
      metric: 'ms',
      value: round(value),
      display: formatMs(value),
      baselineMs: baselineMs === null ? null : round(baselineMs),
      ratio: baselineMs === null ? null : round(value / baselineMs, 2),
      budget: `<= ${BROWSE_FIRST_SCREEN_MS_BUDGET} ms`,
      verdict:
        failures.length > 0 || samples.length === 0
          ? 'FAIL'
          : verdictOf(value <= BROWSE_FIRST_SCREEN_MS_BUDGET),
      samples: samples.map((v) => round(v)),
      notes:
        failures.length > 0
          ? [`${failures.length} runs failed; first: ${failures[0] ?? ''}`]
          : [
              'spawn to the first frame on the terminal (a screenful of rows queried and drawn; ' +
                'the 500-row list and Ink come after it); baseline: node -e writing the footer ' +
                'in the same pseudo-terminal',
            ],
    };
  });
}
