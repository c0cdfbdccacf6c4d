import { useSha256OfText } from '@sessions-db/identity';

/**
 * Have the identity package's hashing (fingerprints, ids derived from a Claude session id) use
 * `node:crypto`'s native SHA-256 instead of its JavaScript one, for the rest of the process: for a
 * long command that hashes thousands of texts (`import`). The hook never calls it, so it does not
 * load `node:crypto` at its start. Same digests (property-tested).
 */
export function useNativeSha256(): void {
  // The one-shot `hash` (no `Hash` object per call): a few microseconds for a short text.
  const { hash } = process.getBuiltinModule('node:crypto');
  useSha256OfText((text) => {
    const digest = hash('sha256', text, 'buffer');
    return new Uint8Array(digest.buffer, digest.byteOffset, digest.byteLength);
  });
}
