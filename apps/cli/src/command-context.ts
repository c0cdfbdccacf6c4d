import type { SessionsStore } from '@sessions-db/store';
import type { CliDeps, OpenedStore, StoreLocation } from './cli-deps.js';
import { CliError } from './cli-error.js';
import type { Paint } from './format/colors.js';
import { createPaint, shouldUseColor } from './format/colors.js';
import type { GlobalOptions } from './global-options.js';

/** Everything a command may use while it runs. */
export interface CommandContext {
  readonly deps: CliDeps;
  readonly global: GlobalOptions;
  /** Styles for stdout (colour decided once per run). */
  readonly paint: Paint;
  readonly location: StoreLocation;
  /**
   * The store of this run, opened on first use and released when the command ends.
   *
   * @throws CliError `STORE_UNAVAILABLE` when it cannot be opened.
   */
  openStore(options?: { readonly create?: boolean }): Promise<SessionsStore>;
}

/** A context and the function that releases what it opened. */
export interface ContextHandle {
  readonly context: CommandContext;
  /** Warnings about the store met while the command ran (printed on stderr after it). */
  readonly warnings: readonly string[];
  release(): void;
}

function describeLocation(location: StoreLocation): string {
  if (location.store !== undefined) return ` at ${location.store}`;
  if (location.root !== undefined) return ` under ${location.root}`;
  return '';
}

/** Build the context of one run from its deps and global flags. */
export function createCommandContext(deps: CliDeps, global: GlobalOptions): ContextHandle {
  const location: StoreLocation = { store: global.store, root: global.root };
  const paint = createPaint(
    shouldUseColor({ isTTY: deps.isTTY.stdout, env: deps.env, flag: global.color }),
  );
  let opened: Promise<OpenedStore> | undefined;
  let settled: OpenedStore | undefined;
  const warnings: string[] = [];
  const context: CommandContext = {
    deps,
    global,
    paint,
    location,
    async openStore(options = {}) {
      opened ??= deps.openStore(location, { create: options.create ?? false }).then(
        (value) => {
          settled = value;
          const recovery = value.store.indexRecovery;
          if (recovery !== null)
            warnings.push(
              `warning: the index was moved aside to ${recovery.movedTo} and rebuilt from the log: ${recovery.reason}`,
            );
          return value;
        },
        (error: unknown) => {
          throw new CliError(
            'STORE_UNAVAILABLE',
            `cannot open the store${describeLocation(location)}: ${error instanceof Error ? error.message : String(error)}`,
            { cause: error },
          );
        },
      );
      return (await opened).store;
    },
  };
  return {
    context,
    warnings,
    release() {
      settled?.release();
      settled = undefined;
    },
  };
}
