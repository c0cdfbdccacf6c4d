/**
 * Errors thrown at the edges of the event log. Each has a stable `code`; none needs Node, so the
 * pure modules can throw them too.
 */

/** An encoded event line is longer than {@link MAX_EVENT_BYTES}; nothing was written. */
export class EventTooLargeError extends Error {
  readonly code = 'EVENT_TOO_LARGE';
  override readonly name = 'EventTooLargeError';
  /** UTF-8 byte length of the encoded line, newline included. */
  readonly bytes: number;
  /** The cap that was exceeded. */
  readonly max: number;

  constructor(bytes: number, max: number) {
    super(
      `appendEvent: event payload too large (${bytes} bytes, max ${max}). ` +
        'Reduce payload size (sanitize transcript previews / fingerprints) or split into multiple events.',
    );
    this.bytes = bytes;
    this.max = max;
  }
}

/** A failure about one file of the log (the log, its lock, a file replaced atomically). */
export abstract class LogFileError extends Error {
  /** The stable code of the failure. */
  abstract readonly code: string;
  /** The file it concerns. */
  readonly path: string;

  protected constructor(path: string, message: string, options?: ErrorOptions) {
    super(message, options);
    this.path = path;
  }
}

/** A read was asked to start past the end of the log (the log was truncated or rewritten). */
export class LogOffsetError extends LogFileError {
  readonly code = 'LOG_OFFSET_BEYOND_END';
  override readonly name = 'LogOffsetError';
  /** The requested start offset. */
  readonly offset: number;
  /** The size of the file when it was read. */
  readonly size: number;

  constructor(path: string, offset: number, size: number) {
    super(
      path,
      `log offset ${offset} is beyond the end of the log (size ${size} bytes, path=${path}); ` +
        'the log was truncated or rewritten',
    );
    this.offset = offset;
    this.size = size;
  }
}

/** `acquireLock` gave up: a live owner held the lock for the whole timeout. */
export class LockTimeoutError extends LogFileError {
  readonly code = 'LOCK_TIMEOUT';
  override readonly name = 'LockTimeoutError';
  readonly timeoutMs: number;

  constructor(path: string, timeoutMs: number) {
    super(path, `acquireLock: timeout after ${timeoutMs}ms (path=${path})`);
    this.timeoutMs = timeoutMs;
  }
}

/** `writeFileAtomic` failed; the target is untouched and the temp file removed. */
export class AtomicWriteError extends LogFileError {
  readonly code = 'ATOMIC_WRITE_FAILED';
  override readonly name = 'AtomicWriteError';

  constructor(path: string, cause: unknown) {
    super(path, `writeFileAtomic: could not write ${path}: ${describe(cause)}`, { cause });
  }
}

function describe(cause: unknown): string {
  return cause instanceof Error ? cause.message : String(cause);
}

/** The operating system accepted only part of an append; the rest of the line is missing. */
export class LogWriteError extends LogFileError {
  readonly code = 'LOG_SHORT_WRITE';
  override readonly name = 'LogWriteError';

  constructor(path: string, written: number, expected: number) {
    super(
      path,
      `appendEvent: short write to ${path} (${written} of ${expected} bytes); ` +
        'the fragment is repaired by the next append',
    );
  }
}
