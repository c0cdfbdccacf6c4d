import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeFrame, encodeFrame, scanFrames } from './archive-format.js';
import { startFrameEncoder } from './frame-encoder.js';

describe('startFrameEncoder', () => {
  const encoder = startFrameEncoder();
  afterAll(() => encoder.close());

  it('gives the same frames as encodeFrame, in order, which decode to the same bytes', async () => {
    // segments of a few bytes to a few hundred KiB: batches below and above the size that starts
    // the worker
    const segment = fc
      .tuple(fc.uint8Array({ minLength: 0, maxLength: 2000 }), fc.nat({ max: 300_000 }))
      .map(([head, pad]) => Buffer.concat([Buffer.from(head), Buffer.alloc(pad, head[0] ?? 7)]));
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(segment, { maxLength: 4 }), { maxLength: 8 }),
        async (batch) => {
          const frames = await encoder.encode(batch);
          expect(frames.length).toBe(batch.length);
          batch.forEach((segments, i) => {
            const got = frames[i] ?? [];
            expect(got.length).toBe(segments.length);
            segments.forEach((raw, j) => {
              const frame = got[j] ?? Buffer.alloc(0);
              expect(Buffer.isBuffer(frame)).toBe(true);
              expect(frame.equals(encodeFrame(raw))).toBe(true);
              const [info] = scanFrames(frame).frames;
              expect(info).toBeDefined();
              if (info !== undefined) expect(decodeFrame(frame, info).equals(raw)).toBe(true);
            });
          });
        },
      ),
      { numRuns: 40 },
    );
  });

  it('answers calls made before the first is answered, each with its own frames', async () => {
    const big = (fill: number): Buffer => Buffer.alloc(1536 * 1024, fill);
    const [a, b] = await Promise.all([encoder.encode([[big(1)]]), encoder.encode([[big(2)], []])]);
    expect(a[0]?.[0]?.equals(encodeFrame(big(1)))).toBe(true);
    expect(b.length).toBe(2);
    expect(b[0]?.[0]?.equals(encodeFrame(big(2)))).toBe(true);
    expect(b[1]).toEqual([]);
  });
});
