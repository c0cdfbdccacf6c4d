import { sha256 } from '@noble/hashes/sha2';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils';

/**
 * SHA-256 of the UTF-8 bytes of `text`, computed in JavaScript: a process that hashes a few short
 * strings (the hook's event key and minted id, fingerprints) does not load `node:crypto` for them
 * (~8 ms of CPU, a large share of a hook run). Same digest as `createHash('sha256')`.
 */
export function sha256OfText(text: string): Uint8Array {
  return sha256(utf8ToBytes(text));
}

/** {@link sha256OfText} as lowercase hex. */
export function sha256HexOfText(text: string): string {
  return bytesToHex(sha256OfText(text));
}
