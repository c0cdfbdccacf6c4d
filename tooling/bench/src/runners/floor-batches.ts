/**
 * What the content floors (`content-floor.ts`, `writer-cap.ts`) share: listing and reading the
 * transcripts in the import's batches, and timing each part of the work (wall and CPU).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

/** Every `*.jsonl` under `dir`, in directory order. */
export function listTranscripts(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...listTranscripts(path));
    else if (entry.name.endsWith('.jsonl')) out.push(path);
  }
  return out;
}

/** One batch of transcripts read whole. */
export interface ReadBatch {
  readonly batch: { readonly path: string; readonly bytes: Buffer }[];
  readonly bytes: number;
  /** The index in `files` of the first transcript after the batch. */
  readonly next: number;
}

/**
 * Reads `files` from index `from` until the batch holds `maxBytes` bytes or `maxFiles` files
 * (the import's batch: 32 MB of transcript or 256 files).
 */
export function readBatch(
  files: readonly string[],
  from: number,
  maxBytes: number,
  maxFiles = Number.POSITIVE_INFINITY,
): ReadBatch {
  const batch: { path: string; bytes: Buffer }[] = [];
  let bytes = 0;
  let next = from;
  while (next < files.length && batch.length < maxFiles && bytes < maxBytes) {
    const path = files[next] as string;
    next += 1;
    const read = readFileSync(path);
    batch.push({ path, bytes: read });
    bytes += read.length;
  }
  return { batch, bytes, next };
}

/** CPU time of this process (every thread), in milliseconds. */
function cpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

/**
 * How long this thread has waited for a core (run-queue wait, `/proc/thread-self/schedstat`'s
 * second field), in milliseconds; 0 where that is not readable (not Linux).
 */
function runQueueMs(): number {
  try {
    const fields = readFileSync('/proc/thread-self/schedstat', 'utf8').split(' ');
    return Number(fields[1]) / 1e6;
  } catch {
    return 0;
  }
}

/** Wall and CPU milliseconds spent in each part, added up by {@link PartTimer.stop}. */
export interface PartTimer<P extends string> {
  readonly wallMs: Record<P, number>;
  readonly cpuMs: Record<P, number>;
  /**
   * Of each part's wall time, how long this thread waited for a core (other processes' load):
   * wall minus this is what the part would take on a machine of its own.
   */
  readonly runQueueMs: Record<P, number>;
  /** Starts timing (one part at a time). */
  start(): void;
  /** Adds the time since the last `start` to `part`. */
  stop(part: P): void;
}

/** A {@link PartTimer} of `parts`, each at zero. */
export function partTimer<P extends string>(parts: readonly P[]): PartTimer<P> {
  const zero = (): Record<P, number> =>
    Object.fromEntries(parts.map((part) => [part, 0])) as Record<P, number>;
  const wallMs = zero();
  const cpu = zero();
  const waited = zero();
  let started = 0;
  let cpuStarted = 0;
  let waitStarted = 0;
  return {
    wallMs,
    cpuMs: cpu,
    runQueueMs: waited,
    start() {
      started = performance.now();
      cpuStarted = cpuMs();
      waitStarted = runQueueMs();
    },
    stop(part) {
      wallMs[part] += performance.now() - started;
      cpu[part] += cpuMs() - cpuStarted;
      waited[part] += runQueueMs() - waitStarted;
    },
  };
}

/** `times` rounded to whole milliseconds. */
export function roundedMs<P extends string>(times: Record<P, number>): Record<P, number> {
  return Object.fromEntries(
    Object.entries<number>(times).map(([k, v]) => [k, Math.round(v)]),
  ) as Record<P, number>;
}
