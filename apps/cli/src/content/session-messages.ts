import { archiveKey, listVersions, readMessagePage } from '@sessions-db/content';
import type { ContentRole } from '@sessions-db/content';
import { redactSecrets } from '@sessions-db/git-transcript';
import type { SessionRecord } from '@sessions-db/projection';
import type { SessionsStore } from '@sessions-db/store';
import { contentPathsIn } from '@sessions-db/store/content';

/** Messages a page holds when no limit is given, and the most it may hold. */
export const MESSAGE_PAGE = Object.freeze({ defaultLimit: 20, maxLimit: 100, maxChars: 4000 });

/** One message of a {@link SessionMessages} page. */
export interface SessionMessage {
  /** The transcript file it was read from (its original path). */
  readonly transcript: string;
  readonly role: ContentRole;
  readonly ts: string;
  readonly uuid: string;
  /** The text, credentials redacted, cut to the page's `maxChars`. */
  readonly text: string;
  /** Whether `text` was cut. */
  readonly truncated: boolean;
}

/** A bounded page of a session's messages, read from the archive. */
export interface SessionMessages {
  readonly stable_id: string;
  readonly offset: number;
  /** Messages in all of the session's archived transcripts. */
  readonly total: number;
  readonly messages: readonly SessionMessage[];
  /** The `offset` of the next page, `null` after the last. */
  readonly next_offset: number | null;
  /** Transcripts of the session the archive does not hold (their messages are not counted). */
  readonly not_archived: readonly string[];
}

/** Which page of {@link sessionMessages}. */
export interface MessagePageRequest {
  readonly offset: number;
  readonly limit: number;
  /** Longest text kept per message (default {@link MESSAGE_PAGE}.maxChars). */
  readonly maxChars?: number;
}

/**
 * Messages `offset .. offset + limit` of `session`, through its transcripts in the order the
 * record lists them (the rows the content index holds: prompts, answers, tool calls and results),
 * read from the store's archive so they outlive the agent's cleanup. Credentials are redacted
 * (`[REDACTED:<kind>]`). Reads only.
 */
export function sessionMessages(
  store: Pick<SessionsStore, 'paths'>,
  session: SessionRecord,
  page: MessagePageRequest,
): SessionMessages {
  const archiveDir = store.paths === null ? null : contentPathsIn(store.paths).archiveDir;
  const maxChars = page.maxChars ?? MESSAGE_PAGE.maxChars;
  const messages: SessionMessage[] = [];
  const notArchived: string[] = [];
  let total = 0;
  for (const file of session.transcript_files) {
    const key = archiveKey(file.path);
    if (archiveDir === null || listVersions(archiveDir, key).length === 0) {
      notArchived.push(file.path);
      continue;
    }
    const skip = Math.max(0, page.offset - total);
    const room = page.limit - messages.length;
    const read = readMessagePage(archiveDir, key, { offset: skip, limit: room });
    for (const row of read.rows) {
      const text = redactSecrets(row.text);
      messages.push({
        transcript: file.path,
        role: row.role,
        ts: row.ts,
        uuid: row.uuid,
        text: text.length > maxChars ? text.slice(0, maxChars) : text,
        truncated: text.length > maxChars,
      });
    }
    total += read.total;
  }
  const end = page.offset + messages.length;
  return {
    stable_id: session.stable_id,
    offset: page.offset,
    total,
    messages,
    next_offset: end < total ? end : null,
    not_archived: notArchived,
  };
}
