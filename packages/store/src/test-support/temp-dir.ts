import { join } from 'node:path';
import { makeTempDir } from '@sessions-db/vitest-config/temp-dir';

import { storePathsIn } from '../paths.js';
import type { StorePaths } from '../types.js';

/** A fresh temp directory, removed after the test file's last test. */
export function tempDir(prefix = 'sdb-store-'): string {
  return makeTempDir(prefix);
}

/** Store paths in a fresh temp directory. */
export function tempStore(): StorePaths {
  return storePathsIn(join(tempDir(), 'store'), 'arg');
}
