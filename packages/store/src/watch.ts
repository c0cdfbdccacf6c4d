import { statSync, watch } from 'node:fs';
import type { FSWatcher } from 'node:fs';
import { basename } from 'node:path';

import type { StorePaths } from './types.js';

/** A change notification of `watchStore`. */
export interface StoreChange {
  /** `change`: the OS watcher saw the log change; `poll`: the periodic check did. */
  readonly type: 'change' | 'poll';
  /** The events log path. */
  readonly path: string;
}

/** Options of `watchStore`. */
export interface WatchOptions {
  /** Coalesce bursts of signals into one call (ms, default 80). */
  readonly debounceMs?: number;
  /** Fallback poll interval (ms, default 1000, must be > 0). */
  readonly pollIntervalMs?: number;
}

/**
 * Watch a store for new events: an OS watcher on the store directory (filtered to the log) plus a
 * poll of the log's size and mtime, debounced. The listener is not awaited and its exceptions are
 * swallowed. Returns a handle whose `dispose()` stops everything (idempotent).
 *
 * @throws TypeError when `listener` is not a function or `pollIntervalMs` is not positive.
 */
export function watchStore(
  paths: StorePaths,
  listener: (change: StoreChange) => void,
  options: WatchOptions = {},
): { dispose(): void } {
  if (typeof listener !== 'function') throw new TypeError('watchStore: listener function required');
  const debounceMs = options.debounceMs ?? 80;
  const pollIntervalMs = options.pollIntervalMs ?? 1000;
  if (!(pollIntervalMs > 0)) throw new TypeError('watchStore: pollIntervalMs must be > 0');
  const logName = basename(paths.eventsPath);
  let pending: StoreChange['type'] | undefined;
  let timer: NodeJS.Timeout | undefined;
  let watcher: FSWatcher | undefined;
  let disposed = false;

  const fire = (type: StoreChange['type']): void => {
    if (disposed) return;
    pending = type;
    if (timer !== undefined) return;
    timer = setTimeout(() => {
      timer = undefined;
      const kind = pending ?? type;
      pending = undefined;
      try {
        listener({ type: kind, path: paths.eventsPath });
      } catch {
        // listener errors are the listener's business
      }
    }, debounceMs);
  };

  const fingerprint = (): string => {
    try {
      const s = statSync(paths.eventsPath);
      return `${s.size}:${s.mtimeMs}`;
    } catch {
      return 'absent';
    }
  };
  let last = fingerprint();

  const attach = (): void => {
    if (watcher !== undefined || disposed) return;
    try {
      watcher = watch(paths.dir, { persistent: false }, (_event, name) => {
        if (name === null || name === logName) fire('change');
      });
      watcher.on('error', () => {
        watcher?.close();
        watcher = undefined;
      });
    } catch {
      watcher = undefined;
    }
  };
  attach();

  const poll = setInterval(() => {
    attach();
    const now = fingerprint();
    if (now !== last) {
      const appeared = now !== 'absent';
      last = now;
      if (appeared) fire('poll');
    }
  }, pollIntervalMs);
  poll.unref();

  return {
    dispose() {
      if (disposed) return;
      disposed = true;
      clearInterval(poll);
      if (timer !== undefined) clearTimeout(timer);
      watcher?.close();
      watcher = undefined;
    },
  };
}
