/**
 * Cryptographically random bytes without loading `node:crypto` where the system has
 * `/dev/urandom`: that module (and `crypto.getRandomValues`, which loads the same code) costs
 * ~8 ms of CPU to load, a large share of a hook run, while reading the kernel's generator costs
 * three system calls. Bytes are read 4 KiB at a time and handed out once each; elsewhere, or when
 * the device cannot be read, `node:crypto` serves them.
 */
import { closeSync, openSync, readSync } from 'node:fs';

const POOL_BYTES = 4096;
let pool: Buffer | undefined;
let used = POOL_BYTES;
/** Set once `/dev/urandom` failed: every later call goes to `node:crypto`. */
let deviceFailed = process.platform === 'win32';

/** Fill `target` from `/dev/urandom`; false when the device cannot be read. */
function readDevice(target: Uint8Array): boolean {
  let fd: number | undefined;
  try {
    fd = openSync('/dev/urandom', 'r');
    let filled = 0;
    while (filled < target.length) {
      const n = readSync(fd, target, filled, target.length - filled, null);
      if (n <= 0) return false;
      filled += n;
    }
    return true;
  } catch {
    return false;
  } finally {
    if (fd !== undefined) {
      try {
        closeSync(fd);
      } catch {
        // the bytes are read; a failed close changes nothing
      }
    }
  }
}

/** Fill `buffer` with cryptographically random bytes. */
export function randomFill(buffer: Uint8Array): Uint8Array {
  if (!deviceFailed && buffer.length <= POOL_BYTES) {
    if (pool === undefined || used + buffer.length > POOL_BYTES) {
      const next = Buffer.allocUnsafeSlow(POOL_BYTES);
      if (readDevice(next)) {
        pool = next;
        used = 0;
      } else {
        deviceFailed = true;
      }
    }
    if (!deviceFailed && pool !== undefined) {
      buffer.set(pool.subarray(used, used + buffer.length));
      // Each byte is handed out once: wipe what was given.
      pool.fill(0, used, used + buffer.length);
      used += buffer.length;
      return buffer;
    }
  }
  return process.getBuiltinModule('node:crypto').randomFillSync(buffer);
}

/** `bytes` random bytes as lowercase hex (temp-file and owner-token suffixes). */
export function randomHex(bytes: number): string {
  return Buffer.from(randomFill(new Uint8Array(bytes))).toString('hex');
}
