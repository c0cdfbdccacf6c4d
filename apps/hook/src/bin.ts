#!/usr/bin/env node
// The `sessions-db-hook` executable (dist/bin.cjs): starts the hook bundle (dist/hook.cjs) with a
// V8 code cache in the user's cache directory, so later runs skip compiling it (see
// @sessions-db/launcher). It prints nothing: a cache problem only means compiling from source.
import { join } from 'node:path';
import { codeCacheDir, runBundle } from '@sessions-db/launcher';

/** A hash of the bundle's content, written in by the build. */
declare const __SDB_BUNDLE_KEY__: string;

const run = runBundle(join(__dirname, 'hook.cjs'), {
  cacheDir: codeCacheDir(),
  key: __SDB_BUNDLE_KEY__,
});
process.once('exit', () => run.writeCache());
