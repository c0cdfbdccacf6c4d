/**
 * What a scenario spawns: the built binary when it exists, otherwise this package's library
 * runner in a fresh `node --import tsx` process. Also the `node -e 0` baselines and the peak-RSS
 * probe (a preload that writes `process.resourceUsage().maxRSS` to a file at exit).
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import type { Dirent } from 'node:fs';
import { join } from 'node:path';

import {
  BENCH_DIR,
  CLI_BIN,
  HOOK_BIN,
  REPO_ROOT,
  repoRelative,
  runnerScript,
} from '../bench-paths.js';

/** Which implementation a scenario ran. */
export type RunnerKind = 'binary' | 'library';

/** How the harness picks the runner (`--runner`). */
export type RunnerMode = 'auto' | RunnerKind;

/** One spawnable program. */
export interface Target {
  readonly kind: RunnerKind;
  /** Shown in the results table. */
  readonly label: string;
  readonly nodeFlags: readonly string[];
  readonly script: string;
  readonly cwd: string;
}

/** Environment variable naming the file the peak-RSS probe writes. */
export const MAX_RSS_FILE_ENV = 'BENCH_MAXRSS_FILE';

/** Node flags of a TypeScript runner of this package (workspace sources through tsx). */
export const TSX_FLAGS: readonly string[] = ['--conditions=@sessions-db/source', '--import', 'tsx'];

const MAX_RSS_PROBE =
  'data:text/javascript,import{writeFileSync}from"node:fs";' +
  `process.on("exit",()=>{try{writeFileSync(process.env.${MAX_RSS_FILE_ENV},String(process.resourceUsage().maxRSS))}catch{}});`;

function pick(mode: RunnerMode, binary: string, runner: string): Target {
  const useBinary = mode === 'binary' || (mode === 'auto' && existsSync(binary));
  if (useBinary) {
    return {
      kind: 'binary',
      label: repoRelative(binary),
      nodeFlags: [],
      script: binary,
      cwd: REPO_ROOT,
    };
  }
  return {
    kind: 'library',
    label: `library runner (tsx)`,
    nodeFlags: TSX_FLAGS,
    script: runnerScript(runner),
    cwd: BENCH_DIR,
  };
}

/** The hook: its built `bin` (`apps/hook/dist/...`), or `src/runners/hook.ts`. */
export function hookTarget(mode: RunnerMode): Target {
  return pick(mode, HOOK_BIN, 'hook');
}

/** The CLI: its built `bin` (`apps/cli/dist/bin.cjs`), or `src/runners/cli.ts`. */
export function cliTarget(mode: RunnerMode): Target {
  return pick(mode, CLI_BIN, 'cli');
}

/** `node -e 0`: the process-start floor every timing is compared with. */
export const NODE_BASELINE: Target = {
  kind: 'binary',
  label: 'node -e 0',
  nodeFlags: ['-e', '0'],
  script: '',
  cwd: REPO_ROOT,
};

/** `node --import tsx -e 0`: the start-up floor of the library runners. */
export const TSX_BASELINE: Target = {
  kind: 'library',
  label: 'node --import tsx -e 0',
  nodeFlags: [...TSX_FLAGS, '-e', '0'],
  script: '',
  cwd: BENCH_DIR,
};

/** Arguments of `process.execPath` for `target` (with the peak-RSS probe when asked). */
export function nodeArgs(
  target: Target,
  scriptArgs: readonly string[] = [],
  probeMaxRss = false,
): string[] {
  const probe = probeMaxRss ? ['--import', MAX_RSS_PROBE] : [];
  const script = target.script === '' ? [] : [target.script];
  return [...probe, ...target.nodeFlags, ...script, ...scriptArgs];
}

/**
 * The parent environment without anything that would point a child at a real store or a real
 * Claude home (`SESSIONS_DB_*`, `DRUUMEN_*`, `CLAUDE_*`), with colour off, plus `extra`.
 */
export function isolatedEnv(extra: Readonly<Record<string, string>> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (/^(SESSIONS_DB_|DRUUMEN_|CLAUDE_)/.test(key)) continue;
    env[key] = value;
  }
  env['NO_COLOR'] = '1';
  return { ...env, ...extra };
}

/** Newest modification time (epoch ms) of the non-test sources under `dir`; 0 when none. */
function newestSourceMtime(dir: string): number {
  let newest = 0;
  let entries: Dirent[];
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return 0;
  }
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSourceMtime(path));
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts')) {
      newest = Math.max(newest, statSync(path).mtimeMs);
    }
  }
  return newest;
}

/**
 * A warning when a binary target is older than the workspace sources it bundles (its numbers
 * would describe old code, and an index layout it does not know would be rebuilt on its path).
 */
export function staleBinaryWarning(target: Target): string | null {
  if (target.kind !== 'binary' || !existsSync(target.script)) return null;
  const built = statSync(target.script).mtimeMs;
  const packages = join(REPO_ROOT, 'packages');
  const app = join(target.script, '..', '..', 'src');
  const dirs = [app, ...readdirSync(packages).map((name) => join(packages, name, 'src'))];
  const newest = Math.max(...dirs.map(newestSourceMtime));
  if (newest <= built) return null;
  const minutes = Math.round((newest - built) / 60_000);
  return `${target.label} is older than the sources it bundles (by ${minutes} min): rebuild it for current numbers`;
}
