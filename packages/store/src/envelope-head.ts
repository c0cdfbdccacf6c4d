/**
 * The head of an event line as our writer lays it out (`{"ts":…,"event_id":…,"op":…,
 * "stable_id":…`), read without parsing the line: the rebuild's first pass needs only these
 * four fields of each event, and parsing each whole line there was half of that pass.
 */

/** The envelope fields a line's head holds, as JSON.parse would give them if the line is sound. */
export interface EnvelopeHead {
  readonly ts: string;
  readonly eventId: string;
  readonly op: string;
  readonly stableId: string;
}

/**
 * A JSON string of printable ASCII without `"` or `\`: its text is its value (no escapes), and
 * its bytes are the same in Latin-1 and UTF-8.
 */
const PLAIN = '([ !#-[\\]-~]*)';
const PLAIN_NON_EMPTY = '([ !#-[\\]-~]+)';

const HEAD = new RegExp(
  `^\\{"ts":"${PLAIN}","event_id":"${PLAIN}","op":"${PLAIN_NON_EMPTY}","stable_id":"${PLAIN_NON_EMPTY}"[,}]`,
);

/** Longest head read from a line's bytes (ids are tens of characters; the rest falls back). */
const HEAD_BYTES = 512;

/** `}`: the last byte of every sound event line (never of a repaired fragment). */
const CLOSING_BRACE = 0x7d;

function headOf(match: RegExpMatchArray | null): EnvelopeHead | undefined {
  if (match === null) return undefined;
  const [, ts = '', eventId = '', op = '', stableId = ''] = match;
  return { ts, eventId, op, stableId };
}

/**
 * The head of the line `text`, or undefined when it does not start as our writer's lines do.
 * Says nothing about the rest of the line: it may not be JSON at all, or (JSON allows it) repeat
 * a key further on, which `JSON.parse` would take instead. Whoever trusts a head must compare it
 * with the parsed line later ({@link headMatches}).
 */
export function readEnvelopeHead(text: string): EnvelopeHead | undefined {
  return headOf(text.match(HEAD));
}

/**
 * {@link readEnvelopeHead} of a line's bytes (without its newline), decoding only its first bytes;
 * undefined too unless the line ends with `}` (so a repaired fragment, which ends with the repair
 * marker, is never taken for an event). The same head as the decoded line's when there is one.
 */
export function readEnvelopeHeadBytes(bytes: Buffer): EnvelopeHead | undefined {
  if (bytes[bytes.length - 1] !== CLOSING_BRACE) return undefined;
  return headOf(bytes.toString('latin1', 0, Math.min(bytes.length, HEAD_BYTES)).match(HEAD));
}

/** Whether a parsed, valid event has exactly the fields its line's head showed. */
export function headMatches(
  head: EnvelopeHead,
  event: {
    readonly ts: string | undefined;
    readonly event_id: string | undefined;
    readonly op: string;
    readonly stable_id: string;
  },
): boolean {
  return (
    event.ts === head.ts &&
    event.event_id === head.eventId &&
    event.op === head.op &&
    event.stable_id === head.stableId
  );
}
