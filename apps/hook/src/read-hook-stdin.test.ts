import { execFileSync } from 'node:child_process';
import {
  closeSync,
  constants,
  mkdtempSync,
  openSync,
  rmSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';

import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { parseHookJson, readHookInput, readHookStdin } from './read-hook-stdin.js';
import type { StdinInput } from './read-hook-stdin.js';

const payload = {
  session_id: '0b9a4b8e-6c43-4c3b-9d0a-4d7e2f3a1b2c',
  hook_event_name: 'SessionStart',
};

function soon(ms: number): number {
  return performance.now() + ms;
}

describe('parseHookJson', () => {
  it('parses one JSON document, ignoring a BOM and surrounding whitespace', () => {
    expect(parseHookJson(`\uFEFF  ${JSON.stringify(payload)}\n`)).toEqual({
      kind: 'json',
      value: payload,
    });
  });

  it('uses the first complete object when more text follows it', () => {
    expect(parseHookJson(`${JSON.stringify(payload)}\n{"second":true}`)).toEqual({
      kind: 'json',
      value: payload,
    });
    expect(parseHookJson('{"a":"}{\\"x"} trailing junk')).toEqual({
      kind: 'json',
      value: { a: '}{"x' },
    });
  });

  it('reports empty and invalid input', () => {
    expect(parseHookJson('')).toEqual({ kind: 'none', reason: 'empty' });
    expect(parseHookJson(' \n\t')).toEqual({ kind: 'none', reason: 'empty' });
    expect(parseHookJson('{"session_id":')).toEqual({ kind: 'none', reason: 'invalid_json' });
    expect(parseHookJson('not json')).toEqual({ kind: 'none', reason: 'invalid_json' });
    expect(parseHookJson('}{')).toEqual({ kind: 'none', reason: 'invalid_json' });
  });

  it('never throws, whatever the text', () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        const result = parseHookJson(text);
        expect(['json', 'none']).toContain(result.kind);
      }),
    );
  });

  it('round-trips any JSON object', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue()), (value) => {
        expect(parseHookJson(JSON.stringify(value))).toEqual({
          kind: 'json',
          value: JSON.parse(JSON.stringify(value)),
        });
      }),
    );
  });
});

describe('readHookStdin', () => {
  it('never reads a TTY', async () => {
    const stream = Object.assign(new PassThrough(), { isTTY: true });
    stream.end(JSON.stringify(payload));
    expect(await readHookStdin({ stream, deadline: soon(1000) })).toEqual({
      kind: 'none',
      reason: 'tty',
    });
  });

  it('reads a payload written in pieces until the stream ends', async () => {
    const stream = new PassThrough();
    const text = JSON.stringify(payload);
    const reading = readHookStdin({ stream, deadline: soon(5000) });
    stream.write(text.slice(0, 10));
    setTimeout(() => stream.end(text.slice(10)), 10);
    expect(await reading).toEqual({ kind: 'json', value: payload });
  });

  it('stops as soon as a complete object has arrived, even if the stream stays open', async () => {
    const stream = new PassThrough();
    const reading = readHookStdin({ stream, deadline: soon(10_000) });
    stream.write(`${JSON.stringify(payload)}\n`);
    expect(await reading).toEqual({ kind: 'json', value: payload });
    stream.destroy();
  });

  it('gives up at the deadline when the input never completes', async () => {
    const stream = new PassThrough();
    const reading = readHookStdin({ stream, deadline: soon(50) });
    stream.write('{"session_id":"abc"');
    expect(await reading).toEqual({ kind: 'none', reason: 'timeout' });
    stream.destroy();
  });

  it('reports an empty stream', async () => {
    const stream = new PassThrough();
    stream.end();
    expect(await readHookStdin({ stream, deadline: soon(1000) })).toEqual({
      kind: 'none',
      reason: 'empty',
    });
  });

  it('reports invalid JSON', async () => {
    const stream = new PassThrough();
    stream.end('{oops');
    expect(await readHookStdin({ stream, deadline: soon(1000) })).toEqual({
      kind: 'none',
      reason: 'invalid_json',
    });
  });

  it('drains an input larger than the cap and ignores it', async () => {
    const stream = new PassThrough();
    const reading = readHookStdin({ stream, deadline: soon(5000), maxBytes: 1024 });
    const big = JSON.stringify({ ...payload, filler: 'x'.repeat(10_000) });
    for (let i = 0; i < big.length; i += 700) stream.write(big.slice(i, i + 700));
    stream.end();
    expect(await reading).toEqual({ kind: 'none', reason: 'too_large' });
    expect(stream.readableEnded).toBe(true);
  });

  it('accepts an input of exactly the cap', async () => {
    const stream = new PassThrough();
    const text = JSON.stringify(payload);
    stream.end(text);
    expect(
      await readHookStdin({ stream, deadline: soon(1000), maxBytes: Buffer.byteLength(text) }),
    ).toEqual({ kind: 'json', value: payload });
  });

  it('reports a stream error', async () => {
    const stream = new PassThrough();
    const reading = readHookStdin({ stream, deadline: soon(1000) });
    stream.destroy(new Error('EIO'));
    expect(await reading).toEqual({ kind: 'none', reason: 'error' });
  });

  it('decodes multi-byte characters split across chunks', async () => {
    const stream = new PassThrough();
    const bytes = Buffer.from(
      JSON.stringify({ ...payload, session_title: 'größe 日本語 🎉' }),
      'utf8',
    );
    const reading = readHookStdin({ stream, deadline: soon(1000) });
    for (let i = 0; i < bytes.length; i += 3) stream.write(bytes.subarray(i, i + 3));
    stream.end();
    expect(await reading).toEqual({
      kind: 'json',
      value: { ...payload, session_title: 'größe 日本語 🎉' },
    });
  });
});

describe('readHookInput', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'sdb-hook-input-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  /** Read `text` from a regular file's descriptor, as the hook reads `< file`. */
  async function fromFile(
    text: string | Buffer,
    maxBytes?: number,
    deadline = soon(5000),
  ): Promise<StdinInput> {
    const path = join(dir, 'payload');
    writeFileSync(path, text);
    const fd = openSync(path, 'r');
    try {
      return await readHookInput({
        fd,
        stream: () => {
          throw new Error('a file is read directly, never through a stream');
        },
        deadline,
        ...(maxBytes === undefined ? {} : { maxBytes }),
      });
    } finally {
      closeSync(fd);
    }
  }

  it('reads a payload from the descriptor to its end', async () => {
    expect(await fromFile(JSON.stringify(payload))).toEqual({ kind: 'json', value: payload });
    expect(await fromFile('')).toEqual({ kind: 'none', reason: 'empty' });
    expect(await fromFile('{oops')).toEqual({ kind: 'none', reason: 'invalid_json' });
    expect(await fromFile(`${JSON.stringify(payload)}\nnot json`)).toEqual({
      kind: 'json',
      value: payload,
    });
  });

  it('takes a payload already waiting even when start-up used up the deadline', async () => {
    expect(await fromFile(JSON.stringify(payload), undefined, soon(-1))).toEqual({
      kind: 'json',
      value: payload,
    });
  });

  it('drains an input larger than the cap, across many reads, and ignores it', async () => {
    const big = JSON.stringify({ ...payload, filler: 'x'.repeat(300_000) });
    expect(await fromFile(big, 1024)).toEqual({ kind: 'none', reason: 'too_large' });
    expect(await fromFile(big)).toEqual({ kind: 'json', value: JSON.parse(big) as unknown });
  });

  it('reads a character device through the stream, so a terminal is never read', async () => {
    const fd = openSync('/dev/null', 'r');
    try {
      const stream = Object.assign(new PassThrough(), { isTTY: true });
      expect(await readHookInput({ fd, stream: () => stream, deadline: soon(1000) })).toEqual({
        kind: 'none',
        reason: 'tty',
      });
    } finally {
      closeSync(fd);
    }
  });

  it('reports a descriptor that is not open', async () => {
    const stream = (): PassThrough => new PassThrough();
    expect(await readHookInput({ fd: 999_999, stream, deadline: soon(1000) })).toEqual({
      kind: 'none',
      reason: 'error',
    });
  });

  describe('a non-blocking pipe (EAGAIN until the writer writes)', () => {
    /** A named pipe opened for reading without blocking, and its writing end. */
    function fifo(): { reader: number; writer: number } {
      const path = join(dir, 'fifo');
      execFileSync('mkfifo', [path]);
      const reader = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
      const writer = openSync(path, constants.O_WRONLY | constants.O_NONBLOCK);
      return { reader, writer };
    }

    it('waits for a payload written in pieces, and stops at a complete object', async () => {
      const { reader, writer } = fifo();
      const bytes = Buffer.from(JSON.stringify({ ...payload, session_title: 'größe 🎉' }));
      const reading = readHookInput({
        fd: reader,
        stream: () => new PassThrough(),
        deadline: soon(10_000),
      });
      for (let i = 0; i < bytes.length; i += 7) {
        await new Promise((resolve) => setImmediate(resolve));
        writeSync(writer, bytes.subarray(i, i + 7));
      }
      // The writer keeps its end open: a complete object is enough.
      expect(await reading).toEqual({
        kind: 'json',
        value: { ...payload, session_title: 'größe 🎉' },
      });
      closeSync(writer);
      closeSync(reader);
    });

    it('reads to the end when the writer closes, and gives up at the deadline when it never completes', async () => {
      const first = fifo();
      const empty = readHookInput({
        fd: first.reader,
        stream: () => new PassThrough(),
        deadline: soon(10_000),
      });
      closeSync(first.writer);
      expect(await empty).toEqual({ kind: 'none', reason: 'empty' });
      closeSync(first.reader);
      rmSync(join(dir, 'fifo'));

      const second = fifo();
      writeSync(second.writer, '{"session_id":"abc"');
      expect(
        await readHookInput({
          fd: second.reader,
          stream: () => new PassThrough(),
          deadline: soon(50),
        }),
      ).toEqual({ kind: 'none', reason: 'timeout' });
      closeSync(second.writer);
      closeSync(second.reader);
    });
  });
});
