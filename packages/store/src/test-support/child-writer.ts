// A writer process for concurrency and crash tests:
//   child-writer.ts <storeDir> <claudeSessionId> [killAt]
// records one SessionStart; with `killAt`, SIGKILLs itself at that named point of the write path.
import { openStore } from '../open-store.js';
import { storePathsIn } from '../paths.js';
import type { WritePoint } from '../types.js';
import { seenPayload, startFacts } from './fixtures.js';

const [dir, claudeSessionId, killAt] = process.argv.slice(2);
if (dir === undefined || claudeSessionId === undefined) {
  process.stderr.write('usage: child-writer.ts <storeDir> <claudeSessionId> [killAt]\n');
  process.exit(2);
}
const store = openStore(storePathsIn(dir, 'arg'), {
  busyTimeoutMs: 30_000,
  onWritePoint: (point: WritePoint) => {
    if (point === killAt) process.kill(process.pid, 'SIGKILL');
  },
});
const result = store.recordSessionSeen({
  facts: startFacts(claudeSessionId, { now: Date.now() }),
  payload: seenPayload(claudeSessionId),
});
store.close();
process.stdout.write(
  JSON.stringify(result.ok ? { ok: true, stableId: result.stableId } : result) + '\n',
);
