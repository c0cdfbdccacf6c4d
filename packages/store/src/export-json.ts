import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { once } from 'node:events';
import { escapeJsonControls, writeFileAtomicStream } from '@sessions-db/event-log';
import type { ProjectionMeta } from '@sessions-db/projection';

import { createProjectionText } from './projection-text.js';
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

/**
 * The beginning of `sessions-db.json` up to its sessions: `{`, `_meta` (in the original's key
 * order, `updated` set to `updated`) and `"sessions": {`.
 */
export function projectionHeader(meta: ProjectionMeta, updated: string): string {
  return `{\n  "_meta": ${indent(JSON.stringify(orderedMeta(meta, updated), null, 2), '  ')},\n  "sessions": {`;
}

/**
 * Stream the original's `sessions-db.json` text (`createProjectionText`) to `out`, one page of
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
  const text = createProjectionText(
    escapeJsonControls,
    projectionHeader(core.index.readState().meta, core.nowIso()),
  );
  for (const rows of core.index.sessionPages(PAGE)) {
    for (const row of rows) text.addSession(row.stable_id, JSON.parse(row.record) as unknown);
    const chunk = text.take();
    if (chunk !== undefined) await write(chunk);
  }
  text.end();
  await write(text.take() ?? '');
  return text.count();
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
 * Run `produce` (a rebuild) with the descriptor of a temp file beside `path` for the projection
 * text, renamed over `path` (atomically, fsynced) only when `produce` resolves; when it throws, the
 * temp file is removed and `path` is left as it was. Whatever writes to the descriptor must be done
 * by the time `produce` settles.
 */
export async function withProjectionFile<T>(
  path: string,
  produce: (fd: number) => Promise<T>,
): Promise<T> {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  return writeFileAtomicStream(path, (_write, fd) => produce(fd));
}
