/**
 * Library runner of the CLI commands the harness times, used when the CLI binary is not
 * built. Same arguments and JSON shape as the CLI:
 *   find [--limit N] | show <ref> | tree <ref> | rebuild   with --store DIR (always JSON).
 * Exit 0 on success, 1 on a business error (printed as `{ ok: false, error }`), 2 on bad arguments.
 */
import { openStore, storePathsIn } from '@sessions-db/store';
import type { SessionsStore } from '@sessions-db/store';

function flag(args: readonly string[], name: string): string | undefined {
  const at = args.indexOf(name);
  return at === -1 ? undefined : args[at + 1];
}

function positional(args: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i += 1) {
    const arg = args[i] ?? '';
    if (arg === '--json') continue;
    if (arg.startsWith('--')) i += 1;
    else out.push(arg);
  }
  return out;
}

async function run(
  store: SessionsStore,
  command: string,
  ref: string | undefined,
  args: readonly string[],
): Promise<unknown> {
  switch (command) {
    case 'find': {
      const limit = Number(flag(args, '--limit') ?? 50);
      return store.findSessions({ limit: Number.isFinite(limit) && limit > 0 ? limit : 50 });
    }
    case 'show': {
      const found = store.getSession(ref ?? '');
      if (!found.ok) return found;
      return { ...found, timeline: store.sessionTimeline(found.session.stable_id, { limit: 20 }) };
    }
    case 'tree':
      return store.sessionTree(ref ?? '', { ancestors: true });
    case 'rebuild': {
      const result = await store.rebuild({ writeProjectionJson: true });
      return result.ok
        ? {
            ok: true,
            sessionCount: result.sessionCount,
            eventCount: result.eventCount,
            toleratedCorruptions: result.toleratedCorruptions,
          }
        : result;
    }
    default:
      return undefined;
  }
}

async function main(args: readonly string[]): Promise<number> {
  const dir = flag(args, '--store');
  const [command, ref] = positional(args);
  if (dir === undefined || command === undefined) {
    process.stderr.write('usage: cli.ts <find|show|tree|rebuild> [ref] --store DIR [--limit N]\n');
    return 2;
  }
  const store = openStore(storePathsIn(dir, 'arg'));
  try {
    const result = await run(store, command, ref, args);
    if (result === undefined) {
      process.stderr.write(`unknown command: ${command}\n`);
      return 2;
    }
    process.stdout.write(`${JSON.stringify(result)}\n`);
    const failed =
      typeof result === 'object' && result !== null && (result as { ok?: unknown }).ok === false;
    return failed ? 1 : 0;
  } finally {
    store.close();
  }
}

process.exitCode = await main(process.argv.slice(2));
