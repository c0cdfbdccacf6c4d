import { codexItemOf, historyModeOf, parentThreadIdOf } from './codex-records.js';
import type { CodexHistoryMode, CodexTokenUsage } from './codex-records.js';
import { parseWindow } from './jsonl-lines.js';
import type { TranscriptRecord } from './jsonl-lines.js';
import { DEFAULT_WINDOW_BYTES, emptyMeta } from './read-transcript-meta.js';
import type { Mutable, ReadTranscriptMetaOptions, TranscriptMeta } from './read-transcript-meta.js';
import { readRolloutWindows } from './read-rollout-bytes.js';
import { asObject, nonEmptyString } from './record-fields.js';

/** The facts of a Codex rollout: the shared transcript facts plus Codex's own lineage and usage. */
export interface CodexRolloutMeta extends TranscriptMeta {
  /** `session_meta.id`: the thread id. */
  readonly threadId: string | null;
  /** `session_meta.forked_from_id` (also in `forkedFrom.sessionId`). */
  readonly forkedFromId: string | null;
  /** The parent thread of a sub-agent (`parent_thread_id`). */
  readonly parentThreadId: string | null;
  readonly historyMode: CodexHistoryMode;
  /** The last cumulative `token_count` total in the tail window (or the head when no tail). */
  readonly usage: CodexTokenUsage | null;
}

function windowOf(bytes: number | undefined): number {
  return bytes !== undefined && Number.isFinite(bytes) && bytes >= 1
    ? Math.floor(bytes)
    : DEFAULT_WINDOW_BYTES;
}

function emptyCodexMeta(path: string): Mutable<CodexRolloutMeta> {
  return {
    ...emptyMeta(path),
    threadId: null,
    forkedFromId: null,
    parentThreadId: null,
    historyMode: 'legacy',
    usage: null,
  };
}

function applySessionMeta(meta: Mutable<CodexRolloutMeta>, payload: TranscriptRecord): void {
  meta.threadId = nonEmptyString(payload['id']);
  meta.sessionId = meta.threadId;
  meta.cwd = nonEmptyString(payload['cwd']);
  meta.version = nonEmptyString(payload['cli_version']);
  meta.historyMode = historyModeOf(payload);
  meta.forkedFromId = nonEmptyString(payload['forked_from_id']);
  if (meta.forkedFromId !== null)
    meta.forkedFrom = { sessionId: meta.forkedFromId, messageUuid: null };
  meta.parentThreadId = parentThreadIdOf(payload);
  meta.gitBranch = nonEmptyString(asObject(payload['git'])?.['branch']);
  meta.firstTimestamp ??= nonEmptyString(payload['timestamp']);
}

/**
 * Read the facts sessions-db needs from a Codex CLI rollout (docs/agents-codex.md): the first line's
 * `session_meta` (thread id, cwd, fork origin, sub-agent parent, CLI version, git branch), the first
 * prompt a person typed, the first and last timestamps and the last token usage, from a bounded
 * head and tail window (a `*.jsonl.zst` is decompressed first). A truncated last line is skipped.
 * Never throws: every outcome is a status, as for Claude transcripts.
 */
export function readCodexRolloutMeta(
  path: string,
  options: ReadTranscriptMetaOptions = {},
): CodexRolloutMeta {
  const meta = emptyCodexMeta(path);
  const windows = readRolloutWindows(
    path,
    windowOf(options.headBytes),
    windowOf(options.tailBytes),
  );
  if (windows.kind === 'missing') return { ...meta, status: 'missing', reason: 'no file' };
  if (windows.kind === 'corrupted') return { ...meta, status: 'corrupted', reason: windows.reason };
  meta.size = windows.size;
  meta.mtime = windows.mtime;
  meta.bytesRead = windows.bytesRead;
  if (windows.head.length === 0) return meta;

  // A window cut mid-line: the head's last partial line and the tail's first are dropped.
  const headEnd = windows.tail === null ? windows.head.length : windows.head.lastIndexOf(0x0a) + 1;
  const head = parseWindow(windows.head, 0, headEnd);
  const tailStart = windows.tail === null ? 0 : windows.tail.indexOf(0x0a) + 1;
  const tail =
    windows.tail === null ? null : parseWindow(windows.tail, tailStart, windows.tail.length);
  if (head.records.length === 0 && (tail === null || tail.records.length === 0)) {
    return {
      ...meta,
      status: head.lines === 0 && windows.tail !== null ? 'too_large' : 'corrupted',
      reason: 'no parsable record',
    };
  }
  const first = head.records[0];
  const sessionMeta = first?.['type'] === 'session_meta' ? asObject(first['payload']) : null;
  if (sessionMeta !== null) applySessionMeta(meta, sessionMeta);

  for (const record of head.records) {
    meta.firstTimestamp ??= nonEmptyString(record['timestamp']);
    if (meta.firstHumanPromptRaw !== null) break;
    const item = codexItemOf(record, meta.historyMode);
    if (item?.kind === 'message' && item.role === 'user') meta.firstHumanPromptRaw = item.text;
  }
  const last = tail ?? head;
  for (const record of last.records) {
    const ts = nonEmptyString(record['timestamp']);
    if (ts !== null) meta.lastTimestamp = ts;
    const item = codexItemOf(record, meta.historyMode);
    if (item?.kind === 'usage') meta.usage = item.total;
  }
  return meta;
}
