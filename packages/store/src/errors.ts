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
    if (code === 'SQLITE_BUSY' || code === 'SQLITE_BUSY_SNAPSHOT' || code === 'SQLITE_LOCKED') {
      return {
        code: 'STORE_BUSY',
        message: `the store is locked by another writer: ${error.message}`,
      };
    }
    if (code === 'EVENT_TOO_LARGE') return { code: 'EVENT_TOO_LARGE', message: error.message };
    if (typeof code === 'string' && /^E[A-Z]+$/.test(code)) {
      return { code: 'LOG_WRITE_FAILED', message: error.message };
    }
    return { code: typeof code === 'string' ? code : 'INTERNAL', message: error.message };
  }
  return { code: 'INTERNAL', message: String(error) };
}
