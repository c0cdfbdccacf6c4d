import { statSync } from 'node:fs';
import { dirname } from 'node:path';

import {
  errorCode,
  projectDirOf,
  isUuidShaped,
  projectsRoot,
  resolveClaudeHome,
} from '@sessions-db/git-transcript';
import { gatherSessionFacts, openStore, resolveStore } from '@sessions-db/store';
import type { RecordResult, SessionsStore } from '@sessions-db/store';

import type { HookOutcome, RunReport } from './diagnostics-log.js';
import { describeError } from './diagnostics-log.js';
import { findClaudePid } from './find-claude-pid.js';
import type { HookDeadlines, HookEnv, HookEnvSource } from './hook-env.js';
import { hookEventKey } from './hook-key.js';
import { parseHookRequest } from './hook-payload.js';
import { startContentIndexer } from './content-indexer.js';
import { payloadAgent } from './payload-agent.js';
import { readHookInput } from './read-hook-stdin.js';
import type { ReadHookInputOptions } from './read-hook-stdin.js';

/** Inputs of {@link runHook}; everything the run reads from its process is passed in. */
export interface RunHookOptions {
  /** The raw environment (the store resolver reads `SESSIONS_DB_ROOT` and its alias from it). */
  readonly env: HookEnvSource;
  /** The hook's settings, parsed from `env`. */
  readonly settings: HookEnv;
  /**
   * Where the payload is: its descriptor (0), read directly, and the stream to read instead when
   * that is a character device (`() => process.stdin`, created only then).
   */
  readonly stdin: Pick<ReadHookInputOptions, 'fd' | 'stream'>;
  /**
   * Deadlines on the monotonic clock (`performance.now()` ms): reading stdin has its own limit,
   * then the event's deadline applies to every step.
   */
  readonly deadlines: HookDeadlines;
  /** Called with the event's deadline once the event is known (the process re-arms its timer). */
  readonly armDeadline?: (at: number) => void;
  /** The store named on the hook's command line (`--store DIR`): it wins over the environment. */
  readonly store?: string | undefined;
  /** The hook's parent pid (`process.ppid`): where the search for the Claude process starts. */
  readonly parentPid: number;
  /** The process working directory (the last cwd fallback). */
  readonly processCwd: string;
  /** Filled in as the run goes, so that a run cut short still reports what it did. */
  readonly report: RunReport;
}

/** Round a duration to a tenth of a millisecond. */
function roundMs(ms: number): number {
  return Math.round(ms * 10) / 10;
}

/**
 * Time kept back for the durable part of a run (opening the store, appending, indexing): optional
 * enrichment (Claude-process discovery, transcript and git facts) must be done this long before
 * the deadline, at most half of what is left (ms).
 */
export const RECORD_RESERVE_MS = 500;

/** Time a run whose payload arrived after its deadline still takes to make it durable (ms). */
export const LATE_RECORD_MS = 500;

/** How long opening the store may wait for another writer to catch the index up (ms). */
const OPEN_WAIT_MS = 50;

/** Run `step` and add its duration to `report.timings[name]`. */
async function timed<T>(report: RunReport, name: string, step: () => T | Promise<T>): Promise<T> {
  const start = performance.now();
  try {
    return await step();
  } finally {
    report.timings[name] = roundMs(performance.now() - start);
  }
}

/**
 * Note a payload transcript path that exists but is not a regular file (a directory, a FIFO, a
 * device): the store's locator never reads such a path, and the diagnostics log says why.
 */
function noteOddTranscriptPath(path: string | null, report: RunReport): void {
  if (path === null) return;
  try {
    const stat = statSync(path, { throwIfNoEntry: false });
    if (stat !== undefined && !stat.isFile()) {
      report.notes.push('transcript_path is not a regular file; ignored');
    }
  } catch {
    // unreadable: the locator will not use it either
  }
}

/**
 * The Claude project directory of the hook's session: the payload transcript's directory when it
 * sits directly under `<claude home>/projects` (Claude shortens and hashes long names in a way we
 * do not compute), else the directory Claude names after the working directory.
 */
function claudeProjectDir(claudeHome: string, cwd: string, transcriptPath: string | null): string {
  const root = projectsRoot(claudeHome);
  if (transcriptPath !== null && dirname(dirname(transcriptPath)) === root)
    return dirname(transcriptPath);
  return projectDirOf(claudeHome, cwd);
}

/** The outcome of a failed record: a lock that was not free before the deadline is a timeout. */
function failureOutcome(code: string): HookOutcome {
  return /busy|lock|timeout|deadline/i.test(code) ? 'timeout' : 'error';
}

function skip(report: RunReport, detail: string): RunReport {
  report.outcome = 'skipped';
  report.detail = detail;
  return report;
}

/**
 * One hook run: read the payload, and for SessionStart or SessionEnd gather the session's facts
 * and record them in the store the resolution chain finds. Fills `report` step by step and sets
 * its outcome. Never throws: a failure is reported as the `error` outcome.
 */
export async function runHook(options: RunHookOptions): Promise<RunReport> {
  const { report, settings } = options;
  try {
    const input = await timed(report, 'stdin', () =>
      readHookInput({ ...options.stdin, deadline: options.deadlines.stdin }),
    );
    if (input.kind === 'none') report.notes.push(`no stdin payload (${input.reason})`);
    const request = parseHookRequest(input, settings, options.processCwd);
    if (request.kind === 'other') {
      report.event = request.event;
      return skip(report, `event ${request.event} is not handled`);
    }
    report.event = request.kind;
    report.csid = request.sessionId;
    if (request.eventDefaulted) report.notes.push('no hook_event_name; treated as SessionStart');
    if (request.kind === 'SessionStart') report.source = request.source;
    else report.reason = request.reason;
    const csid = request.sessionId;
    if (csid === null || !isUuidShaped(csid)) {
      return skip(report, csid === null ? 'no session id' : 'session id is not UUID-shaped');
    }

    // From here on the event's own deadline applies, and the event is made durable first: when
    // time runs short, enrichment is skipped (the next writer, SessionEnd or import fills it in).
    const deadline =
      request.kind === 'SessionEnd' ? options.deadlines.sessionEnd : options.deadlines.sessionStart;
    // A payload read late (start-up ate the deadline) still gets the short time the durable
    // append needs; the enrichment is skipped.
    options.armDeadline?.(Math.max(deadline, performance.now() + LATE_RECORD_MS));
    const enrichBy = deadline - Math.min(RECORD_RESERVE_MS, (deadline - performance.now()) / 2);
    const short = (): boolean => performance.now() >= enrichBy;

    const paths = await timed(report, 'resolve_store', () =>
      resolveStore({ store: options.store, cwd: request.cwd, env: options.env }),
    );
    report.store = paths.dir;
    const claudeHome = resolveClaudeHome(options.env);
    const agent = payloadAgent(csid, request.transcriptPath);
    if (agent !== 'claude') report.notes.push(`agent ${agent}`);
    const claude =
      agent === 'claude'
        ? await timed(report, 'claude_pid', () =>
            findClaudePid({
              startPid: options.parentPid,
              claudePidEnv: settings.claudePid,
              claudeHome,
              // short of time: no climbing, the direct parent (or CLAUDE_PID) stands
              deadline: short() ? performance.now() : enrichBy,
            }),
          )
        : null;
    if (claude !== null) report.claudePid = claude.pid;
    if (short()) report.notes.push('short of time: enrichment skipped');

    noteOddTranscriptPath(request.transcriptPath, report);
    const gathered = await timed(report, 'gather', () =>
      gatherSessionFacts({
        claudeSessionId: csid,
        ...(agent === 'claude' ? {} : { agent }),
        cwd: request.cwd,
        hookEvent: request.kind,
        claudeHome,
        // a deadline already past reads no transcript window and spawns no git
        deadline: short() ? performance.now() : enrichBy,
        storePreview: settings.storePreview,
        transcriptPath: request.transcriptPath,
        claudePid: claude?.pid ?? null,
        ...(request.kind === 'SessionStart'
          ? {
              source: request.source,
              model: request.model,
              agentType: request.agentType,
              sessionTitle: request.sessionTitle,
            }
          : { reason: request.reason }),
      }),
    );
    for (const [step, ms] of Object.entries(gathered.timings)) {
      report.timings[`gather.${step}`] = roundMs(ms);
    }

    let store: SessionsStore | undefined;
    try {
      store = await timed(report, 'open_store', () =>
        // fsync: a recorded session survives a power loss (docs/storage.md#the-write-path), for a
        // few ms. Catching the index up at open is optional: it waits only briefly for the lock.
        // memoryIndexFallback: an unusable index never stops the event reaching the log.
        openStore(paths, {
          busyTimeoutMs: Math.max(0, Math.min(OPEN_WAIT_MS, deadline - performance.now())),
          fsync: true,
          memoryIndexFallback: true,
          // An index only busy at open (another process creating it, or checkpointing it as it
          // closes) is opened again while there is time: the in-memory fallback reads the log
          // folded at open, and takes the file's write lock only when it can.
          openBusyUntil: enrichBy,
        }),
      );
      const opened = store;
      // The index file could not be used: the log was folded in memory, and the record decides
      // against that (under the file's write lock only when the file was just busy).
      if (opened.indexFallback !== null)
        report.notes.push(`in-memory index: ${opened.indexFallback}`);
      // Sessions of this project recorded without their head (their SessionEnd was short of
      // time, killed, or never came): read their files now, before this session is resolved, so
      // a fork or clear of one of them finds its uuids. Optional: only with time to spare.
      if (agent === 'claude' && !short()) {
        try {
          const caught = await timed(report, 'catch_up', () =>
            opened.catchUpHeads({
              projectDir: claudeProjectDir(claudeHome, request.cwd, request.transcriptPath),
              except: csid,
              deadline: enrichBy,
              storePreview: settings.storePreview,
            }),
          );
          if (caught.filled.length > 0)
            report.notes.push(`caught up the head of ${caught.filled.join(', ')}`);
        } catch (error) {
          // Never at the expense of this run's own record.
          report.notes.push(`catch-up failed: ${describeError(error)}`);
        }
      }
      // The same event delivered twice (settings hook and plugin) is recorded once.
      const hookKey = input.kind === 'json' ? hookEventKey(input.value) : null;
      const recordOptions = {
        deadline,
        appendWhenBusy: true,
        ...(hookKey === null ? {} : { hookKey }),
      };
      const result: RecordResult = await timed(report, 'record', () =>
        request.kind === 'SessionStart'
          ? opened.recordSessionSeen(
              { facts: gathered.facts, payload: gathered.seenPayload, titles: gathered.titles },
              // A lock still busy near the deadline (a burst of hooks): append unindexed rather
              // than lose the session; the next writer indexes it.
              recordOptions,
            )
          : opened.recordSessionEnd(
              {
                facts: gathered.facts,
                payload: gathered.endPayload ?? {
                  claude_session_id: csid,
                  reason: request.reason,
                },
                seenPayload: gathered.seenPayload,
                titles: gathered.titles,
              },
              recordOptions,
            ),
      );
      if (result.ok) {
        report.outcome = 'recorded';
        report.stableId = result.stableId;
        // Content work (archive, index) never runs in the SessionEnd budget: a detached process.
        if (
          request.kind === 'SessionEnd' &&
          startContentIndexer({ storeDir: paths.dir, claudeSessionId: csid, env: options.env })
        )
          report.notes.push('content indexer started');
        if (result.degraded.length > 0)
          report.notes.push(`degraded: ${result.degraded.join(', ')}`);
      } else {
        report.outcome = failureOutcome(result.error.code);
        report.detail = `record failed (${result.error.code})`;
        report.error = result.error.message;
      }
    } finally {
      try {
        store?.close();
      } catch {
        // the transaction is already committed or rolled back; closing only frees the handle
      }
    }
    return report;
  } catch (error) {
    // an error without a string code is 'EUNKNOWN', which failureOutcome calls an error
    report.outcome = failureOutcome(errorCode(error));
    report.error = describeError(error);
    return report;
  }
}
