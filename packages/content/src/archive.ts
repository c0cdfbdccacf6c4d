import {
  closeSync,
  existsSync,
  fstatSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  statSync,
  ftruncateSync,
  writeSync,
  renameSync,
  rmSync,
} from 'node:fs';
import { open } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { sha256 as sha256Of } from '@noble/hashes/sha2';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils';
import { decodeFrame, encodeFrame, scanFrames, sha256 } from './archive-format.js';
import type { FrameInfo, FrameScan } from './archive-format.js';
import { processAlive } from './file-lock.js';

/** Transcript bytes per compressed segment. */
export const SEGMENT_BYTES = 4 * 1024 * 1024;

/** Where an archived transcript came from (`source.json` beside its versions). */
export interface ArchiveSource {
  /** Absolute path of the original transcript. */
  readonly path: string;
  readonly claudeSessionId: string;
}

/** The result of bringing one transcript's archive up to date. */
export interface ArchiveResult {
  readonly key: string;
  /** Version now current (1 unless the original shrank or changed). */
  readonly version: number;
  /** Transcript bytes the current version holds. */
  readonly archivedBytes: number;
  /** Bytes appended by this call. */
  readonly appendedBytes: number;
  /** True when this call opened a new version because the original shrank or changed. */
  readonly newVersion: boolean;
  /** The transcript bytes this call appended (`appendedBytes` of them, ending at `archivedBytes`). */
  readonly appended: Buffer;
  /**
   * Files and directories this call wrote without syncing them to disk (with `sync: false`),
   * for the caller to sync (see {@link syncPaths}) before it records anything that names them.
   */
  readonly unsynced: readonly string[];
}

/** Options of {@link archiveTranscript}. */
export interface ArchiveOptions {
  /**
   * Sync what is written to disk before returning (default). `false` leaves that to the caller,
   * which gets the paths in {@link ArchiveResult.unsynced} (many transcripts' files synced at once
   * cost less than each on its own).
   */
  readonly sync?: boolean;
}

/** The archive key of a transcript path: stable, filesystem-safe. */
export function archiveKey(sourcePath: string): string {
  // A short string: hashed in JavaScript, so `show` does not load node:crypto (~5 ms) for it.
  return bytesToHex(sha256Of(utf8ToBytes(sourcePath))).slice(0, 32);
}

function versionFile(dir: string, version: number): string {
  return join(dir, `v${String(version)}.seg`);
}

/** The versions among the names of an archived transcript's directory, ascending. */
function versionsAmong(names: readonly string[]): number[] {
  return names
    .map((n) => /^v(\d+)\.seg$/.exec(n)?.[1])
    .filter((v): v is string => v !== undefined)
    .map(Number)
    .sort((a, b) => a - b);
}

/** Versions present for one archived transcript, ascending. */
export function listVersions(archiveDir: string, key: string): number[] {
  let names: string[];
  try {
    names = readdirSync(join(archiveDir, key));
  } catch {
    return [];
  }
  return versionsAmong(names);
}

function scanVersion(dir: string, version: number): FrameScan {
  try {
    return scanFrames(readFileSync(versionFile(dir, version)));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      return { frames: [], rawLength: 0, validEnd: 0 };
    }
    throw error;
  }
}

function readRange(fd: number, position: number, length: number): Buffer {
  // not zero-filled: only the bytes read are ever looked at (a short read is cut to them)
  const out = Buffer.allocUnsafeSlow(length);
  let done = 0;
  while (done < length) {
    const n = readSync(fd, out, done, length - done, position + done);
    if (n === 0) break;
    done += n;
  }
  return done === length ? out : out.subarray(0, done);
}

function frameMatches(fd: number, frame: FrameInfo): boolean {
  const bytes = readRange(fd, frame.rawOffset, frame.rawLength);
  return bytes.length === frame.rawLength && sha256(bytes).equals(frame.sha256);
}

/** Reads `source.json` of an archived transcript, or undefined when absent or unreadable. */
export function readArchiveSource(archiveDir: string, key: string): ArchiveSource | undefined {
  try {
    const parsed = JSON.parse(
      readFileSync(join(archiveDir, key, 'source.json'), 'utf8'),
    ) as unknown;
    if (typeof parsed !== 'object' || parsed === null) return undefined;
    const { path, claudeSessionId } = parsed as Record<string, unknown>;
    if (typeof path !== 'string' || typeof claudeSessionId !== 'string') return undefined;
    return { path, claudeSessionId };
  } catch {
    return undefined;
  }
}

/**
 * What {@link planArchive} found for one transcript: the segments to append (read, not yet
 * compressed or written). Write them with {@link writeArchive}, under the same lock.
 */
export interface ArchivePlan {
  readonly key: string;
  /** Version the segments go to. */
  readonly version: number;
  /** True when a new version starts because the original shrank or changed. */
  readonly newVersion: boolean;
  /** Transcript bytes the version already holds (complete frames). */
  readonly archivedBefore: number;
  /** The transcript bytes to append, at most {@link SEGMENT_BYTES} each, in order. */
  readonly segments: readonly Buffer[];
  /** Where the version file is, and whether it must be written (a first version is, even empty). */
  readonly file: string;
  readonly write: boolean;
  /** End of the version file's complete frames (a torn tail past it is cut off first). */
  readonly validEnd: number;
  /** Whether the version file's name is new to its directory (the directory is synced too). */
  readonly newFile: boolean;
  readonly unsynced: readonly string[];
}

/** Options of {@link planArchive}. */
export interface PlanOptions extends ArchiveOptions {
  /**
   * The transcript's archive key, when the caller has computed it and made its directory (the
   * lock it holds is in it): neither is done again.
   */
  readonly keyDirMade?: string;
  /**
   * A new, empty directory that only the caller can see (see {@link freshArchiveDir}), to write
   * the transcript's `source.json` and first version in instead of its directory under its key:
   * the caller renames it into place once they are on disk (see {@link publishFreshDir}). Nothing
   * is looked for in it, and no lock is needed.
   */
  readonly freshDir?: string;
}

/** Names of directories being made under a temporary name (`.new-<key>-<pid>`) in `archive/`. */
const FRESH_DIR = /^\.new-([0-9a-f]{32})-(\d+)$/;

/**
 * The temporary name in `archiveDir` under which this process makes the archive directory of a
 * new transcript (key `key`). Never taken for an archived transcript (keys are 32 hex digits);
 * one left by a process that died is removed by {@link removeAbandonedFreshDirs}.
 */
export function freshArchiveDir(archiveDir: string, key: string): string {
  return join(archiveDir, `.new-${key}-${String(process.pid)}`);
}

/**
 * Renames a transcript's directory made complete under its temporary name (`fresh`, see
 * {@link freshArchiveDir}) into place under its key. `false` when the key's directory exists
 * and is not empty (another indexer made it first): `fresh` is removed, and the transcript is
 * left to the locked path. The caller syncs the files in `fresh` before, and `archiveDir` after.
 */
export function publishFreshDir(archiveDir: string, key: string, fresh: string): boolean {
  const target = join(archiveDir, key);
  try {
    renameSync(fresh, target);
    return true;
  } catch (error) {
    // ENOTEMPTY or EEXIST on POSIX, EPERM on Windows: the key's directory is there
    if (!existsSync(target)) throw error;
    rmSync(fresh, { recursive: true, force: true });
    return false;
  }
}

/**
 * Removes what processes that died left in `archiveDir` under temporary names (see
 * {@link freshArchiveDir}): directories never renamed into place, never archived data (their
 * transcripts are archived again by the next run). Those of running processes are left alone.
 * Returns how many were removed.
 */
export function removeAbandonedFreshDirs(archiveDir: string): number {
  let names: string[];
  try {
    names = readdirSync(archiveDir);
  } catch {
    return 0;
  }
  let removed = 0;
  for (const name of names) {
    const pid = FRESH_DIR.exec(name)?.[2];
    if (pid === undefined || processAlive(Number(pid))) continue;
    rmSync(join(archiveDir, name), { recursive: true, force: true });
    removed += 1;
  }
  return removed;
}

/**
 * The reading half of {@link archiveTranscript}: makes the transcript's archive directory and
 * `source.json`, finds where its current version ends (or that the original shrank or changed,
 * so a new version starts), and reads what is new. Nothing of a version file is written. The
 * caller holds the transcript's lock (see {@link tryLock}) until {@link writeArchive} is done.
 * The directory is listed once: a file it does not hold is not read (a new transcript's
 * `source.json` and version file are not looked for one by one).
 */
export function planArchive(
  archiveDir: string,
  source: ArchiveSource,
  options: PlanOptions = {},
): ArchivePlan {
  const sync = options.sync !== false;
  const unsynced: string[] = [];
  const key = options.keyDirMade ?? archiveKey(source.path);
  if (options.freshDir !== undefined) return planFresh(options.freshDir, key, source, sync);
  const dir = join(archiveDir, key);
  if (
    options.keyDirMade === undefined &&
    mkdirSync(dir, { recursive: true, mode: 0o700 }) !== undefined
  ) {
    // a new directory: its name in the archive must reach the disk too
    if (sync) syncPath(archiveDir);
    else unsynced.push(archiveDir);
  }
  const names = readdirSync(dir);
  const sourceJson = join(dir, 'source.json');
  // Written again when unreadable: a power cut before it was synced can leave it empty.
  if (!names.includes('source.json') || readArchiveSource(archiveDir, key) === undefined) {
    const fd = openSync(`${sourceJson}.${String(process.pid)}.tmp`, 'w', 0o600);
    writeSync(fd, JSON.stringify(source));
    if (sync) fsyncSync(fd);
    closeSync(fd);
    // rename is atomic; a concurrent writer wrote the same content
    renameQuiet(`${sourceJson}.${String(process.pid)}.tmp`, sourceJson);
    if (sync) syncPath(dir);
    else unsynced.push(sourceJson, dir);
  }
  const versions = versionsAmong(names);
  let version = versions.at(-1) ?? 1;
  let scan: FrameScan =
    versions.length === 0 ? { frames: [], rawLength: 0, validEnd: 0 } : scanVersion(dir, version);
  const src = openSync(source.path, 'r');
  try {
    const size = fstatSync(src).size;
    let newVersion = false;
    const first = scan.frames[0];
    const last = scan.frames.at(-1);
    const changed =
      size < scan.rawLength ||
      (first !== undefined && !frameMatches(src, first)) ||
      (last !== undefined && last !== first && !frameMatches(src, last));
    if (changed) {
      version += 1;
      newVersion = true;
      scan = { frames: [], rawLength: 0, validEnd: 0 };
    }
    const archivedBefore = scan.rawLength;
    const write = size > archivedBefore || newVersion || versions.length === 0;
    const segments = write ? readSegments(src, archivedBefore, size) : [];
    return {
      key,
      version,
      newVersion,
      archivedBefore,
      segments,
      file: versionFile(dir, version),
      write,
      validEnd: scan.validEnd,
      newFile: versions.at(-1) !== version,
      unsynced,
    };
  } finally {
    closeSync(src);
  }
}

/** The segments (at most {@link SEGMENT_BYTES} each) of open file `fd` from `position` to `size`. */
function readSegments(fd: number, position: number, size: number): Buffer[] {
  const segments: Buffer[] = [];
  for (let at = position; at < size;) {
    const raw = readRange(fd, at, Math.min(SEGMENT_BYTES, size - at));
    if (raw.length === 0) break;
    segments.push(raw);
    at += raw.length;
  }
  return segments;
}

/** {@link planArchive} into a fresh directory (`PlanOptions.freshDir`): a first version, whole. */
function planFresh(dir: string, key: string, source: ArchiveSource, sync: boolean): ArchivePlan {
  const sourceJson = join(dir, 'source.json');
  const fd = openSync(sourceJson, 'wx', 0o600);
  try {
    writeSync(fd, JSON.stringify(source));
    if (sync) fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  const src = openSync(source.path, 'r');
  let segments: Buffer[];
  try {
    segments = readSegments(src, 0, fstatSync(src).size);
  } finally {
    closeSync(src);
  }
  return {
    key,
    version: 1,
    newVersion: false,
    archivedBefore: 0,
    segments,
    file: versionFile(dir, 1),
    write: true,
    validEnd: 0,
    newFile: true,
    unsynced: sync ? [] : [sourceJson],
  };
}

/**
 * The writing half of {@link archiveTranscript}: appends `frames` (the plan's segments encoded
 * by `encodeFrame` or `encodeFrameAsync`, in order) to the plan's version file, after cutting off
 * a torn tail, and syncs it (unless `sync: false`: then its path is in `unsynced`).
 */
export function writeArchive(
  plan: ArchivePlan,
  frames: readonly Buffer[],
  options: ArchiveOptions = {},
): ArchiveResult {
  const sync = options.sync !== false;
  const unsynced = [...plan.unsynced];
  const appendedBytes = plan.segments.reduce((sum, raw) => sum + raw.length, 0);
  const result = {
    key: plan.key,
    version: plan.version,
    archivedBytes: plan.archivedBefore + appendedBytes,
    appendedBytes,
    newVersion: plan.newVersion,
    appended:
      plan.segments.length === 1 && plan.segments[0] !== undefined
        ? plan.segments[0]
        : Buffer.concat(plan.segments),
    unsynced,
  };
  if (!plan.write) return result;
  if (frames.length !== plan.segments.length)
    throw new Error(`${String(frames.length)} frames for ${String(plan.segments.length)} segments`);
  const out = openSync(plan.file, 'a', 0o600);
  try {
    if (fstatSync(out).size > plan.validEnd) ftruncateSync(out, plan.validEnd);
    for (const frame of frames) writeSync(out, frame);
    if (sync) fsyncSync(out);
    else unsynced.push(plan.file);
  } finally {
    closeSync(out);
  }
  if (plan.newFile) {
    // a new version file: its name must reach the disk too
    const dir = dirname(plan.file);
    if (sync) syncPath(dir);
    else unsynced.push(dir);
  }
  return result;
}

/**
 * Appends what is new in `source.path` since the last copy as compressed segments. If the
 * original shrank or its archived part changed (checked on the first and last segment), the old
 * version is kept and a new version is started; archived bytes are never lost. The caller holds
 * the transcript's lock (see {@link tryLock}).
 */
export function archiveTranscript(
  archiveDir: string,
  source: ArchiveSource,
  options: ArchiveOptions = {},
): ArchiveResult {
  const plan = planArchive(archiveDir, source, options);
  return writeArchive(plan, plan.segments.map(encodeFrame), options);
}

/** Syncs one file or directory to disk (a directory: the names in it). */
export function syncPath(path: string): void {
  const fd = openSync(path, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * Syncs files and directories to disk, several at once (the file system commits concurrent
 * syncs together); each path once.
 */
export async function syncPaths(paths: Iterable<string>): Promise<void> {
  await Promise.all(
    [...new Set(paths)].map(async (path) => {
      const handle = await open(path, 'r');
      try {
        await handle.sync();
      } finally {
        await handle.close();
      }
    }),
  );
}

function renameQuiet(from: string, to: string): void {
  try {
    renameSync(from, to);
  } catch {
    // the other writer won; same content
  }
}

/** Transcript bytes held by one version of an archived transcript. */
export function archivedLength(archiveDir: string, key: string, version: number): number {
  return scanVersion(join(archiveDir, key), version).rawLength;
}

/**
 * The original bytes of one version of an archived transcript from `fromByte` on, decompressing
 * only the segments needed; byte-exact.
 */
export function readArchived(
  archiveDir: string,
  key: string,
  version?: number,
  fromByte = 0,
): Buffer {
  const v = version ?? listVersions(archiveDir, key).at(-1);
  if (v === undefined) throw new Error(`nothing archived under ${key}`);
  const file = readFileSync(versionFile(join(archiveDir, key), v));
  const scan = scanFrames(file);
  const parts: Buffer[] = [];
  for (const frame of scan.frames) {
    if (frame.rawOffset + frame.rawLength <= fromByte) continue;
    const raw = decodeFrame(file, frame);
    parts.push(fromByte > frame.rawOffset ? raw.subarray(fromByte - frame.rawOffset) : raw);
  }
  return Buffer.concat(parts);
}

/** One archived transcript as listed by {@link listArchive}. */
export interface ArchiveEntry {
  readonly key: string;
  readonly source: ArchiveSource | undefined;
  readonly versions: readonly number[];
  /** Compressed bytes on disk over all versions. */
  readonly diskBytes: number;
}

/** Every archived transcript under `archiveDir`. */
export function listArchive(archiveDir: string): ArchiveEntry[] {
  let keys: string[];
  try {
    keys = readdirSync(archiveDir).filter((k) => /^[0-9a-f]{32}$/.test(k));
  } catch {
    return [];
  }
  return keys.map((key) => {
    const versions = listVersions(archiveDir, key);
    let diskBytes = 0;
    for (const v of versions) diskBytes += statSync(versionFile(join(archiveDir, key), v)).size;
    return { key, source: readArchiveSource(archiveDir, key), versions, diskBytes };
  });
}
