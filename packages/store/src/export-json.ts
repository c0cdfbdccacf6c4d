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

/**
 * Stream the original's `sessions-db.json` text (exactly `JSON.stringify(projection, null, 2)`,
 * records in creation order, no trailing newline) to `out`, one page of rows at a time, so a
 * store of a million sessions never becomes one string. Returns the number of sessions written.
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
  writeRaw: (chunk: string) => Promise<void> | void,
): Promise<number> {
  // The same JSON, with C1 and bidi controls escaped so the file is safe to print or open.
  const write = (chunk: string): Promise<void> | void => writeRaw(escapeJsonControls(chunk));
  const meta = orderedMeta(core.index.readState().meta, core.nowIso());
  await write(`{\n  "_meta": ${indent(JSON.stringify(meta, null, 2), '  ')},\n  "sessions": {`);
  let count = 0;
  for (const rows of core.index.sessionPages(PAGE)) {
    let chunk = '';
    for (const row of rows) {
      const pretty = JSON.stringify(JSON.parse(row.record) as unknown, null, 2);
      chunk += `${count === 0 ? '' : ','}\n    ${JSON.stringify(row.stable_id)}: ${indent(pretty, '    ')}`;
      count += 1;
    }
    await write(chunk);
  }
  await write(count === 0 ? '}\n}' : '\n  }\n}');
  return count;
}

/**
 * Write the projection JSON to `path` atomically (event-log's `writeFileAtomicStream`: a `0600`
 * temp file in the same directory, fsync, rename). Pages go straight to the file, so memory stays
 * at one page of rows.
 */
export async function writeProjectionFile(core: StoreCore, path: string): Promise<number> {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  return writeFileAtomicStream(path, (write) => streamProjectionJson(core, write));
}
