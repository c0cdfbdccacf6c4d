import Database from 'better-sqlite3';
import { ROWS_TIME_INDEX } from '../content-schema.js';

/**
 * Turns an index of this layout into one of layout 2, as sessions-db wrote it before the
 * session-level table (and, with `timeIndex: false`, before `ROWS_TIME_INDEX`): its rows kept.
 */
export function toLayout2(dbPath: string, { timeIndex }: { timeIndex: boolean }): void {
  const db = new Database(dbPath);
  try {
    db.exec('DROP TABLE content_chunks; DROP TABLE content_chunk_files;');
    if (!timeIndex) db.exec(`DROP INDEX ${ROWS_TIME_INDEX}`);
    db.pragma('user_version = 2');
  } finally {
    db.close();
  }
}
