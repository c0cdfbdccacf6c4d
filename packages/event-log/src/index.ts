export type * from './types.js';
export { appendEncodedLines, appendEvent } from './append-event.js';
export type { AppendEventOptions, AppendLinesResult, AppendResult } from './append-event.js';
export { encodeEvent, MAX_EVENT_BYTES } from './encode-event.js';
export { escapeJsonControls } from './json-text.js';
export {
  AtomicWriteError,
  EventTooLargeError,
  LockTimeoutError,
  LogFileError,
  LogOffsetError,
  LogWriteError,
} from './errors.js';
export {
  createIdGenerator,
  EVENT_ID_PREFIX,
  extractTimestamp,
  generateEventId,
  generateSessionId,
  isEventId,
  isSessionId,
  SESSION_ID_PREFIX,
} from './ids.js';
export type { IdGenerator, IdGeneratorOptions } from './ids.js';
export { acquireLock } from './lock.js';
export { isProcessAlive } from './process-alive.js';
export type { AcquireLockOptions, LockHandle } from './lock.js';
export { newEvent } from './new-event.js';
export type { NewEventDeps } from './new-event.js';
export { parseLog } from './parse-log.js';
export { readLineAt, readLogFrom } from './read-log-from.js';
export { readLog, streamLog } from './read-log.js';
export type { StreamLogOptions, StreamLogResult } from './read-log.js';
export { REPAIR_MARKER } from './repair-marker.js';
export { MAX_LINE_BYTES, READ_CHUNK_BYTES } from './scan-log.js';
export type { ClaimLogLine, LogScanOptions, LogScanResult, OnLogEvent } from './scan-log.js';
export { scanLogSync } from './scan-log-sync.js';
export type { ScanLogSyncOptions } from './scan-log-sync.js';
export {
  replaceableFileProblem,
  writeFileAtomic,
  writeFileAtomicStream,
  writeFileAtomicSync,
} from './write-file-atomic.js';
export type { WriteFileAtomicOptions } from './write-file-atomic.js';
