import type { EventEnvelope } from '@sessions-db/event-log';

/** A write that happened (or would happen with `--dry-run`). */
export interface WriteSummary {
  readonly op: string;
  readonly stable_id: string;
  readonly event_id: string;
  readonly event: EventEnvelope;
  readonly dry_run: boolean;
  /** Extra fields reported after the first line (`alias`, `tasks`, `cleared`, …). */
  readonly extras: Readonly<Record<string, unknown>>;
}

/**
 * The `--dry-run` text (docs/cli.md): `[dry-run] would write event:` then the op, the stable id and
 * the compact JSON payload, labels padded so the values align.
 */
export function renderDryRun(event: EventEnvelope): string {
  return [
    '[dry-run] would write event:',
    `  op:        ${event.op}`,
    `  stable_id: ${event.stable_id}`,
    `  payload:   ${JSON.stringify(event.payload)}`,
  ].join('\n');
}

/** `ok: <op> written for <id> (event_id=<evt>)` then `  <key>: <value>` per extra. */
export function renderWriteResult(summary: WriteSummary): string {
  if (summary.dry_run) return renderDryRun(summary.event);
  const lines = [
    `ok: ${summary.op} written for ${summary.stable_id} (event_id=${summary.event_id})`,
  ];
  for (const [key, value] of Object.entries(summary.extras)) {
    lines.push(`  ${key}: ${typeof value === 'string' ? value : JSON.stringify(value)}`);
  }
  return lines.join('\n');
}

/** The JSON document of a write: `{ ok, op, stable_id, event_id, …extras }`, or the dry-run event. */
export function writeResultJson(summary: WriteSummary): Record<string, unknown> {
  if (summary.dry_run) return { ok: true, dry_run: true, event: summary.event };
  return {
    ok: true,
    op: summary.op,
    stable_id: summary.stable_id,
    event_id: summary.event_id,
    ...summary.extras,
  };
}
