/**
 * Child process for the lock tests. Args: `<lock path> <hold|exit>`. Acquires the lock and prints
 * `locked`; then `hold` keeps the process alive until it is killed, `exit` calls `process.exit(0)`
 * without releasing (the exit handler must remove the lock).
 */
import { acquireLock } from '../index.js';

const [path, mode] = process.argv.slice(2);
if (path === undefined || (mode !== 'hold' && mode !== 'exit')) {
  throw new Error('usage: lock-worker <lock path> <hold|exit>');
}
await acquireLock(path, { timeoutMs: 10_000 });
process.stdout.write('locked\n');
if (mode === 'exit') process.exit(0);
setInterval(() => undefined, 60_000);
