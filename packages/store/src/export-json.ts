import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { once } from 'node:events';
import { escapeJsonControls, writeFileAtomicStream } from '@sessions-db/event-log';
import type { ProjectionMeta } from '@sessions-db/projection';

import type { StoreCore } from './store-core.js';

/** Rows written per page when streaming the projection. */
const PAGE = 500;

function indent(text: string, spaces: string): string {
  return text.replace(/\n/g, `\n${spaces}`);
}

/** `_meta` in the original's key order (extra keys after), `updated` set to the save time. */
function orderedMeta(meta: ProjectionMeta, updated: string): Record<string, unknown> {
  const {
    schema_version,
    fingerprint_versions,
    updated: _stored,
    event_count,
    last_event_id,
    ...rest
  } = meta;
  return { schema_version, fingerprint_versions, updated, event_count, last_event_id, ...rest };
}

/** Sessions pretty-printed per `JSON.stringify` call (one native call instead of one per record). */
const BATCH_SESSIONS = 256;

/** Keys an object orders before the others (array indexes below 2^32 - 1). */
const ARRAY_INDEX = /^(?:0|[1-9][0-9]*)$/;

/** What `JSON.stringify({ sessions: batch }, null, 2)` puts around the batch's entries. */
const BATCH_HEAD = '{\n  "sessions": {';
const BATCH_TAIL = '\n  }\n}';

/**
 * The text of the original's `sessions-db.json` (exactly `JSON.stringify(projection, null, 2)`,
 * records in creation order, no trailing newline), built a batch of sessions at a time and handed
 * out in chunks with C1 and bidi controls escaped (the same JSON, safe to print or open), so a
 * store of a million sessions never becomes one string. One home for the file's layout: export
 * and rebuild.
 */
export class ProjectionJsonText {
  private batch: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  private batchSize = 0;
  private pieces: string[] = [];
  /** Sessions added so far. */
  count = 0;

  /** Start the document with `_meta` (in the original's key order, `updated` set to `updated`). */
  constructor(meta: ProjectionMeta, updated: string) {
    this.pieces.push(
      `{\n  "_meta": ${indent(JSON.stringify(orderedMeta(meta, updated), null, 2), '  ')},\n  "sessions": {`,
    );
  }

  /** Add the next session (in creation order): its id and its record (a JSON value). */
  addSession(stableId: string, record: unknown): void {
    if (ARRAY_INDEX.test(stableId) && Number(stableId) < 2 ** 32 - 1) {
      // An object would put an array-index key first: written on its own, in its place.
      this.closeBatch();
      const pretty = indent(JSON.stringify(record, null, 2), '    ');
      this.pieces.push(
        `${this.count === 0 ? '' : ','}\n    ${JSON.stringify(stableId)}: ${pretty}`,
      );
      this.count += 1;
      return;
    }
    this.batch[stableId] = record;
    this.batchSize += 1;
    this.count += 1;
    if (this.batchSize === BATCH_SESSIONS) this.closeBatch();
  }

  /** Close the document (after the last session). */
  end(): void {
    this.closeBatch();
    this.pieces.push(this.count === 0 ? '}\n}' : '\n  }\n}');
  }

  /**
   * The text added since the last take, escaped; undefined when none is pending. Sessions of an
   * unfinished batch are handed out by a later take.
   */
  take(): string | undefined {
    if (this.pieces.length === 0) return undefined;
    const chunk = escapeJsonControls(this.pieces.join(''));
    this.pieces = [];
    return chunk;
  }

  /** Pretty-print the pending batch as it sits in the document (nested two levels deep). */
  private closeBatch(): void {
    if (this.batchSize === 0) return;
    const text = JSON.stringify({ sessions: this.batch }, null, 2);
    const entries = text.slice(BATCH_HEAD.length, text.length - BATCH_TAIL.length);
    this.pieces.push(this.count === this.batchSize ? entries : `,${entries}`);
    this.batch = Object.create(null) as Record<string, unknown>;
    this.batchSize = 0;
  }
}

/**
 * Stream the original's `sessions-db.json` text ({@link ProjectionJsonText}) to `out`, one page of
 * rows at a time. Returns the number of sessions written.
 */
export async function writeProjectionJson(
  core: StoreCore,
  out: NodeJS.WritableStream,
): Promise<number> {
  return streamProjectionJson(core, async (chunk) => {
    if (!out.write(chunk)) await once(out, 'drain');
  });
}

/** Produce the projection text page by page into `write` (awaited before the next page). */
async function streamProjectionJson(
  core: StoreCore,
  write: (chunk: string) => Promise<void> | void,
): Promise<number> {
  const text = new ProjectionJsonText(core.index.readState().meta, core.nowIso());
  for (const rows of core.index.sessionPages(PAGE)) {
    for (const row of rows) text.addSession(row.stable_id, JSON.parse(row.record) as unknown);
    const chunk = text.take();
    if (chunk !== undefined) await write(chunk);
  }
  text.end();
  await write(text.take() ?? '');
  return text.count;
}

/**
 * Write the projection JSON to `path` atomically (event-log's `writeFileAtomicStream`: a `0600`
 * temp file in the same directory, fsync, rename). Chunks go straight to the file, so memory stays
 * at about one chunk.
 */
export async function writeProjectionFile(core: StoreCore, path: string): Promise<number> {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  return writeFileAtomicStream(path, (write) => streamProjectionJson(core, write));
}

/**
 * Run `produce` (a rebuild) with a sink for the projection text that goes to a temp file beside
 * `path`, renamed over `path` (atomically, fsynced) only when `produce` returns; when it throws,
 * the temp file is removed and `path` is left as it was.
 */
export async function withProjectionFile<T>(
  path: string,
  produce: (write: (chunk: string) => void) => T,
): Promise<T> {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  return writeFileAtomicStream(path, (write) => produce(write));
}
