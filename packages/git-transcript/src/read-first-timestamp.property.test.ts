import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readFirstTimestamp } from './read-first-timestamp.js';
import { readTranscriptMeta } from './read-transcript-meta.js';
import type { ReadTranscriptMetaOptions } from './read-transcript-meta.js';
import { makeTempDir } from './test-support/temp-dir.js';

// Few values, so empty and repeated timestamps, copies and escaped keys all come up.
const timestamp = fc.constantFrom('', '2026-08-01T10:00:00.000Z', '2026-08-01T10:05:00.000Z', 7);
const record = fc.record(
  {
    type: fc.constantFrom('user', 'assistant', 'summary', 'file-history-snapshot'),
    uuid: fc.constantFrom('u1', 'u2', ''),
    sessionId: fc.constantFrom('s1', 'other', ''),
    timestamp,
    forkedFrom: fc.record({ sessionId: fc.constantFrom('s0', ''), messageUuid: fc.constant('m') }),
    message: fc.record({ content: fc.constantFrom('', 'x', '"timestamp"', 'y'.repeat(300)) }),
    nested: fc.record({ timestamp }),
  },
  { requiredKeys: [] },
);

/** A line as a writer might spell it: compact, with a `\u`-escaped key, long, or not a record. */
const line = fc.oneof(
  { weight: 8, arbitrary: record.map((r) => JSON.stringify(r)) },
  {
    weight: 2,
    arbitrary: record.map((r) => JSON.stringify(r).replaceAll('"timestamp"', '"\\u0074imestamp"')),
  },
  { weight: 1, arbitrary: record.map((r) => JSON.stringify({ ...r, pad: 'z'.repeat(3000) })) },
  { weight: 1, arbitrary: fc.constantFrom('', '   ', '{not json', '42', '[1]', 'null') },
);

const file = fc.record({
  lines: fc.array(line, { maxLength: 40 }),
  crlf: fc.boolean(),
  // A transcript being written may end inside its last line.
  finalNewline: fc.boolean(),
});

const windows: fc.Arbitrary<ReadTranscriptMetaOptions> = fc.oneof(
  fc.constant({}),
  fc.record({
    headBytes: fc.integer({ min: 1, max: 6000 }),
    tailBytes: fc.integer({ min: 0, max: 6000 }),
    maxUuids: fc.integer({ min: 0, max: 3 }),
  }),
);

function textOf(lines: readonly string[], crlf: boolean, finalNewline: boolean): string {
  const text = lines.map((l) => `${l}${crlf ? '\r' : ''}`).join('\n');
  return finalNewline && lines.length > 0 ? `${text}\n` : text;
}

describe('readFirstTimestamp', () => {
  const dir = makeTempDir('sdb-first-ts-');
  const path = join(dir, 't.jsonl');

  it('decides only what readTranscriptMeta reads of the same file with the same windows, the same with any head of its bytes', () => {
    let decided = 0;
    fc.assert(
      fc.property(
        file,
        windows,
        fc.integer({ min: 16, max: 5000 }),
        ({ lines, crlf, finalNewline }, options, keyBytes) => {
          writeFileSync(path, textOf(lines, crlf, finalNewline));
          const key = readFirstTimestamp(path, options, keyBytes);
          // The same key whatever the windows, given a head of at least its bytes: what lets import
          // read the keys before it knows which transcripts it holds unchanged (those are read with
          // small windows, the others with the default ones).
          if (options.headBytes === undefined || options.headBytes >= keyBytes)
            expect(key).toEqual(readFirstTimestamp(path, {}, keyBytes));
          if (!key.decided) return;
          decided += 1;
          expect(key.firstTimestamp).toBe(readTranscriptMeta(path, options).firstTimestamp);
        },
      ),
      { numRuns: 600 },
    );
    // Not vacuous: most generated heads are decided.
    expect(decided).toBeGreaterThan(200);
  });

  it('decides a usual head, and leaves undecided what its first bytes cannot tell', () => {
    const first = JSON.stringify({ type: 'user', timestamp: '2026-08-01T10:00:00.000Z' });
    const bare = JSON.stringify({ type: 'summary', leafUuid: 'u1' });
    const write = (text: string): string => {
      writeFileSync(path, text);
      return path;
    };
    expect(readFirstTimestamp(write(`${first}\n${'x'.repeat(40_000)}\n`))).toEqual({
      decided: true,
      firstTimestamp: '2026-08-01T10:00:00.000Z',
    });
    // Empty: no timestamp (readTranscriptMeta reads none either).
    expect(readFirstTimestamp(write(''))).toEqual({ decided: true, firstTimestamp: null });
    // Small and whole, without any timestamp: that is the answer.
    expect(readFirstTimestamp(write(`${bare}\n`))).toEqual({ decided: true, firstTimestamp: null });
    // No timestamp in the first 16 KiB of a longer file: it may come later.
    const noTimestampHead = `${`${bare}\n`.repeat(600)}${first}\n`;
    expect(readFirstTimestamp(write(noTimestampHead))).toEqual({ decided: false });
    expect(readTranscriptMeta(path).firstTimestamp).toBe('2026-08-01T10:00:00.000Z');
    // A first line longer than the window: no complete line to read.
    const long = JSON.stringify({ type: 'user', pad: 'z'.repeat(20_000), timestamp: 't' });
    expect(readFirstTimestamp(write(`${long}\n${first}\n`))).toEqual({ decided: false });
    // Windows smaller than the bytes it reads, a deadline, no file: the caller reads it whole.
    expect(readFirstTimestamp(write(`${first}\n`), { headBytes: 1024 })).toEqual({
      decided: false,
    });
    expect(readFirstTimestamp(path, { deadline: 0 })).toEqual({ decided: false });
    expect(readFirstTimestamp(join(dir, 'missing.jsonl'))).toEqual({ decided: false });
  });
});
