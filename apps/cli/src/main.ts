import { createCli } from './create-cli.js';
import { createDeps } from './create-deps.js';

/**
 * The `sessions-db` process: run the command line and print its result. The only place that
 * prints and sets the exit code. Built into `dist/cli.cjs`, which `dist/bin.cjs` starts.
 */
async function main(): Promise<void> {
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
  });
  // Large documents (export) are streamed to stdout instead of being returned as one string.
  const result = await createCli(
    process.argv.slice(2),
    createDeps({ documentSink: process.stdout }),
  );
  if (result.stdout !== '') process.stdout.write(result.stdout);
  if (result.stderr !== '') process.stderr.write(result.stderr);
  process.exitCode = result.exitCode;
}

void main();
