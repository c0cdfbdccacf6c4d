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
 * Read the hook's JSON input from `stream`. A TTY gives no input; otherwise bytes are collected
 * until the stream ends, a complete JSON object has arrived, or `deadline` passes. At most
 * `maxBytes` are kept: a larger input is drained (so the writer never blocks) and ignored.
 * Never throws, never rejects.
 */
export function readHookStdin(options: ReadHookStdinOptions): Promise<StdinInput> {
  const { stream } = options;
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_STDIN_BYTES;
  const now = options.now ?? (() => performance.now());
  if (stream.isTTY === true) return Promise.resolve({ kind: 'none', reason: 'tty' });

  return new Promise<StdinInput>((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    let settled = false;

    const text = (): string => Buffer.concat(chunks, size).toString('utf8');

    const settle = (result: StdinInput): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      stream.off('end', onEnd);
      stream.off('error', onError);
      // The data listener stays: later bytes are drained and dropped, so the writer never blocks.
      chunks.length = 0;
      resolve(result);
    };

    const onData = (chunk: Buffer | string): void => {
      if (settled) return;
      const buf = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
      if (tooLarge) return;
      if (size + buf.length > maxBytes) {
        tooLarge = true;
        chunks.length = 0;
        size = 0;
        return;
      }
      chunks.push(buf);
      size += buf.length;
      if (endsWithBrace(buf)) {
        const current = text();
        if (isCompleteObject(current)) settle(parseHookJson(current));
      }
    };
    const onEnd = (): void => {
      settle(tooLarge ? { kind: 'none', reason: 'too_large' } : parseHookJson(text()));
    };
    const onError = (): void => {
      settle(tooLarge ? { kind: 'none', reason: 'too_large' } : { kind: 'none', reason: 'error' });
    };
    const onDeadline = (): void => {
      if (tooLarge) return settle({ kind: 'none', reason: 'too_large' });
      const parsed = parseHookJson(text());
      settle(parsed.kind === 'json' ? parsed : { kind: 'none', reason: 'timeout' });
    };

    const timer = setTimeout(onDeadline, Math.max(0, options.deadline - now()));
    stream.on('data', onData);
    stream.once('end', onEnd);
    stream.on('error', onError);
  });
}
