/**
 * The next hook in a project catches up the heads of sessions recorded without them
 * (docs/identity.md#late-facts). Claude Code writes most transcripts lazily, so a session is often
 * recorded before its file exists; its own SessionEnd normally reads the head, but a SessionEnd
 * short of time, killed, or never sent leaves it missing. Any later hook whose session lives in the
 * same Claude project directory reads those files, cheaply and within its deadline.
 */
import { join } from 'node:path';

import { readTranscriptMeta } from '@sessions-db/git-transcript';
import type { SessionRecord } from '@sessions-db/projection';

import { recordLateHead } from './record-session.js';
import { gatherSessionFacts } from './session-facts.js';
import type { StoreCore } from './store-core.js';
import type { CatchUpHeadsOptions, CatchUpHeadsResult } from './types.js';
import { headWasRead, lacksHead } from './head-state.js';
import { findSessions } from './queries.js';
import { CATCH_UP_MAX_FILLS, CATCH_UP_RECENT, CATCH_UP_WINDOW_MS } from './limits.js';

/** How long one catch-up write waits for the write lock at most (ms). */
const LOCK_WAIT_MS = 25;

/**
 * A session worth reading again: no first prompt yet, and no head ever read (a head read without
 * a prompt in it, a session of slash commands only, would be read on every hook for nothing).
 */
function headToRead(record: SessionRecord): boolean {
  return lacksHead(record) && !headWasRead(record);
}

/**
 * Read the heads of recently active sessions that still lack them and whose transcript now exists
 * in `projectDir`, and record what they learn (their head, their late parent) as new events. Only
 * the exact `<projectDir>/<claude session id>.jsonl` is read, never another file; nothing starts
 * after the deadline; a failure of one session leaves the others (and the store) as they were.
 */
export async function catchUpHeads(
  core: StoreCore,
  options: CatchUpHeadsOptions,
): Promise<CatchUpHeadsResult> {
  const now = options.now ?? core.clock.now();
  const since = new Date(now - CATCH_UP_WINDOW_MS).toISOString();
  const candidates = findSessions(core, { since, limit: options.recent ?? CATCH_UP_RECENT }).filter(
    headToRead,
  );
  const filled: string[] = [];
  const maxFills = options.maxFills ?? CATCH_UP_MAX_FILLS;
  for (const record of candidates) {
    if (filled.length >= maxFills || performance.now() >= options.deadline) break;
    for (const csid of record.claude_session_ids) {
      if (csid === options.except) continue;
      const meta = readTranscriptMeta(join(options.projectDir, `${csid}.jsonl`), {
        deadline: options.deadline,
      });
      if (meta.status !== 'ok' || meta.firstUuid === null) continue;
      const gathered = await gatherSessionFacts({
        claudeSessionId: csid,
        transcript: meta,
        hookEvent: 'SessionEnd',
        readGit: false,
        deadline: options.deadline,
        now,
        ...(options.storePreview === undefined ? {} : { storePreview: options.storePreview }),
      });
      try {
        // Optional work: never wait long for a write lock another writer holds.
        const recorded = recordLateHead(
          core,
          { facts: gathered.facts, seenPayload: gathered.seenPayload },
          { deadline: Math.min(options.deadline, performance.now() + LOCK_WAIT_MS) },
        );
        if (recorded.eventIds.length > 0 && recorded.stableId !== null)
          filled.push(recorded.stableId);
      } catch {
        // A busy store (or any failure) leaves the session for the next hook or `import`.
      }
      break;
    }
  }
  return { examined: candidates.length, filled };
}
