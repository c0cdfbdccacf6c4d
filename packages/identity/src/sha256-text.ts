import { sha256 } from '@noble/hashes/sha2';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils';

/** SHA-256 of the UTF-8 bytes of a text, as a fresh array of 32 bytes. */
export type Sha256OfText = (text: string) => Uint8Array;

/** The hash a host supplied with {@link useSha256OfText}, if any. */
let hostHash: Sha256OfText | undefined;

/**
 * Have {@link sha256OfText} (and so the fingerprints and every id derived by hashing) use `hash`,
 * e.g. `node:crypto`'s native SHA-256 in a long command that hashes thousands of texts; `undefined`
 * goes back to the JavaScript hash. `hash` must give the same digest (a lone surrogate counts as
 * U+FFFD, as `TextEncoder` writes it). This package stays free of `node:crypto`: the host that
 * loads it passes it in.
 */
export function useSha256OfText(hash: Sha256OfText | undefined): void {
  hostHash = hash;
}

/**
 * SHA-256 of the UTF-8 bytes of `text`, computed in JavaScript unless a host supplied a native hash
 * ({@link useSha256OfText}): a process that hashes a few short strings (the hook's event key and
 * minted id, fingerprints) does not load `node:crypto` for them (~8 ms of CPU, a large share of a
 * hook run). Same digest as `createHash('sha256')`.
 */
export function sha256OfText(text: string): Uint8Array {
  return hostHash === undefined ? sha256(utf8ToBytes(text)) : hostHash(text);
}

/** {@link sha256OfText} as lowercase hex. */
export function sha256HexOfText(text: string): string {
  return bytesToHex(sha256OfText(text));
}
