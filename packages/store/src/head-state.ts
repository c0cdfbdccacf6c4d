/**
 * Whether a session's transcript head is known: the head gives a session its first prompt,
 * preview and fingerprints (docs/identity.md#late-facts), and sessions recorded before their
 * transcript existed lack it until SessionEnd, the next hook or `import` reads it.
 */
import type { SessionRecord } from '@sessions-db/projection';

/** A Claude session without its first-prompt fingerprint (Codex threads never carry one). */
export function lacksHead(record: SessionRecord): boolean {
  return (
    (record.agent ?? 'claude') === 'claude' && record.fingerprints.first_human_prompt_v1 == null
  );
}

/** Whether a head of the session's transcript was ever read (an entry with its first uuid). */
export function headWasRead(record: SessionRecord): boolean {
  return record.transcript_files.some((file) => file.first_uuid != null);
}
