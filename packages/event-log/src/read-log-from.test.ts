import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  appendEvent,
  encodeEvent,
  LogOffsetError,
  newEvent,
  READ_CHUNK_BYTES,
  readLineAt,
  readLog,
  readLogFrom,
  REPAIR_MARKER,
} from './index.js';
import { numberedEvent } from './test-support/events.js';
import { useTempDirs } from './test-support/temp-dir.js';

const tempDir = useTempDirs();

describe('readLogFrom', () => {
  it('chains offsets: reading from the returned offset gives exactly the new events', () => {
    const path = join(tempDir(), 'log.jsonl');
    const first = [numberedEvent(1), numberedEvent(2), numberedEvent(3)];
    const appended = first.map((e) => appendEvent(path, e));
    const read1 = readLogFrom(path, 0);
    expect(read1.events).toEqual(first);
    expect(read1.eventOffsets).toEqual(appended.map((a) => a.offset));
    expect(read1.offset).toBe(readFileSync(path).length);
    expect(read1.corruptions).toEqual([]);

    const more = [numberedEvent(4), numberedEvent(5)];
    const appendedMore = more.map((e) => appendEvent(path, e));
    const read2 = readLogFrom(path, read1.offset);
    expect(read2.events).toEqual(more);
    expect(read2.eventOffsets).toEqual(appendedMore.map((a) => a.offset));
    expect(readLogFrom(path, read2.offset)).toEqual({
      events: [],
      eventOffsets: [],
      corruptions: [],
      offset: read2.offset,
    });
  });

  it('does not consume a partial tail until it is completed', () => {
    const path = join(tempDir(), 'log.jsonl');
    appendEvent(path, numberedEvent(1));
    const start = readLogFrom(path, 0).offset;
    const line = encodeEvent(numberedEvent(2));
    appendFileSync(path, line.slice(0, 25));
    const partial = readLogFrom(path, start);
    expect(partial.events).toEqual([]);
    expect(partial.corruptions).toMatchObject([{ kind: 'tail_partial', line: 1, offset: start }]);
    expect(partial.offset).toBe(start);
    appendFileSync(path, line.slice(25));
    const completed = readLogFrom(path, partial.offset);
    expect(completed.events).toEqual([numberedEvent(2)]);
    expect(completed.eventOffsets).toEqual([start]);
    expect(completed.offset).toBe(readFileSync(path).length);
  });

  it('consumes an unterminated last line that parses, like parseLog', () => {
    const path = join(tempDir(), 'log.jsonl');
    const only = numberedEvent(1);
    writeFileSync(path, JSON.stringify(only));
    const read = readLogFrom(path, 0);
    expect(read.events).toEqual([only]);
    expect(read.offset).toBe(readFileSync(path).length);
    // The next append closes it with a newline and the chain goes on.
    appendEvent(path, numberedEvent(2));
    expect(readLogFrom(path, read.offset).events).toHaveLength(1);
  });

  it('reports corruptions with absolute offsets and line numbers counted from the start offset', () => {
    const path = join(tempDir(), 'log.jsonl');
    appendEvent(path, numberedEvent(1));
    const start = readFileSync(path).length;
    appendFileSync(path, `oops\n${encodeEvent(numberedEvent(2))}`);
    expect(readLogFrom(path, start).corruptions).toMatchObject([
      { line: 1, offset: start, kind: 'middle_corruption', excerpt: 'oops' },
    ]);
  });

  it('reads in chunks: a log larger than a chunk reads like readLog', async () => {
    const path = join(tempDir(), 'log.jsonl');
    const lines: string[] = [];
    for (let size = 0, i = 0; size < 1.5 * READ_CHUNK_BYTES; i++) {
      const line = encodeEvent(
        newEvent({ op: 'x', stable_id: 's', payload: { i, t: '€'.repeat(900) } }),
      );
      lines.push(line);
      size += Buffer.byteLength(line);
    }
    writeFileSync(path, lines.join(''));
    const sync = readLogFrom(path, 0);
    const streamed = await readLog(path);
    expect(sync.events).toEqual(streamed.events);
    expect(sync.offset).toBe(streamed.endOffset);
  });

  it('treats a missing file as empty and throws LogOffsetError past the end', () => {
    const dir = tempDir();
    expect(readLogFrom(join(dir, 'none.jsonl'), 0)).toEqual({
      events: [],
      eventOffsets: [],
      corruptions: [],
      offset: 0,
    });
    expect(() => readLogFrom(join(dir, 'none.jsonl'), 1)).toThrow(LogOffsetError);
    const path = join(dir, 'log.jsonl');
    appendEvent(path, numberedEvent(1));
    const size = readFileSync(path).length;
    let error: unknown;
    try {
      readLogFrom(path, size + 1);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(LogOffsetError);
    expect(error).toMatchObject({ code: 'LOG_OFFSET_BEYOND_END', offset: size + 1, size, path });
    expect(() => readLogFrom(path, 1.5)).toThrow(TypeError);
  });
});

describe('readLineAt', () => {
  it('parses the line at a recorded offset', () => {
    const path = join(tempDir(), 'log.jsonl');
    const events = [numberedEvent(1), numberedEvent(2), numberedEvent(3)];
    const offsets = events.map((e) => appendEvent(path, e).offset);
    offsets.forEach((offset, i) => expect(readLineAt(path, offset)).toEqual(events[i]));
  });

  it('returns undefined when there is no event starting at the offset', () => {
    const dir = tempDir();
    const path = join(dir, 'log.jsonl');
    const { offset, bytes } = appendEvent(path, numberedEvent(1));
    appendFileSync(path, `\n{broken\n${REPAIR_MARKER}\n`);
    expect(readLineAt(path, offset + 1)).toBeUndefined();
    expect(readLineAt(path, offset + bytes)).toBeUndefined();
    expect(readLineAt(path, offset + bytes + 1)).toBeUndefined();
    expect(readLineAt(path, readFileSync(path).length)).toBeUndefined();
    expect(readLineAt(path, 10_000)).toBeUndefined();
    expect(readLineAt(join(dir, 'none.jsonl'), 0)).toBeUndefined();
  });
});
