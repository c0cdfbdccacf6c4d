import { decompress } from 'fzstd';
import type { Stats } from 'node:fs';
import { closeQuietly, errorMessage, openRegularFile, readAt } from './read-window.js';

/** Largest compressed rollout decompressed whole (bytes). */
export const MAX_COMPRESSED_BYTES = 64 * 1024 * 1024;

/** The head and tail of a rollout's JSONL text (decompressed when it is `*.zst`). */
export type RolloutWindows =
  | {
      readonly kind: 'ok';
      readonly head: Buffer;
      /** The tail window, or `null` when the head already holds the whole text. */
      readonly tail: Buffer | null;
      /** File size on disk and mtime. */
      readonly size: number;
      readonly mtime: string;
      /** Bytes read from disk. */
      readonly bytesRead: number;
    }
  | { readonly kind: 'missing' }
  | { readonly kind: 'corrupted'; readonly reason: string };

/** Whether `path` names a zstd-compressed rollout. */
export function isCompressedRollout(path: string): boolean {
  return path.endsWith('.zst');
}

/**
 * Read the whole decompressed text of a `*.jsonl.zst` rollout with a pure-JS zstd decoder, or the
 * whole of a plain one. Never throws.
 */
export function readRolloutText(
  path: string,
):
  | { readonly kind: 'ok'; readonly text: Buffer; readonly size: number; readonly mtime: string }
  | { readonly kind: 'missing' }
  | { readonly kind: 'corrupted'; readonly reason: string } {
  const opened = openRollout(path);
  if (opened.kind !== 'open') return opened;
  const { fd, stat } = opened;
  try {
    if (isCompressedRollout(path) && stat.size > MAX_COMPRESSED_BYTES)
      return {
        kind: 'corrupted',
        reason: `compressed rollout larger than ${MAX_COMPRESSED_BYTES} bytes`,
      };
    const raw = readAt(fd, 0, stat.size);
    const text = isCompressedRollout(path) ? Buffer.from(decompress(raw)) : raw;
    return { kind: 'ok', text, size: stat.size, mtime: stat.mtime.toISOString() };
  } catch (error) {
    return { kind: 'corrupted', reason: `unreadable rollout: ${errorMessage(error)}` };
  } finally {
    closeQuietly(fd);
  }
}

/**
 * Read a bounded head and tail of a rollout. A plain file is read by position (cost independent of
 * its length); a compressed one is decompressed whole, then cut the same way. Never throws.
 */
export function readRolloutWindows(
  path: string,
  headBytes: number,
  tailBytes: number,
): RolloutWindows {
  if (isCompressedRollout(path)) {
    const whole = readRolloutText(path);
    if (whole.kind !== 'ok') return whole;
    const { text } = whole;
    const head = text.subarray(0, Math.min(text.length, headBytes));
    const tail =
      text.length > headBytes ? text.subarray(Math.max(headBytes, text.length - tailBytes)) : null;
    return { kind: 'ok', head, tail, size: whole.size, mtime: whole.mtime, bytesRead: whole.size };
  }
  const opened = openRollout(path);
  if (opened.kind !== 'open') return opened;
  const { fd, stat } = opened;
  try {
    const head = readAt(fd, 0, Math.min(stat.size, headBytes));
    let tail: Buffer | null = null;
    if (stat.size > headBytes) {
      const start = Math.max(headBytes, stat.size - tailBytes);
      tail = readAt(fd, start, stat.size - start);
    }
    return {
      kind: 'ok',
      head,
      tail,
      size: stat.size,
      mtime: stat.mtime.toISOString(),
      bytesRead: head.length + (tail?.length ?? 0),
    };
  } catch (error) {
    return { kind: 'corrupted', reason: `unreadable rollout: ${errorMessage(error)}` };
  } finally {
    closeQuietly(fd);
  }
}

/** Open a rollout file: its descriptor and stats, or why it cannot be read as one. */
function openRollout(
  path: string,
):
  | { readonly kind: 'open'; readonly fd: number; readonly stat: Stats }
  | { readonly kind: 'missing' }
  | { readonly kind: 'corrupted'; readonly reason: string } {
  const opened = openRegularFile(path);
  if (opened.kind === 'missing') return { kind: 'missing' };
  if (opened.kind === 'not_regular') return { kind: 'corrupted', reason: 'not a regular file' };
  if (opened.kind === 'error') return { kind: 'corrupted', reason: opened.message };
  return opened;
}
