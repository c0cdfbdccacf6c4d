#!/usr/bin/env node
// The `sessions-db` executable (dist/bin.cjs): starts the bundle of the command the command line
// names (dist/cli-<command>.cjs: that command, yargs and what the command uses), else the whole
// CLI (dist/cli.cjs: help, --version, unknown commands, completion), with a V8 code cache in the
// user's cache directory, so later runs skip compiling it (see @sessions-db/launcher).
import { join } from 'node:path';
import { codeCacheDir, runBundle } from '@sessions-db/launcher';
import { startScanThreadAhead } from '@sessions-db/store/scan-thread';
import { commandWord } from './command-word.js';

/** A hash of `dist/cli.cjs`'s content, written in by the build. */
declare const __SDB_BUNDLE_KEY__: string;
/** Each command with a bundle of its own, and a hash of that bundle's content (by the build). */
declare const __SDB_COMMAND_BUNDLE_KEYS__: Readonly<Record<string, string>>;

/** The bundle to start: the named command's own, else the whole CLI. */
function bundleFor(word: string | undefined): { readonly file: string; readonly key: string } {
  if (word !== undefined && Object.hasOwn(__SDB_COMMAND_BUNDLE_KEYS__, word)) {
    const key = __SDB_COMMAND_BUNDLE_KEYS__[word];
    if (key !== undefined) return { file: `cli-${word}.cjs`, key };
  }
  return { file: 'cli.cjs', key: __SDB_BUNDLE_KEY__ };
}

const argv = process.argv.slice(2);
const word = commandWord(argv);
// `import`'s scan worker (the CommonJS build of dist/scan-worker.js) starts now, before the
// command's bundle loads: it is ready by the time the import gives it the transcripts' first
// timestamps (the store takes it over). Not for the command's help (yargs' flags), which reads
// nothing: the start would cost it ~5 ms.
if (word === 'import' && !argv.includes('--help') && !argv.includes('-h'))
  startScanThreadAhead('claude', join(__dirname, 'scan-worker.cjs'));
const bundle = bundleFor(word);
const run = runBundle(join(__dirname, bundle.file), { cacheDir: codeCacheDir(), key: bundle.key });
process.once('exit', () => run.writeCache());
