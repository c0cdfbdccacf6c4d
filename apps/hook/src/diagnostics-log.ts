import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

/** How a hook run ended. */
export type HookOutcome = 'recorded' | 'skipped' | 'disabled' | 'error' | 'timeout';

/** What one hook run did: filled in step by step, written as one line of the diagnostics log. */
export interface RunReport {
  /** `hook_event_name` of the payload (null until known). */
  event: string | null;
  /** The Claude session id (null until known). */
  csid: string | null;
  /** SessionStart `source`. */
  source: string | null;
  /** SessionEnd `reason`. */
  reason: string | null;
  /** The store directory the run resolved. */
  store: string | null;
  /** The Claude process id the run attributed the session to. */
  claudePid: number | null;
  /** How the run ended (null while it runs). */
  outcome: HookOutcome | null;
  /** The stable id recorded, when recorded. */
  stableId: string | null;
  /** Why the run skipped or failed, in words. */
  detail: string | null;
  /** The error message, when a step failed. */
  error: string | null;
  /** Things worth knowing that did not stop the run (an ignored transcript path, ...). */
  notes: string[];
  /** Milliseconds spent per step. */
  timings: Record<string, number>;
}

/** One line of the diagnostics log (snake_case like the store's on-disk data). */
export interface DiagnosticsEntry {
  readonly ts: string;
  readonly pid: number;
  readonly event: string | null;
  readonly csid: string | null;
  readonly source?: string;
  readonly reason?: string;
  readonly outcome: HookOutcome;
  readonly stable_id: string | null;
  readonly store: string | null;
  readonly claude_pid: number | null;
  readonly detail: string | null;
  readonly error: string | null;
  readonly notes: readonly string[];
  readonly timings: Readonly<Record<string, number>>;
}

/** Longest error or detail text kept in a log line. */
const MAX_TEXT = 1000;

/** A new, empty run report. */
export function createRunReport(): RunReport {
  return {
    event: null,
    csid: null,
    source: null,
    reason: null,
    store: null,
    claudePid: null,
    outcome: null,
    stableId: null,
    detail: null,
    error: null,
    notes: [],
    timings: {},
  };
}

function clip(text: string | null): string | null {
  return text === null || text.length <= MAX_TEXT ? text : `${text.slice(0, MAX_TEXT)}…`;
}

/** The log line of a finished run (`outcome` defaults to `error` when the run never set one). */
export function toDiagnosticsEntry(report: RunReport, ts: Date, pid: number): DiagnosticsEntry {
  return {
    ts: ts.toISOString(),
    pid,
    event: report.event,
    csid: report.csid,
    ...(report.source === null ? {} : { source: report.source }),
    ...(report.reason === null ? {} : { reason: report.reason }),
    outcome: report.outcome ?? 'error',
    stable_id: report.stableId,
    store: report.store,
    claude_pid: report.claudePid,
    detail: clip(report.detail),
    error: clip(report.error),
    notes: report.notes.map((note) => clip(note) ?? ''),
    timings: report.timings,
  };
}

/** The message of any thrown value, in one line. */
export function describeError(error: unknown): string {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return text.replace(/\s+/g, ' ').trim();
}

/**
 * Append `entry` as one JSON line to the file at `path` (created `0600`, parent directories
 * `0700`). Never throws and never prints: returns whether the line was written.
 */
export function appendDiagnostics(path: string, entry: DiagnosticsEntry): boolean {
  try {
    const line = `${JSON.stringify(entry)}\n`;
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    appendFileSync(path, line, { mode: 0o600 });
    return true;
  } catch {
    return false;
  }
}
