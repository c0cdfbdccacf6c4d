import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  encodeEvent,
  LogOffsetError,
  MAX_LINE_BYTES,
  newEvent,
  parseLog,
  READ_CHUNK_BYTES,
  readLog,
  REPAIR_MARKER,
  scanLogSync,
  streamLog,
} from './index.js';
import type { EventEnvelope, LogLineInfo } from './index.js';
import { canonical, eventArb, logOf } from './test-support/arbitraries.js';
import { useTempDirs } from './test-support/temp-dir.js';

const tempDir = useTempDirs();

/** Events of mostly 4-byte characters, enough for a log of more than two chunks. */
function multiByteEvents(padAscii: number): EventEnvelope[] {
  const events: EventEnvelope[] = [];
  let bytes = 0;
  for (let i = 0; bytes < 2.5 * READ_CHUNK_BYTES; i++) {
    const text = `${i === 0 ? 'x'.repeat(padAscii) : ''}${'😀é€'.repeat(350)}`;
    const event = newEvent({ op: 'session_seen', stable_id: `sess_${i}`, payload: { i, text } });
    events.push(event);
    bytes += Buffer.byteLength(encodeEvent(event));
  }
  return events;
}

describe('readLog', () => {
  it('reads a missing file as an empty log', async () => {
    expect(await readLog(join(tempDir(), 'none.jsonl'))).toEqual({
      events: [],
      corruptions: [],
      endOffset: 0,
    });
  });

  it('reads a log larger than a chunk with characters straddling the chunk edges', async () => {
    // Shift the first line until a chunk edge falls inside a multi-byte character.
    let events: EventEnvelope[] = [];
    let bytes = Buffer.alloc(0);
    for (let pad = 0; pad < 4; pad++) {
      events = multiByteEvents(pad);
      bytes = Buffer.from(logOf(events), 'utf8');
      if ((bytes[READ_CHUNK_BYTES]! & 0xc0) === 0x80) break;
    }
    expect(bytes[READ_CHUNK_BYTES]! & 0xc0).toBe(0x80);
    const path = join(tempDir(), 'big.jsonl');
    writeFileSync(path, bytes);
    const result = await readLog(path);
    expect(result.corruptions).toEqual([]);
    expect(result.endOffset).toBe(bytes.length);
    expect(result.events).toEqual(events);
  });

  it('agrees with parseLog on any log, damaged or not', async () => {
    const dir = tempDir();
    const piece = fc.oneof(
      eventArb.map((event) => encodeEvent(event)),
      fc.constantFrom('\n', '{"cut":', '42\n', `{"x${REPAIR_MARKER}\n`, 'garbage é😀\n', '  \n'),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(piece, { maxLength: 10 }), async (pieces) => {
        const text = pieces.join('');
        const path = join(dir, 'log.jsonl');
        writeFileSync(path, text);
        const { events, corruptions } = await readLog(path);
        expect({ events, corruptions }).toEqual(parseLog(text));
      }),
      { numRuns: 60 },
    );
  });

  it('reports a tail_partial without consuming it', async () => {
    const path = join(tempDir(), 'log.jsonl');
    const first = encodeEvent(newEvent({ op: 'a', stable_id: 's' }));
    writeFileSync(path, `${first}{"ts":"2026`);
    const result = await readLog(path);
    expect(result.events).toHaveLength(1);
    expect(result.corruptions).toMatchObject([
      { kind: 'tail_partial', line: 2, offset: first.length },
    ]);
    expect(result.endOffset).toBe(first.length);
  });

  it('reports a line longer than MAX_LINE_BYTES without keeping it', async () => {
    const path = join(tempDir(), 'log.jsonl');
    const event = newEvent({ op: 'a', stable_id: 's' });
    writeFileSync(path, `${'z'.repeat(MAX_LINE_BYTES + 10)}\n`);
    appendFileSync(path, encodeEvent(event));
    const result = await readLog(path);
    expect(result.events).toEqual([event]);
    expect(result.corruptions).toMatchObject([
      { line: 1, offset: 0, kind: 'middle_corruption', excerpt: 'z'.repeat(80) },
    ]);
    expect(result.corruptions[0]?.reason).toMatch(/longer|bytes long/);

    // The same as an unterminated tail, outgrowing the cap while it is still being assembled.
    const size = readFileSync(path).length;
    appendFileSync(path, 'y'.repeat(MAX_LINE_BYTES + 2 * READ_CHUNK_BYTES));
    const again = await readLog(path);
    expect(again.events).toEqual([event]);
    expect(again.corruptions[1]).toMatchObject({ line: 3, offset: size, kind: 'tail_partial' });
    expect(again.endOffset).toBe(size);
  });
});

describe('streamLog', () => {
  it('reports where each event sits, and resumes from any line start', async () => {
    const path = join(tempDir(), 'log.jsonl');
    const events = Array.from({ length: 5 }, (_, i) =>
      newEvent({ op: 'alias_set', stable_id: 's', payload: { alias: `é${i}` } }),
    );
    writeFileSync(path, logOf(events));
    const infos: LogLineInfo[] = [];
    const all = await streamLog(path, { onEvent: (_value, info) => infos.push(info) });
    expect(all.eventCount).toBe(5);
    expect(all.endOffset).toBe(readFileSync(path).length);
    expect(infos.map((info) => info.line)).toEqual([1, 2, 3, 4, 5]);
    for (let i = 1; i < infos.length; i++) {
      expect(infos[i]!.offset).toBe(infos[i - 1]!.offset + infos[i - 1]!.bytes);
    }
    const seen: unknown[] = [];
    const rest = await streamLog(path, {
      from: infos[3]!.offset,
      onEvent: (value) => seen.push(value),
    });
    expect(seen).toEqual(events.slice(3).map(canonical));
    expect(rest).toEqual({ endOffset: all.endOffset, eventCount: 2, corruptions: [] });
  });

  it('throws LogOffsetError past the end, and TypeError for a bad offset', async () => {
    const path = join(tempDir(), 'log.jsonl');
    writeFileSync(path, encodeEvent(newEvent({ op: 'a', stable_id: 's' })));
    const size = readFileSync(path).length;
    await expect(streamLog(path, { from: size, onEvent: () => undefined })).resolves.toMatchObject({
      eventCount: 0,
      endOffset: size,
    });
    await expect(
      streamLog(path, { from: size + 1, onEvent: () => undefined }),
    ).rejects.toMatchObject({
      code: 'LOG_OFFSET_BEYOND_END',
      offset: size + 1,
      size,
    });
    await expect(
      streamLog(join(tempDir(), 'none'), { from: 3, onEvent: () => undefined }),
    ).rejects.toBeInstanceOf(LogOffsetError);
    await expect(streamLog(path, { from: -1, onEvent: () => undefined })).rejects.toBeInstanceOf(
      TypeError,
    );
  });

  it('propagates an error thrown by onEvent', async () => {
    const path = join(tempDir(), 'log.jsonl');
    writeFileSync(path, encodeEvent(newEvent({ op: 'a', stable_id: 's' })));
    await expect(
      streamLog(path, {
        onEvent: () => {
          throw new Error('stop');
        },
      }),
    ).rejects.toThrow('stop');
  });
});

describe('scanLogSync', () => {
  it('gives the same events, positions and corruptions as streamLog, synchronously', async () => {
    const path = join(tempDir(), 'log.jsonl');
    const events = Array.from({ length: 4 }, (_, i) =>
      newEvent({ op: 'x', stable_id: 's', payload: { i, t: '😀'.repeat(i * 300) } }),
    );
    writeFileSync(path, `${logOf(events.slice(0, 2))}broken\n${logOf(events.slice(2))}{"tail`);
    for (const from of [0, Buffer.byteLength(logOf(events.slice(0, 1)))]) {
      const streamed: [unknown, LogLineInfo][] = [];
      const scanned: [unknown, LogLineInfo][] = [];
      const async = await streamLog(path, { from, onEvent: (v, info) => streamed.push([v, info]) });
      const sync = scanLogSync(path, { from, onEvent: (v, info) => scanned.push([v, info]) });
      expect(sync).toEqual(async);
      expect(scanned).toEqual(streamed);
    }
    expect(() => scanLogSync(path, { from: 1e9, onEvent: () => undefined })).toThrow(
      LogOffsetError,
    );
    expect(scanLogSync(join(tempDir(), 'none'), { onEvent: () => undefined })).toEqual({
      endOffset: 0,
      eventCount: 0,
      corruptions: [],
    });
  });

  it('offers each terminated line to a claim first: a claimed line is counted, neither parsed nor passed on', () => {
    const path = join(tempDir(), 'log.jsonl');
    const lines = ['{"a":1}', 'claimed, not JSON', '{"b":2}', '{"claimed":3}'];
    writeFileSync(path, `${lines.join('\n')}\n{"tail":4}`);
    const offered: [string, LogLineInfo][] = [];
    const parsed: [unknown, LogLineInfo][] = [];
    const result = scanLogSync(path, {
      onEvent: (v, info) => parsed.push([v, info]),
      claim: (bytes, info) => {
        offered.push([bytes.toString('utf8'), info]);
        return bytes.toString('utf8').includes('claimed');
      },
    });
    // Every terminated line is offered with its place; the unterminated tail never is.
    expect(offered.map(([text]) => text)).toEqual(lines);
    expect(offered[1]?.[1]).toEqual({ offset: 8, bytes: 18, line: 2 });
    expect(parsed).toEqual([
      [{ a: 1 }, { offset: 0, bytes: 8, line: 1 }],
      [{ b: 2 }, { offset: 26, bytes: 8, line: 3 }],
      [{ tail: 4 }, { offset: 48, bytes: 10, line: 5 }],
    ]);
    expect(result).toEqual({ endOffset: 58, eventCount: 5, corruptions: [] });
  });
});
