/**
 * Library runner of the hook path, used when the hook binary is not built: reads a Claude
 * Code hook payload (SessionStart or SessionEnd) on stdin and records it the way the hook does —
 * resolveStore → gatherSessionFacts → openStore → recordSessionSeen / recordSessionEnd — with the
 * hook's 1500 ms deadline, counted from when this module starts running (tsx start-up and
 * compilation are not held against it, as the binary has neither). Prints nothing; exit 0
 * recorded, 1 failed, 2 bad payload, 3 deadline reached. (It does not look for the Claude
 * process pid.)
 *
 * Env: SESSIONS_DB_ROOT (the store), CLAUDE_CONFIG_DIR (the Claude home).
 */
import { resolveClaudeHome } from '@sessions-db/git-transcript';
import type { IdentityStartSource } from '@sessions-db/identity';
import { gatherSessionFacts, openStore, resolveStore } from '@sessions-db/store';

const DEADLINE_MS = 1500;
const START_SOURCES: readonly string[] = ['startup', 'resume', 'clear', 'compact', 'fork'];

function text(value: unknown): string | null {
  return typeof value === 'string' && value.length > 0 ? value : null;
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

async function main(): Promise<number> {
  const deadline = Date.now() + DEADLINE_MS;
  setTimeout(() => process.exit(3), Math.max(0, deadline - Date.now())).unref();
  const payload = JSON.parse(await readStdin()) as Record<string, unknown>;
  const csid = text(payload['session_id']);
  if (csid === null) return 2;
  const event = payload['hook_event_name'] === 'SessionEnd' ? 'SessionEnd' : 'SessionStart';
  const cwd = text(payload['cwd']) ?? process.cwd();
  const source = text(payload['source']);
  const reason = text(payload['reason']);
  const paths = resolveStore({ cwd, env: process.env });
  const gathered = await gatherSessionFacts({
    claudeSessionId: csid,
    cwd,
    hookEvent: event,
    claudeHome: resolveClaudeHome(process.env),
    deadline,
    transcriptPath: text(payload['transcript_path']),
    ...(event === 'SessionStart'
      ? {
          source:
            source !== null && START_SOURCES.includes(source)
              ? (source as IdentityStartSource)
              : null,
          model: text(payload['model']),
        }
      : { reason: reason ?? 'other' }),
  });
  const store = openStore(paths, { busyTimeoutMs: Math.max(0, deadline - Date.now()) });
  try {
    const result =
      event === 'SessionStart'
        ? store.recordSessionSeen(
            { facts: gathered.facts, payload: gathered.seenPayload, titles: gathered.titles },
            { deadline },
          )
        : store.recordSessionEnd(
            {
              facts: gathered.facts,
              payload: gathered.endPayload ?? {
                claude_session_id: csid,
                reason: reason ?? 'other',
              },
              seenPayload: gathered.seenPayload,
              titles: gathered.titles,
            },
            { deadline },
          );
    if (!result.ok) process.stderr.write(`${result.error.code}: ${result.error.message}\n`);
    return result.ok ? 0 : 1;
  } finally {
    store.close();
  }
}

process.exitCode = await main();
