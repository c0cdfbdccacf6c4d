import {
  appendFileSync,
  existsSync,
  readFileSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  appendEncodedLines,
  appendEvent,
  encodeEvent,
  EventTooLargeError,
  newEvent,
  parseLog,
  readLineAt,
  readLog,
  REPAIR_MARKER,
} from './index.js';
import type { EventEnvelope } from './index.js';
import { numberedEvent } from './test-support/events.js';
import { useTempDirs } from './test-support/temp-dir.js';

const tempDir = useTempDirs();

describe('appendEvent', () => {
  it('creates the directory (0700) and the file (0600) and appends one line per event', () => {
    const dir = join(tempDir(), 'a', 'b');
    const path = join(dir, 'sessions-db-events.jsonl');
    const first = appendEvent(path, numberedEvent(1));
    const second = appendEvent(path, numberedEvent(2), { fsync: true });
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(statSync(join(dir, '..')).mode & 0o777).toBe(0o700);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(first).toEqual({
      offset: 0,
      bytes: Buffer.byteLength(encodeEvent(numberedEvent(1))),
      repaired: false,
    });
    expect(second).toEqual({ offset: first.bytes, bytes: second.bytes, repaired: false });
    expect(readFileSync(path, 'utf8')).toBe(
      encodeEvent(numberedEvent(1)) + encodeEvent(numberedEvent(2)),
    );
  });

  it('never appends through a symlink: the file it points to stays as it was', () => {
    const dir = tempDir();
    const target = join(dir, 'bashrc');
    writeFileSync(target, 'alias ll="ls -l"\n');
    const path = join(dir, 'sessions-db-events.jsonl');
    symlinkSync(target, path);
    expect(() => appendEvent(path, numberedEvent(1))).toThrow(
      expect.objectContaining({ code: 'ELOOP' }),
    );
    expect(readFileSync(target, 'utf8')).toBe('alias ll="ls -l"\n');
  });

  it('writes nothing when the event is too large', () => {
    const path = join(tempDir(), 'log.jsonl');
    const big = newEvent({ op: 'x', stable_id: 's', payload: { pad: '€'.repeat(1400) } });
    expect(() => appendEvent(path, big)).toThrow(EventTooLargeError);
    expect(existsSync(path)).toBe(false);
    appendEvent(path, numberedEvent(1));
    const before = readFileSync(path);
    expect(() => appendEvent(path, big)).toThrow(EventTooLargeError);
    expect(readFileSync(path)).toEqual(before);
  });

  it('repairs a line left unterminated by a dead writer: fragment reported, new event intact', async () => {
    const path = join(tempDir(), 'log.jsonl');
    appendEvent(path, numberedEvent(1));
    const fragmentAt = readFileSync(path).length;
    appendFileSync(path, encodeEvent(numberedEvent(2)).slice(0, 40));
    const result = appendEvent(path, numberedEvent(3));
    expect(result.repaired).toBe(true);
    const text = readFileSync(path, 'utf8');
    expect(readFileSync(path).subarray(fragmentAt).toString('utf8')).toBe(
      `${encodeEvent(numberedEvent(2)).slice(0, 40)}${REPAIR_MARKER}\n${encodeEvent(numberedEvent(3))}`,
    );
    expect(result.offset).toBe(Buffer.byteLength(text) - result.bytes);
    expect(readLineAt(path, result.offset)).toEqual(numberedEvent(3));
    const log = await readLog(path);
    expect(log.events).toEqual([numberedEvent(1), numberedEvent(3)]);
    expect(log.corruptions).toMatchObject([
      { line: 2, offset: fragmentAt, kind: 'repaired_fragment', tolerated: true },
    ]);
    // Later appends are plain again.
    expect(appendEvent(path, numberedEvent(4)).repaired).toBe(false);
    expect(parseLog(readFileSync(path, 'utf8')).events).toHaveLength(3);
  });

  it('closes an unterminated last line that is complete JSON with a bare newline', () => {
    const path = join(tempDir(), 'log.jsonl');
    writeFileSync(path, JSON.stringify(numberedEvent(1)));
    const result = appendEvent(path, numberedEvent(2));
    expect(result.repaired).toBe(true);
    expect(readFileSync(path, 'utf8')).toBe(
      encodeEvent(numberedEvent(1)) + encodeEvent(numberedEvent(2)),
    );
    expect(parseLog(readFileSync(path, 'utf8'))).toEqual({
      events: [numberedEvent(1), numberedEvent(2)],
      corruptions: [],
    });
  });

  it('treats an unterminated line longer than its look-back window as a fragment', () => {
    const path = join(tempDir(), 'log.jsonl');
    writeFileSync(path, `${JSON.stringify({ pad: 'p'.repeat(70_000) })}`);
    appendEvent(path, numberedEvent(1));
    const { events, corruptions } = parseLog(readFileSync(path, 'utf8'));
    expect(events).toEqual([numberedEvent(1)]);
    expect(corruptions).toMatchObject([{ line: 1, kind: 'repaired_fragment' }]);
  });
});

describe('appendEncodedLines', () => {
  it('appends many lines in one write, where the next reader finds each of them', async () => {
    const path = join(tempDir(), 'sessions-db-events.jsonl');
    appendEvent(path, numberedEvent(1));
    const before = statSync(path).size;
    const lines = [2, 3, 4].map((i) => encodeEvent(numberedEvent(i)));
    const result = appendEncodedLines(path, lines, { fsync: true });
    const bytes = Buffer.byteLength(lines.join(''));
    expect(result).toEqual({ offset: before, bytes, repaired: false, sizeAfter: before + bytes });
    expect((await readLog(path)).events.map((e) => (e as EventEnvelope).stable_id)).toEqual([
      'sess_1',
      'sess_2',
      'sess_3',
      'sess_4',
    ]);
    const third = before + Buffer.byteLength(lines[0] ?? '');
    expect(readLineAt(path, third)).toEqual(numberedEvent(3));
  });

  it('closes a fragment first: the lines start after it and the result says so', async () => {
    const path = join(tempDir(), 'sessions-db-events.jsonl');
    writeFileSync(path, '{"event_id":"evt_cut","op":"sess');
    const lines = [encodeEvent(numberedEvent(1)), encodeEvent(numberedEvent(2))];
    const result = appendEncodedLines(path, lines);
    expect(result.repaired).toBe(true);
    expect(result.offset).toBeGreaterThan(Buffer.byteLength('{"event_id":"evt_cut","op":"sess'));
    expect(result.sizeAfter).toBe(result.offset + result.bytes);
    expect(readLineAt(path, result.offset)).toEqual(numberedEvent(1));
    expect((await readLog(path)).events.map((e) => (e as EventEnvelope).stable_id)).toEqual([
      'sess_1',
      'sess_2',
    ]);
  });

  it('refuses a line that is not one encoded event, writing nothing', () => {
    const path = join(tempDir(), 'sessions-db-events.jsonl');
    const bad = ['{"a":1}\n{"b":2}\n', '{"a":1}'];
    for (const line of bad) {
      expect(() => appendEncodedLines(path, [encodeEvent(numberedEvent(1)), line])).toThrow(
        TypeError,
      );
    }
    expect(existsSync(path)).toBe(false);
  });
});
