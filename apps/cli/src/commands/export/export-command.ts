import { resolve } from 'node:path';
import { replaceableFileProblem } from '@sessions-db/event-log';
import { stringArg } from '../../args.js';
import { usageError } from '../../cli-error.js';
import type { CommandSpec } from '../../command-spec.js';
import { plural } from '../rebuild/rebuild-command.js';

/** `sessions-db export [--out FILE]`. */
export const exportCommand: CommandSpec = {
  command: 'export',
  describe: "Write the original's sessions-db.json (to stdout, or a file with --out)",
  builder: (yargs) =>
    yargs
      .option('out', {
        type: 'string',
        requiresArg: true,
        describe: 'Write to this file (atomically) instead of stdout',
      })
      .example('$0 export > sessions-db.json', 'The projection as the original wrote it')
      .example('$0 export --out backup/sessions-db.json', 'To a file'),
  async run(args, context) {
    const out = stringArg(args, 'out');
    if (out === '') throw usageError('--out needs a file name');
    const path = out === undefined ? undefined : resolve(context.deps.cwd, out);
    // Checked before anything is read: --out replaces a regular file, never a device or a directory.
    const problem = path === undefined ? null : replaceableFileProblem(path);
    if (problem !== null)
      throw usageError(
        `--out ${problem}; export writes a new file or replaces a regular one (omit --out to write to stdout)`,
      );
    const store = await context.openStore();
    if (path !== undefined) {
      const { sessionCount } = await store.exportProjection(path);
      return {
        json: { ok: true, sessionCount, path },
        text: `ok: exported ${plural(sessionCount, 'session')} to ${path}`,
      };
    }
    if (context.global.quiet) return { json: null, text: '', document: '' };
    const sink = context.deps.documentSink;
    if (sink !== undefined) {
      // Streamed: a store of a million sessions is gigabytes of JSON, more than one string holds.
      await store.exportProjection(sink);
      sink.write('\n');
      return { json: null, text: '', document: '' };
    }
    // node:stream on demand: the whole CLI's bundle (help, --version) then does not load it.
    const { Writable } = process.getBuiltinModule('node:stream');
    const chunks: Buffer[] = [];
    const collector = new Writable({
      write(chunk: Buffer | string, _encoding, callback) {
        chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
        callback();
      },
    });
    await store.exportProjection(collector);
    const document = Buffer.concat(chunks).toString('utf8');
    return { json: null, text: '', document };
  },
};
