// node:crypto and node:zlib are loaded on first use (process.getBuiltinModule): a command that
// never compresses or hashes a segment (`find`, `tree`) does not pay for loading them at start.

/** Magic bytes that open every archive segment frame. */
export const FRAME_MAGIC = Buffer.from('SDBS', 'latin1');
/** Bytes of a frame header: magic, raw length, compressed length, SHA-256 of the raw bytes. */
export const FRAME_HEADER_BYTES = 4 + 4 + 4 + 32;

/** One complete segment found in an archive version file. */
export interface FrameInfo {
  /** Offset of the frame header in the version file. */
  readonly fileOffset: number;
  /** Offset of the segment's first byte in the original transcript. */
  readonly rawOffset: number;
  readonly rawLength: number;
  readonly compressedLength: number;
  readonly sha256: Buffer;
}

/** What a scan of one version file found. */
export interface FrameScan {
  readonly frames: readonly FrameInfo[];
  /** Transcript bytes the complete frames hold. */
  readonly rawLength: number;
  /** End of the last complete frame; bytes past it are a torn write and are ignored. */
  readonly validEnd: number;
}

/** SHA-256 of a buffer. */
export function sha256(bytes: Uint8Array): Buffer {
  return process.getBuiltinModule('node:crypto').createHash('sha256').update(bytes).digest();
}

/** The frame of a segment `raw` whose deflated bytes are `compressed`. */
function frameOf(raw: Uint8Array, compressed: Buffer): Buffer {
  const header = Buffer.alloc(FRAME_HEADER_BYTES);
  FRAME_MAGIC.copy(header, 0);
  header.writeUInt32BE(raw.length, 4);
  header.writeUInt32BE(compressed.length, 8);
  sha256(raw).copy(header, 12);
  return Buffer.concat([header, compressed]);
}

/** Encodes one segment of transcript bytes as a self-describing compressed frame. */
export function encodeFrame(raw: Uint8Array): Buffer {
  return frameOf(raw, process.getBuiltinModule('node:zlib').deflateSync(raw));
}

/**
 * {@link encodeFrame} with the compression on libuv's thread pool (the same bytes): the main
 * thread goes on with other work meanwhile (`import` indexes the previous batch). zlib's output
 * is taken in one chunk of a quarter of the input (its default, 16 KiB, took a trip through the
 * main thread's event loop per 16 KiB: ~3.6 trips per 210 KB segment, each waiting for the main
 * thread to be free).
 */
export function encodeFrameAsync(raw: Uint8Array): Promise<Buffer> {
  const chunkSize = Math.max(16 * 1024, raw.length >> 2);
  return new Promise((resolve, reject) => {
    process.getBuiltinModule('node:zlib').deflate(raw, { chunkSize }, (error, compressed) => {
      if (error === null) resolve(frameOf(raw, compressed));
      else reject(error);
    });
  });
}

/**
 * Walks the frames of a version file's bytes. A torn tail (a crash in the middle of an append)
 * ends the scan: only complete frames count.
 */
export function scanFrames(file: Uint8Array): FrameScan {
  const buf = Buffer.from(file.buffer, file.byteOffset, file.byteLength);
  const frames: FrameInfo[] = [];
  let offset = 0;
  let raw = 0;
  while (offset + FRAME_HEADER_BYTES <= buf.length) {
    if (!buf.subarray(offset, offset + 4).equals(FRAME_MAGIC)) break;
    const rawLength = buf.readUInt32BE(offset + 4);
    const compressedLength = buf.readUInt32BE(offset + 8);
    const end = offset + FRAME_HEADER_BYTES + compressedLength;
    if (end > buf.length) break;
    frames.push({
      fileOffset: offset,
      rawOffset: raw,
      rawLength,
      compressedLength,
      sha256: Buffer.from(buf.subarray(offset + 12, offset + 44)),
    });
    raw += rawLength;
    offset = end;
  }
  return { frames, rawLength: raw, validEnd: offset };
}

/** Decompresses one frame and checks it against its recorded length and hash. */
export function decodeFrame(file: Uint8Array, frame: FrameInfo): Buffer {
  const start = frame.fileOffset + FRAME_HEADER_BYTES;
  const raw = process
    .getBuiltinModule('node:zlib')
    .inflateSync(file.subarray(start, start + frame.compressedLength));
  if (raw.length !== frame.rawLength || !sha256(raw).equals(frame.sha256)) {
    throw new Error(`archive segment at offset ${String(frame.fileOffset)} is damaged`);
  }
  return raw;
}
