import type * as CliProgress from 'cli-progress';
import type { CommandContext } from './command-context.js';

/** A progress indicator; every method is a no-op when progress is not shown. */
export interface Progress {
  update(done: number, total: number): void;
  stop(): void;
}

const NO_PROGRESS: Progress = { update: () => undefined, stop: () => undefined };

/**
 * A progress bar on stderr when it is a terminal (and `--quiet` is off); otherwise nothing.
 * cli-progress is loaded only when a bar is drawn.
 */
export async function startProgress(context: CommandContext, label: string): Promise<Progress> {
  const stream = context.deps.progressStream;
  if (stream === undefined || !context.deps.isTTY.stderr || context.global.quiet)
    return NO_PROGRESS;
  // A CommonJS module: its exports are the default export once bundled, named exports in Node too.
  const loaded = (await import('cli-progress')) as typeof CliProgress & {
    default?: typeof CliProgress;
  };
  const { SingleBar, Presets } = loaded.default ?? loaded;
  const bar = new SingleBar(
    {
      stream,
      format: `${label} [{bar}] {value}/{total}`,
      hideCursor: true,
      clearOnComplete: true,
      etaBuffer: 50,
      fps: 10,
    },
    Presets.shades_classic,
  );
  let started = false;
  return {
    update(done, total) {
      if (!started) {
        bar.start(total, done);
        started = true;
      } else {
        bar.setTotal(total);
        bar.update(done);
      }
    },
    stop() {
      if (started) bar.stop();
      started = false;
    },
  };
}
