/**
 * Randomness from `node:crypto`, loaded on first use: the module costs several milliseconds to
 * load, and most processes (every read command) never need it.
 */

/** Fill `buffer` with cryptographically random bytes (`crypto.randomFillSync`). */
export function randomFill(buffer: Uint8Array): Uint8Array {
  return process.getBuiltinModule('node:crypto').randomFillSync(buffer);
}

/** `bytes` random bytes as lowercase hex (temp-file and owner-token suffixes). */
export function randomHex(bytes: number): string {
  return Buffer.from(randomFill(new Uint8Array(bytes))).toString('hex');
}
