import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { createFileLog } from './log-port.js';
import { tempDir } from './test-support/temp-dir.js';

/** A JSON line of about `size` characters, some of them multi-byte. */
function lineOf(n: number, size: number): string {
  return JSON.stringify({ n, text: 'é€x'.repeat(Math.max(0, Math.floor(size / 3))) });
}

describe('the log line reader', () => {
  it('reads every line by offset and length, whatever the order and the front, across small cached blocks', () => {
    const dir = tempDir();
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 300 }), { minLength: 1, maxLength: 40 }),
        fc.array(fc.tuple(fc.nat(), fc.option(fc.nat(), { nil: undefined })), {
          minLength: 1,
          maxLength: 120,
        }),
        fc.record({
          blockBytes: fc.integer({ min: 16, max: 512 }),
          blocks: fc.integer({ min: 1, max: 4 }),
        }),
        (sizes, picks, cache) => {
          const lines = sizes.map((size, n) => `${lineOf(n, size)}\n`);
          const path = join(dir, 'log.jsonl');
          writeFileSync(path, lines.join(''));
          const offsets: number[] = [];
          let offset = 0;
          for (const line of lines) {
            offsets.push(offset);
            offset += Buffer.byteLength(line);
          }
          const reader = createFileLog(path).openLineReader(cache);
          try {
            for (const [pick, frontPick] of picks) {
              const n = pick % lines.length;
              const line = lines[n] ?? '';
              // Some reads say where the caller reads (before, at or after the line): the same
              // value, whether the line comes from a kept block, its own block or alone.
              const front = frontPick === undefined ? undefined : frontPick % (offset + 1);
              const value = reader.lineAt(offsets[n] ?? 0, Buffer.byteLength(line), front);
              expect(value).toEqual(JSON.parse(line));
            }
          } finally {
            reader.close();
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});
