import { fstatSync, readSync } from 'node:fs';
import { errorCode } from '@sessions-db/git-transcript';
import type { Readable } from 'node:stream';

/** Default cap on the bytes of stdin kept (the rest is drained and ignored). */
export const DEFAULT_MAX_STDIN_BYTES = 1024 * 1024;

/** Why the hook has no usable input. */
export type NoInputReason = 'tty' | 'empty' | 'invalid_json' | 'too_large' | 'timeout' | 'error';

/** What stdin held: a parsed JSON value, or why there is none. */
export type StdinInput =
  | { readonly kind: 'json'; readonly value: unknown }
  | { readonly kind: 'none'; readonly reason: NoInputReason };

/** Options of {@link readHookStdin}. */
export interface ReadHookStdinOptions {
  /** The stream to read (`process.stdin`); a TTY stream is never read. */
  readonly stream: Readable & { readonly isTTY?: boolean };
  /** Absolute time on the monotonic clock (`performance.now()` ms) at which reading stops. */
  readonly deadline: number;
  /** Bytes kept at most (default {@link DEFAULT_MAX_STDIN_BYTES}); a larger input is drained and ignored. */
  readonly maxBytes?: number;
  /** Monotonic clock (default `performance.now`). */
  readonly now?: () => number;
}

/**
 * End index (exclusive) of the first balanced JSON object or array at the start of `text`, or -1.
 * Strings and escapes are respected; nothing else is validated.
 */
function firstValueEnd(text: string): number {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i += 1) {
    const ch = text[i];
    if (inString) {
      if (ch === '\\') i += 1;
      else if (ch === '"') inString = false;
    } else if (ch === '"') inString = true;
    else if (ch === '{' || ch === '[') depth += 1;
    else if (ch === '}' || ch === ']') {
      depth -= 1;
      if (depth === 0) return i + 1;
      if (depth < 0) return -1;
    }
  }
  return -1;
}

/**
 * Parse hook input leniently: a UTF-8 BOM and surrounding whitespace are ignored, and when the
 * text is not one JSON document, its first complete object (or array) is used. Never throws.
 */
export function parseHookJson(text: string): StdinInput {
  const trimmed = text.replace(/^\uFEFF/, '').trim();
  if (trimmed.length === 0) return { kind: 'none', reason: 'empty' };
  try {
    return { kind: 'json', value: JSON.parse(trimmed) as unknown };
  } catch {
    const end = trimmed.startsWith('{') || trimmed.startsWith('[') ? firstValueEnd(trimmed) : -1;
    if (end > 0) {
      try {
        return { kind: 'json', value: JSON.parse(trimmed.slice(0, end)) as unknown };
      } catch {
        // fall through: not JSON
      }
    }
    return { kind: 'none', reason: 'invalid_json' };
  }
}

/** Whether `text` already holds one complete JSON object (so reading can stop early). */
function isCompleteObject(text: string): boolean {
  const trimmed = text.trimEnd();
  if (!trimmed.endsWith('}')) return false;
  const parsed = parseHookJson(trimmed);
  return parsed.kind === 'json';
}

/** Whether the last non-whitespace byte of `buf` is `}`. */
function endsWithBrace(buf: Buffer): boolean {
  for (let i = buf.length - 1; i >= 0; i -= 1) {
    const byte = buf[i];
    if (byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09) continue;
    return byte === 0x7d;
  }
  return false;
}

/**
 * The bytes of one input as they arrive: at most `maxBytes` kept (past that the input is
 * `too_large`, and what follows is only drained), and whether a complete object has arrived.
 * The one home of that logic for both readers below.
 */
class PayloadCollector {
  private readonly chunks: Buffer[] = [];
  private size = 0;
  private tooLarge = false;

  constructor(private readonly maxBytes: number) {}

  /** Add `buf` (kept by reference); the input when it is now one complete object. */
  push(buf: Buffer): StdinInput | undefined {
    if (this.tooLarge) return undefined;
    if (this.size + buf.length > this.maxBytes) {
      this.tooLarge = true;
      this.chunks.length = 0;
      this.size = 0;
      return undefined;
    }
    this.chunks.push(buf);
    this.size += buf.length;
    if (!endsWithBrace(buf)) return undefined;
    const current = this.text();
    return isCompleteObject(current) ? parseHookJson(current) : undefined;
  }

  /** The input at the end of the stream. */
  end(): StdinInput {
    return this.tooLarge ? { kind: 'none', reason: 'too_large' } : parseHookJson(this.text());
  }

  /** The input when reading failed. */
  failed(): StdinInput {
    return { kind: 'none', reason: this.tooLarge ? 'too_large' : 'error' };
  }

  /** The input at the deadline: what arrived, if it already parses. */
  deadline(): StdinInput {
    if (this.tooLarge) return { kind: 'none', reason: 'too_large' };
    const parsed = parseHookJson(this.text());
    return parsed.kind === 'json' ? parsed : { kind: 'none', reason: 'timeout' };
  }

  /** Drop what was kept (the result is settled). */
  clear(): void {
    this.chunks.length = 0;
  }

  private text(): string {
    return Buffer.concat(this.chunks, this.size).toString('utf8');
  }
}

/**
 * Read the hook's JSON input from `stream`. A TTY gives no input; otherwise bytes are collected
 * until the stream ends, a complete JSON object has arrived, or `deadline` passes. At most
 * `maxBytes` are kept: a larger input is drained (so the writer never blocks) and ignored.
 * Never throws, never rejects.
 */
export function readHookStdin(options: ReadHookStdinOptions): Promise<StdinInput> {
  const { stream } = options;
  const now = options.now ?? (() => performance.now());
  if (stream.isTTY === true) return Promise.resolve({ kind: 'none', reason: 'tty' });

  return new Promise<StdinInput>((resolve) => {
    const input = new PayloadCollector(options.maxBytes ?? DEFAULT_MAX_STDIN_BYTES);
    let settled = false;

    const settle = (result: StdinInput): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      stream.off('end', onEnd);
      stream.off('error', onError);
      // The data listener stays: later bytes are drained and dropped, so the writer never blocks.
      input.clear();
      resolve(result);
    };

    const onData = (chunk: Buffer | string): void => {
      if (settled) return;
      const complete = input.push(typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk);
      if (complete !== undefined) settle(complete);
    };
    const onEnd = (): void => settle(input.end());
    const onError = (): void => settle(input.failed());

    const timer = setTimeout(() => settle(input.deadline()), Math.max(0, options.deadline - now()));
    stream.on('data', onData);
    stream.once('end', onEnd);
    stream.on('error', onError);
  });
}

/** Options of {@link readHookInput}. */
export interface ReadHookInputOptions {
  /** The descriptor of the payload (0, the process's stdin). */
  readonly fd: number;
  /**
   * The stream to read instead when `fd` is a character device (a terminal is never read, and
   * only a stream tells one apart): created only then (`() => process.stdin`).
   */
  readonly stream: () => Readable & { readonly isTTY?: boolean };
  /** Absolute time on the monotonic clock (`performance.now()` ms) at which reading stops. */
  readonly deadline: number;
  /** Bytes kept at most (default {@link DEFAULT_MAX_STDIN_BYTES}); a larger input is drained and ignored. */
  readonly maxBytes?: number;
  /** Monotonic clock (default `performance.now`). */
  readonly now?: () => number;
  /** How long to wait before reading a non-blocking descriptor that had nothing again (ms). */
  readonly retryMs?: number;
}

/** Bytes asked of one read. */
const READ_SIZE = 64 * 1024;

/**
 * Read the hook's JSON input from descriptor `fd` with `fs.readSync`, without the stream Node
 * creates for `process.stdin` (for a pipe or socket that loads `net` and `stream`, milliseconds of
 * every hook's start-up). A pipe, socket or file is read until end of file, a complete JSON object
 * (the writer may keep its end open), or `deadline`; a non-blocking descriptor with nothing yet
 * (`EAGAIN`) is tried again every `retryMs` until then. The deadline is checked after each read
 * (what is already waiting is always read, however late the hook started): a blocking read waits
 * for the writer's next bytes or its close (Claude Code writes the payload
 * and closes stdin as it starts the hook). A character device (a terminal, `/dev/null`) is read
 * through `stream()` as {@link readHookStdin} does, so a terminal is never read. At most
 * `maxBytes` are kept; a larger input is drained until it ends or the deadline and ignored.
 * Never throws, never rejects.
 */
export async function readHookInput(options: ReadHookInputOptions): Promise<StdinInput> {
  const now = options.now ?? (() => performance.now());
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_STDIN_BYTES;
  let characterDevice: boolean;
  try {
    characterDevice = fstatSync(options.fd).isCharacterDevice();
  } catch {
    return { kind: 'none', reason: 'error' };
  }
  if (characterDevice)
    return readHookStdin({ stream: options.stream(), deadline: options.deadline, maxBytes, now });

  const input = new PayloadCollector(maxBytes);
  const buffer = Buffer.allocUnsafe(READ_SIZE);
  // Read first, look at the clock after: a payload already waiting is taken even when start-up
  // alone used up the deadline.
  for (;;) {
    let read: number;
    try {
      read = readSync(options.fd, buffer, 0, READ_SIZE, null);
    } catch (error) {
      const code = errorCode(error);
      if (code !== 'EAGAIN' && code !== 'EWOULDBLOCK' && code !== 'EINTR') return input.failed();
      const left = options.deadline - now();
      if (left <= 0) return input.deadline();
      if (code !== 'EINTR')
        await new Promise((resolve) => setTimeout(resolve, Math.min(options.retryMs ?? 2, left)));
      continue;
    }
    if (read === 0) return input.end();
    const complete = input.push(Buffer.from(buffer.subarray(0, read)));
    if (complete !== undefined) return complete;
    if (now() >= options.deadline) return input.deadline();
  }
}
