/**
 * Pure types of the sessions-db event log. This module has no runtime code and no Node
 * dependency, so the pure packages (`projection`, `identity`) can import it.
 *
 * @packageDocumentation
 */

/** An ISO-8601 timestamp as produced by `Date.prototype.toISOString()` (UTC, ms, `Z`). */
export type Iso8601 = string;

/** A stable (logical session) id: `sess_` + UUIDv7. */
export type SessionStableId = string;

/** An event id: `evt_` + UUIDv7. */
export type EventId = string;

/** A Claude Code session id (any UUID shape). */
export type ClaudeSessionId = string;

/**
 * One line of `sessions-db-events.jsonl`: the envelope of docs/on-disk-format.md#the-envelope, keys in this order.
 * The payload is op-specific; unknown keys are preserved in the log and ignored by reducers.
 */
export interface EventEnvelope<Op extends string = string, Payload = Record<string, unknown>> {
  readonly ts: Iso8601;
  readonly event_id: EventId;
  readonly op: Op;
  readonly stable_id: SessionStableId;
  readonly payload: Payload;
}

/** Corruption classes reported by `parseLog` / `readLog` (docs/on-disk-format.md#corruption-classes plus our repair trace). */
export type CorruptionKind = 'tail_partial' | 'middle_corruption' | 'repaired_fragment';

/** One unparsable (or repaired) line of the log. */
export interface LogCorruption {
  /** 1-based physical line number. */
  readonly line: number;
  /** Byte offset of the start of the line in the file. */
  readonly offset: number;
  readonly kind: CorruptionKind;
  /** `true` for `tail_partial` and `repaired_fragment`; `false` for `middle_corruption`. */
  readonly tolerated: boolean;
  /** The first 80 characters of the line. */
  readonly excerpt: string;
  /** Why the line was rejected (the parse error or the reason it is not an event). */
  readonly reason: string;
}

/** Result of parsing a log: every line that parsed as JSON, and every line that did not. */
export interface ParsedLog {
  readonly events: unknown[];
  readonly corruptions: LogCorruption[];
}

/** Input of `newEvent`: `ts`, `event_id` and `payload` are filled in when absent. */
export interface NewEventInput<Op extends string = string, Payload = Record<string, unknown>> {
  readonly op: Op;
  readonly stable_id: SessionStableId;
  readonly payload?: Payload | undefined;
  readonly ts?: Iso8601 | undefined;
  readonly event_id?: EventId | undefined;
}

/** Where one parsed line sits in the log file. */
export interface LogLineInfo {
  /** Byte offset of the start of the line. */
  readonly offset: number;
  /** Length of the line in bytes, its newline included when it has one. */
  readonly bytes: number;
  /** 1-based physical line number, counted from where the read started. */
  readonly line: number;
}

/** Result of reading a whole log file. */
export interface ReadLogResult extends ParsedLog {
  /**
   * Bytes consumed: the offset just after the last line that was delivered or reported, except
   * that an unterminated, unparsable tail (`tail_partial`) is not consumed.
   */
  readonly endOffset: number;
}

/** Result of reading the complete lines after a byte offset. */
export interface ReadLogFromResult extends ParsedLog {
  /** `eventOffsets[i]` is the byte offset where the line of `events[i]` starts. */
  readonly eventOffsets: number[];
  /** Where the next read should start (see `readLogFrom`). */
  readonly offset: number;
}
