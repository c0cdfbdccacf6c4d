// A writer process for concurrency and crash tests:
//   child-writer.ts <storeDir> <claudeSessionId>[,<claudeSessionId>…] [killAt]
// records one SessionStart per id: one id as the hook does (recordSessionSeen), several in one
// batch as import does (recordSessions); with `killAt`, SIGKILLs itself at that named point of
// the write path.
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
const ids = claudeSessionId.split(',');
const stepOf = (id: string) => ({
  kind: 'seen' as const,
  input: { facts: startFacts(id, { now: Date.now() }), payload: seenPayload(id) },
});
const results =
  ids.length === 1
    ? [store.recordSessionSeen(stepOf(claudeSessionId).input)]
    : store.recordSessions(ids.map((id) => [stepOf(id)])).flat();
store.close();
const shown = results.map((result) =>
  result.ok ? { ok: true, stableId: result.stableId } : result,
);
process.stdout.write(JSON.stringify(shown.length === 1 ? shown[0] : shown) + '\n');
