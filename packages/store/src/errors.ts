import { isSqliteBusy } from '@sessions-db/content/sqlite-busy';

export { isSqliteBusy };

/** Stable codes of store errors (also used in `OperationError.code`). */
export type StoreErrorCode =
  | 'NOT_FOUND'
  | 'AMBIGUOUS_REFERENCE'
  | 'INVALID_ARGUMENT'
  | 'CYCLE'
  | 'STORE_BUSY'
  | 'LOG_WRITE_FAILED'
  | 'EVENT_TOO_LARGE'
  | 'LOG_CORRUPTED'
  | 'LOG_REWRITTEN'
  | 'STORE_UNAVAILABLE'
  | 'STORE_UNSAFE'
  | 'STORE_FOREIGN_INDEX'
  | 'DISK_FULL'
  | 'INTERNAL';

/** A failure at the store's edge (file system, SQLite), with a stable `code` and its `cause`. */
export class StoreError extends Error {
  override readonly name = 'StoreError';
  readonly code: StoreErrorCode;
  readonly details: unknown;

  constructor(
    code: StoreErrorCode,
    message: string,
    options?: { cause?: unknown; details?: unknown },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.details = options?.details;
  }
}

/** Convert anything thrown into an `OperationError` value. */
export function toOperationError(error: unknown): {
  code: string;
  message: string;
  details?: unknown;
} {
  if (error instanceof StoreError) {
    return error.details === undefined
      ? { code: error.code, message: error.message }
      : { code: error.code, message: error.message, details: error.details };
  }
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    if (isSqliteBusy(error)) {
      return {
        code: 'STORE_BUSY',
        message: `the store is locked by another writer: ${error.message}`,
      };
    }
    if (code === 'EVENT_TOO_LARGE') return { code: 'EVENT_TOO_LARGE', message: error.message };
    if (code === 'ENOSPC' || code === 'EDQUOT' || code === 'SQLITE_FULL') {
      return {
        code: 'DISK_FULL',
        message: `disk full: nothing was written (${error.message}); free some space and try again`,
      };
    }
    if (code === 'LOG_SHORT_WRITE') {
      // A regular file takes part of a write only when the disk (or the quota) is full.
      return {
        code: 'DISK_FULL',
        message: `disk full: the event was not recorded (${error.message}); free some space and try again`,
      };
    }
    if (typeof code === 'string' && /^E[A-Z]+$/.test(code)) {
      return { code: 'LOG_WRITE_FAILED', message: error.message };
    }
    return { code: typeof code === 'string' ? code : 'INTERNAL', message: error.message };
  }
  return { code: 'INTERNAL', message: String(error) };
}

/**
 * Whether SQLite failed because the index file cannot be written right now (read-only file or
 * file system, disk full, I/O error) rather than because of what was asked. The event log may
 * still be writable: such a failure after an append leaves a durable event the index applies later.
 */
export function isIndexNotWritable(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^SQLITE_(READONLY|FULL|IOERR)/.test(code);
}
