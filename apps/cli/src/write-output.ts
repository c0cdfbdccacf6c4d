import type { OperationResult } from '@sessions-db/store';
import type { CommandOutput } from './command-spec.js';
import { renderWriteResult, writeResultJson } from './format/write-result.js';
import { storeFailure } from './session-ref.js';

/**
 * The output of a write command: the event written (or, with `--dry-run`, the event that would
 * be), with its extra fields.
 *
 * @throws CliError (exit 1) when the store refused the write: unknown or ambiguous session, cycle…
 */
export function toWriteOutput(
  result: OperationResult<{ readonly stable_id: string }>,
  failure: { readonly op: string; readonly ref: string },
  extras: Readonly<Record<string, unknown>>,
): CommandOutput {
  if (!result.ok)
    throw storeFailure(result.error, failure.ref, `${failure.op} failed for ${failure.ref}: `);
  const summary = {
    op: result.event.op,
    stable_id: result.stable_id,
    event_id: result.event_id,
    event: result.event,
    dry_run: result.dry_run,
    extras,
  };
  const pending = result.index_pending;
  if (pending === undefined)
    return { json: writeResultJson(summary), text: renderWriteResult(summary) };
  // The event is durable: the write succeeded (exit 0; a retry would write it twice).
  return {
    json: { ...writeResultJson(summary), index_pending: pending },
    text: renderWriteResult(summary),
    stderr: `note: ${pending}; the event is safe in the log and the index will catch up`,
  };
}
