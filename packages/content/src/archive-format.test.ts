import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeFrame, encodeFrame, encodeFrameAsync, scanFrames } from './archive-format.js';

describe('encodeFrameAsync', () => {
  it('gives the same frame as encodeFrame, which decodes to the same bytes', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ minLength: 0, maxLength: 5000 }), async (raw) => {
        const frame = await encodeFrameAsync(raw);
        expect(frame.equals(encodeFrame(raw))).toBe(true);
        const [info] = scanFrames(frame).frames;
        expect(info).toBeDefined();
        if (info !== undefined)
          expect(decodeFrame(frame, info).equals(Buffer.from(raw))).toBe(true);
      }),
    );
  });
});
