#!/usr/bin/env node
// The `sessions-db` executable (dist/bin.cjs): starts the CLI bundle (dist/cli.cjs) with a V8 code
// cache in the user's cache directory, so later runs skip compiling it (see @sessions-db/launcher).
import { join } from 'node:path';
import { codeCacheDir, runBundle } from '@sessions-db/launcher';

/** A hash of the bundle's content, written in by the build. */
declare const __SDB_BUNDLE_KEY__: string;

const run = runBundle(join(__dirname, 'cli.cjs'), {
  cacheDir: codeCacheDir(),
  key: __SDB_BUNDLE_KEY__,
});
process.once('exit', () => run.writeCache());
