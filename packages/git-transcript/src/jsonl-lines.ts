/** A transcript record: any JSON object (arrays count, as in docs/claude-code.md, but carry no fields). */
export type TranscriptRecord = Readonly<Record<string, unknown>>;

/** The records of a byte window, and how many complete non-empty lines failed to parse. */
export interface WindowRecords {
  readonly records: TranscriptRecord[];
  readonly badLines: number;
  /** Complete non-empty lines seen (parsed or not). */
  readonly lines: number;
}

const NEWLINE = 0x0a;

/**
 * Parse one line of JSONL: a JSON object → the record; anything else → `undefined`.
 * A trailing `\r` (CRLF files) is tolerated by `JSON.parse` as whitespace.
 */
export function parseRecordLine(line: string): TranscriptRecord | undefined {
  try {
    const value: unknown = JSON.parse(line);
    return typeof value === 'object' && value !== null ? (value as TranscriptRecord) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Split `buffer[start, end)` on byte 0x0A and parse every non-blank line, decoding each line on
 * its own so a UTF-8 sequence cut at a window edge only ever damages a dropped fragment.
 */
export function parseWindow(buffer: Buffer, start: number, end: number): WindowRecords {
  const records: TranscriptRecord[] = [];
  let badLines = 0;
  let lines = 0;
  let lineStart = start;
  while (lineStart < end) {
    let lineEnd = buffer.indexOf(NEWLINE, lineStart);
    if (lineEnd === -1 || lineEnd > end) lineEnd = end;
    const line = buffer.toString('utf8', lineStart, lineEnd);
    if (line.trim() !== '') {
      lines += 1;
      const record = parseRecordLine(line);
      if (record === undefined) badLines += 1;
      else records.push(record);
    }
    lineStart = lineEnd + 1;
  }
  return { records, badLines, lines };
}
