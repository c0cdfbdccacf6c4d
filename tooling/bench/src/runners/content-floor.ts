/**
 * The floor of a content import (issue 13's ≥ 50 MB/s budget): the least work any import that
 * archives and indexes into this archive format and content index layout must do, measured on the
 * same transcripts as the import, nothing else. In batches of the import's size (32 MB of
 * transcript), each part timed on its own:
 *
 * 1. **read**: every transcript's bytes (`readFileSync`; listing the files included);
 * 2. **deflate**: the bytes cut into the archive's segments and encoded as its frames (zlib
 *    deflate at the default level 6 and the SHA-256 of each segment), one after the other on this
 *    thread (`encodeFrame`: the least CPU per byte measured; the floor counts it spread over both
 *    cores, half its time); nothing is written. Beside it, not part of the floor, **pool**: the
 *    same frames made as the import makes them, a batch's segments one at a time on libuv's
 *    thread pool (`encodeFrameAsync`);
 * 3. **extract**: every line split off and turned into content rows (`extractContentRows`: one
 *    `JSON.parse` per line);
 * 4. **rows**: the rows inserted into `content_rows` of an empty content index (the same schema,
 *    made by `openContentIndex`, with the import's bulk settings: 64 MiB page cache, WAL
 *    checkpointed every 64 MB, `synchronous=NORMAL`, FTS5's `hashsize` at 16 MiB), 128 rows per
 *    `INSERT`;
 * 5. **fts**: their text added to the FTS5 table `content_text`, one prepared insert per row,
 *    and each transcript's document to the session-level table (`addSessionChunk`: one insert
 *    per transcript, its text tokenized a second time); at the end, each FTS5 table merged into
 *    one segment as a large import ends (`mergeFtsSegments`);
 * 6. **commit**: one transaction per 8 batches (256 MB), `COMMIT`, and a last WAL checkpoint.
 *
 * Not done (so the floor is below any real import): no archive files, directories, locks or
 * fsyncs, no usage rows, no per-file state, no store recording, no process start. Two sums are
 * printed: `serialMs`, the parts one after the other (deflate's time halved: both cores); and
 * `overlappedMs`, read plus the longer of deflate on one core and extract + rows + fts + commit
 * (the SQLite side is one thread): what a perfect pipeline over two cores could reach. Each
 * part's wall and CPU time (this process's, every thread) are printed too, and `cpuFloorMs`: the
 * least wall time two cores need for the floor's CPU work (pool's excluded), the larger of half
 * the whole and the SQLite writes alone (one connection, one thread) — the bound a loaded
 * machine moves least. `{ ok, files, bytes, rows, archiveBytes, wallMs: {read, deflate, pool,
 * extract, rows, fts, commit}, cpuMs: {…}, cpuFloorMs, cpuFloorMbPerS, serialMs, overlappedMs,
 * serialMbPerS, overlappedMbPerS }`.
 *
 * Usage: content-floor.ts [--writes] <transcripts dir> <scratch dir>. Every `*.jsonl` under the
 * first is read; the second receives the index and is left for the caller to remove. With
 * `--writes`, the single writer's cap is measured instead (`writer-cap.ts`: only the import's
 * writes, their rows extracted beforehand) and its report printed.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';

import {
  addSessionChunk,
  BULK_FTS_HASH_BYTES,
  encodeFrame,
  encodeFrameAsync,
  extractContentRows,
  mergeFtsSegments,
  openContentIndex,
  SEGMENT_BYTES,
  setFtsHashSize,
} from '@sessions-db/content';
import type { ContentRow } from '@sessions-db/content';

import { listTranscripts, partTimer, readBatch, roundedMs } from './floor-batches.js';
import { rowInserter } from './row-inserter.js';
import { measureWriterCap } from './writer-cap.js';

/** The import's batch (packages/content update-content.ts) and its bulk connection settings. */
const BATCH_BYTES = 32 * 1024 * 1024;
const CACHE_KIB = 64 * 1024;
const CHECKPOINT_PAGES = 16_384;
/** Batches per transaction (large transactions: the floor commits less often than the import). */
const BATCHES_PER_TRANSACTION = 8;
/** Rows per `INSERT` into `content_rows` (8 columns: 1024 parameters). */
const ROWS_PER_STATEMENT = 128;
/** A logical session's row ids start at its number times this (content-schema.ts). */
const SESSION_ROW_SPAN = 2 ** 28;

/** The archive's segments of one transcript's bytes. */
function segmentsOf(bytes: Buffer): Buffer[] {
  const out: Buffer[] = [];
  for (let at = 0; at < bytes.length; at += SEGMENT_BYTES)
    out.push(bytes.subarray(at, Math.min(bytes.length, at + SEGMENT_BYTES)));
  return out;
}

/** Content rows of every complete line of one transcript. */
function rowsOf(bytes: Buffer): ContentRow[] {
  const rows: ContentRow[] = [];
  let at = 0;
  for (let end = bytes.indexOf(0x0a, at); end !== -1; end = bytes.indexOf(0x0a, at)) {
    if (end > at) rows.push(...extractContentRows(bytes.toString('utf8', at, end)));
    at = end + 1;
  }
  return rows;
}

async function main(transcriptsDir: string, scratch: string): Promise<void> {
  const target = join(scratch, 'floor-content.sqlite');
  for (const suffix of ['', '-wal', '-shm']) rmSync(target + suffix, { force: true });
  const index = openContentIndex(target);
  const { db } = index;
  db.pragma(`cache_size = -${String(CACHE_KIB)}`);
  db.pragma(`wal_autocheckpoint = ${String(CHECKPOINT_PAGES)}`);
  setFtsHashSize(db, BULK_FTS_HASH_BYTES);
  const inserter = rowInserter(
    db,
    'content_rows',
    ['id', 'file_key', 'stable_id', 'claude_session_id', 'role', 'ts', 'uuid', 'text'],
    ROWS_PER_STATEMENT,
  );
  const insertText = db.prepare('INSERT INTO content_text (rowid, text) VALUES (?, ?)');
  const insertSession = db.prepare('INSERT INTO content_sessions (stable_id) VALUES (?)');

  const timer = partTimer(['read', 'deflate', 'pool', 'extract', 'rows', 'fts', 'commit'] as const);
  const { start, stop, wallMs: times, cpuMs: cpu } = timer;
  let bytesTotal = 0;
  let rowsTotal = 0;
  let archiveBytes = 0;
  start();
  const files = listTranscripts(transcriptsDir);
  stop('read');

  let next = 0;
  let batches = 0;
  while (next < files.length) {
    start();
    const { batch, bytes, next: after } = readBatch(files, next, BATCH_BYTES);
    next = after;
    bytesTotal += bytes;
    stop('read');

    start();
    for (const { bytes } of batch)
      for (const segment of segmentsOf(bytes)) archiveBytes += encodeFrame(segment).length;
    stop('deflate');
    // as the import does: one segment at a time on the thread pool
    start();
    for (const { bytes } of batch)
      for (const segment of segmentsOf(bytes)) await encodeFrameAsync(segment);
    stop('pool');

    start();
    const extracted = batch.map(({ path, bytes }) => ({ path, rows: rowsOf(bytes) }));
    stop('extract');

    if (batches % BATCHES_PER_TRANSACTION === 0) db.exec('BEGIN IMMEDIATE');
    start();
    const ids: number[] = [];
    const texts: string[] = [];
    const chunks: { path: string; firstId: number; rows: readonly ContentRow[] }[] = [];
    for (const { path, rows } of extracted) {
      // one logical session per transcript, numbered in order (its id and the row ids)
      const no = Number(insertSession.run(path).lastInsertRowid);
      let id = no * SESSION_ROW_SPAN + 1;
      chunks.push({ path, firstId: id, rows });
      for (const row of rows) {
        inserter.add([id, path, path, path, row.role, row.ts, row.uuid, row.text]);
        ids.push(id);
        texts.push(row.text);
        id += 1;
      }
    }
    inserter.flush();
    stop('rows');
    start();
    for (let i = 0; i < ids.length; i += 1) insertText.run(ids[i], texts[i]);
    for (const chunk of chunks) addSessionChunk(db, chunk.path, chunk.firstId, chunk.rows);
    stop('fts');
    rowsTotal += ids.length;

    batches += 1;
    if (batches % BATCHES_PER_TRANSACTION === 0 || next >= files.length) {
      start();
      db.exec('COMMIT');
      stop('commit');
    }
  }
  // as a large import ends: each FTS5 table merged into one segment, in short transactions
  start();
  await mergeFtsSegments(db, () => Promise.resolve());
  stop('fts');
  start();
  db.pragma('wal_checkpoint(TRUNCATE)');
  stop('commit');
  index.close();

  const sqliteMs = times.extract + times.rows + times.fts + times.commit;
  const serialMs = times.read + times.deflate / 2 + sqliteMs;
  const overlappedMs = times.read + Math.max(times.deflate, sqliteMs);
  const cpuTotal = Object.values(cpu).reduce((sum, v) => sum + v, 0) - cpu.pool;
  const cpuFloorMs = Math.max(cpuTotal / 2, cpu.rows + cpu.fts + cpu.commit);
  const mb = bytesTotal / 1024 / 1024;
  const round = (ms: number): number => Math.round(ms);
  process.stdout.write(
    `${JSON.stringify({
      ok: true,
      files: files.length,
      bytes: bytesTotal,
      rows: rowsTotal,
      archiveBytes,
      wallMs: roundedMs(times),
      cpuMs: roundedMs(cpu),
      serialMs: round(serialMs),
      overlappedMs: round(overlappedMs),
      cpuFloorMs: round(cpuFloorMs),
      cpuFloorMbPerS: Math.round((mb / (cpuFloorMs / 1000)) * 10) / 10,
      serialMbPerS: Math.round((mb / (serialMs / 1000)) * 10) / 10,
      overlappedMbPerS: Math.round((mb / (overlappedMs / 1000)) * 10) / 10,
    })}\n`,
  );
}

/** `--writes`: the single writer's cap instead of the floor (see `writer-cap.ts`). */
async function writesOnly(transcriptsDir: string, scratch: string): Promise<void> {
  const target = join(scratch, 'writer-cap.sqlite');
  for (const suffix of ['', '-wal', '-shm']) rmSync(target + suffix, { force: true });
  const report = await measureWriterCap(listTranscripts(transcriptsDir), target);
  process.stdout.write(`${JSON.stringify(report)}\n`);
}

const args = process.argv.slice(2);
const writes = args[0] === '--writes';
const [transcriptsDir, scratch] = writes ? args.slice(1) : args;
if (transcriptsDir === undefined || scratch === undefined) {
  process.stderr.write('usage: content-floor.ts [--writes] <transcripts dir> <scratch dir>\n');
  process.exitCode = 2;
} else if (writes) {
  await writesOnly(transcriptsDir, scratch);
} else {
  await main(transcriptsDir, scratch);
}
