import { closeSync, existsSync, mkdirSync, openSync } from 'node:fs';

import { openStore } from './open-store.js';
import type { OperationError, StorePaths } from './types.js';

/** Result of `initStore`. */
export type InitResult =
  | {
      readonly ok: true;
      readonly created: {
        readonly dir: boolean;
        readonly events: boolean;
        readonly index: boolean;
      };
      readonly paths: StorePaths;
    }
  | { readonly ok: false; readonly error: OperationError };

/**
 * Create a store in `paths.dir` (directory `0700`, empty log and index `0600`). Idempotent:
 * existing files are never modified and a second call reports nothing created. Never throws.
 */
export function initStore(paths: StorePaths): InitResult {
  try {
    const dirExisted = existsSync(paths.dir);
    mkdirSync(paths.dir, { recursive: true, mode: 0o700 });
    const eventsExisted = existsSync(paths.eventsPath);
    if (!eventsExisted) closeSync(openSync(paths.eventsPath, 'a', 0o600));
    const indexExisted = existsSync(paths.indexPath);
    openStore(paths).close();
    return {
      ok: true,
      created: { dir: !dirExisted, events: !eventsExisted, index: !indexExisted },
      paths,
    };
  } catch (error) {
    return {
      ok: false,
      error: { code: 'STORE_UNAVAILABLE', message: `initStore: ${(error as Error).message}` },
    };
  }
}
