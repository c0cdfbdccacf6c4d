/** Command-line flags of `pnpm bench` (pure parsing; no IO). */
import type { RunnerMode } from './process/targets.js';

/** Every scenario the harness can run. */
export const SCENARIO_IDS = [
  'hook-new',
  'hook-resume',
  'hook-transcript',
  'find',
  'show',
  'tree',
  'rebuild',
  'hook-rss',
  'concurrent',
  'import',
  'content',
  'browse',
] as const;

/** One scenario. */
export type ScenarioId = (typeof SCENARIO_IDS)[number];

/** Names `--only` accepts besides the scenario ids. */
export const SCENARIO_GROUPS: Readonly<Record<string, readonly ScenarioId[]>> = {
  all: SCENARIO_IDS,
  hook: ['hook-new', 'hook-resume'],
  transcript: ['hook-transcript'],
  read: ['find', 'show', 'tree'],
  cli: ['find', 'show', 'tree', 'browse'],
  rss: ['hook-rss'],
};

/** Parsed flags. */
export interface BenchOptions {
  /** Store sizes (sessions) of the hook scenarios; the largest also serves read, RSS and concurrency. */
  readonly sizes: readonly number[];
  readonly runs: number;
  readonly warmup: number;
  readonly only: readonly ScenarioId[];
  /** Also rebuild a 1M-session store (generated once; slow). */
  readonly with1m: boolean;
  readonly runner: RunnerMode;
  readonly seed: number;
  /** Repetitions of each hooks-at-once burst. */
  readonly rounds: number;
  /** Sessions (transcripts) of the content scenario's generated history. */
  readonly contentSessions: number;
  /** Megabytes of transcript the content scenario generates over those sessions. */
  readonly contentMb: number;
  readonly help: boolean;
}

/** A bad flag or value. */
export class BenchUsageError extends Error {
  readonly code = 'BENCH_USAGE';
}

/** Usage text of the harness. */
export const BENCH_USAGE = `Usage: pnpm bench [flags]

  --sizes 1k,10k,100k   store sizes for the hook scenarios (largest: read, RSS, concurrency, rebuild)
  --runs 7              timed runs per scenario (each in a fresh process), after --warmup runs
  --warmup 1            untimed runs first
  --only a,b            scenarios or groups: ${SCENARIO_IDS.join(', ')};
                        groups: ${Object.keys(SCENARIO_GROUPS).join(', ')}
  --with-1m             also rebuild a 1M-session store (generated once into .bench-data/, slow)
  --skip-1m             never touch the 1M store (default; wins over --with-1m)
  --runner auto         auto (built binary when present, else library runner) | binary | library
  --rounds 3            repetitions of each hooks-at-once burst (32, 32 busy, 64 busy)
  --seed 20250101       generator seed (part of the cache key)
  --content-sessions 2000  transcripts of the content scenario (the budget is stated for 10k)
  --content-mb 400      megabytes of transcript over them (the budget is stated for 2048)
  --help
`;

/**
 * `1k` → 1000, `100k` → 100000, `1m` → 1000000, `2500` → 2500.
 *
 * @throws BenchUsageError on anything else.
 */
export function parseSize(text: string): number {
  const match = /^(\d+(?:\.\d+)?)([km]?)$/i.exec(text.trim());
  if (match === null)
    throw new BenchUsageError(`--sizes: expected sizes like 1k,10k,100k; got "${text}"`);
  const unit = (match[2] ?? '').toLowerCase();
  const value = Number(match[1]) * (unit === 'k' ? 1000 : unit === 'm' ? 1_000_000 : 1);
  if (!Number.isInteger(value) || value < 10) {
    throw new BenchUsageError(`--sizes: a store needs at least 10 whole sessions; got "${text}"`);
  }
  return value;
}

function positiveInt(name: string, text: string | undefined, min: number): number {
  const value = Number(text);
  if (text === undefined || !Number.isInteger(value) || value < min) {
    throw new BenchUsageError(`${name}: expected an integer >= ${min}; got "${text ?? ''}"`);
  }
  return value;
}

function parseOnly(text: string): ScenarioId[] {
  const picked = new Set<ScenarioId>();
  for (const name of text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0)) {
    const group = SCENARIO_GROUPS[name];
    if (group !== undefined) group.forEach((id) => picked.add(id));
    else if ((SCENARIO_IDS as readonly string[]).includes(name)) picked.add(name as ScenarioId);
    else throw new BenchUsageError(`--only: unknown scenario "${name}"`);
  }
  return SCENARIO_IDS.filter((id) => picked.has(id));
}

/**
 * Parse the harness flags (`--flag value` or `--flag=value`).
 *
 * @throws BenchUsageError on an unknown flag or a bad value.
 */
export function parseBenchArgs(argv: readonly string[]): BenchOptions {
  let sizes: number[] = [1000, 10_000, 100_000];
  let runs = 7;
  let warmup = 1;
  let only: ScenarioId[] = [...SCENARIO_IDS];
  let with1m = false;
  let skip1m = false;
  let runner: RunnerMode = 'auto';
  let seed = 20_250_101;
  let rounds = 3;
  let contentSessions = 2000;
  let contentMb = 400;
  let help = false;
  const tokens = argv.flatMap((arg) =>
    arg.startsWith('--') && arg.includes('=')
      ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)]
      : [arg],
  );
  for (let i = 0; i < tokens.length; i += 1) {
    const flag = tokens[i] ?? '';
    const value = (): string => {
      const next = tokens[i + 1];
      if (next === undefined) throw new BenchUsageError(`${flag} needs a value`);
      i += 1;
      return next;
    };
    switch (flag) {
      case '--sizes':
        sizes = [
          ...new Set(
            value()
              .split(',')
              .filter((s) => s.trim() !== '')
              .map(parseSize),
          ),
        ].sort((a, b) => a - b);
        if (sizes.length === 0) throw new BenchUsageError('--sizes: give at least one size');
        break;
      case '--runs':
        runs = positiveInt(flag, value(), 1);
        break;
      case '--warmup':
        warmup = positiveInt(flag, value(), 0);
        break;
      case '--only':
        only = parseOnly(value());
        break;
      case '--with-1m':
        with1m = true;
        break;
      case '--skip-1m':
        skip1m = true;
        break;
      case '--runner': {
        const mode = value();
        if (mode !== 'auto' && mode !== 'binary' && mode !== 'library') {
          throw new BenchUsageError(`--runner: expected auto, binary or library; got "${mode}"`);
        }
        runner = mode;
        break;
      }
      case '--rounds':
        rounds = positiveInt(flag, value(), 1);
        break;
      case '--content-sessions':
        contentSessions = parseSize(value());
        break;
      case '--content-mb':
        contentMb = positiveInt(flag, value(), 1);
        break;
      case '--seed':
        seed = positiveInt(flag, value(), 0);
        break;
      case '--':
        break;
      case '--help':
      case '-h':
        help = true;
        break;
      default:
        throw new BenchUsageError(`unknown flag "${flag}" (see --help)`);
    }
  }
  return {
    sizes,
    runs,
    warmup,
    only,
    with1m: with1m && !skip1m,
    runner,
    seed,
    rounds,
    contentSessions,
    contentMb,
    help,
  };
}
