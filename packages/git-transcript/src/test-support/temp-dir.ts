import { join } from 'node:path';

export { makeTempDir } from '@sessions-db/vitest-config/temp-dir';

/** Absolute path of a file under `src/fixtures/`. */
export function fixturePath(...parts: string[]): string {
  return join(import.meta.dirname, '..', 'fixtures', ...parts);
}
