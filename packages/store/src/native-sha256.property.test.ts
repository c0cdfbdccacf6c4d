import { computeFingerprints, sha256OfText, useSha256OfText } from '@sessions-db/identity';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';

import { stableIdForClaudeSession } from './claude-mint.js';
import { useNativeSha256 } from './native-sha256.js';

/** What `run` gives with identity's JavaScript hash, then with the native one. */
function bothWays<T>(run: () => T): { js: T; native: T } {
  useSha256OfText(undefined);
  const js = run();
  useNativeSha256();
  const native = run();
  return { js, native };
}

/** Any text, lone surrogates included (each hashed as U+FFFD). */
const text = fc.oneof(fc.string({ unit: 'binary' }), fc.string({ unit: 'grapheme' }), fc.string());

describe('useNativeSha256', () => {
  afterEach(() => useSha256OfText(undefined));

  it('gives the same digests, fingerprints and derived ids as the JavaScript hash', () => {
    fc.assert(
      fc.property(text, text, text, (a, b, c) => {
        const digest = bothWays(() => Array.from(sha256OfText(a)));
        expect(digest.native).toEqual(digest.js);
        expect(digest.native).toHaveLength(32);
        const fingerprints = bothWays(() =>
          computeFingerprints({ sanitizedPrompt: a, firstUuid: b, firstParentUuid: c }),
        );
        expect(fingerprints.native).toEqual(fingerprints.js);
        const id = bothWays(() => stableIdForClaudeSession(a));
        expect(id.native).toBe(id.js);
      }),
      { numRuns: 300 },
    );
  });

  it('hands out a fresh array each time (a caller may change its copy)', () => {
    useNativeSha256();
    const first = sha256OfText('same');
    first.fill(0);
    expect(Array.from(sha256OfText('same'))).not.toEqual(Array.from(first));
  });
});
