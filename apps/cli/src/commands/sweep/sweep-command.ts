import type { SweepResult } from '@sessions-db/store';
import { booleanArg, numberArg } from '../../args.js';
import { CliError, EXIT, usageError } from '../../cli-error.js';
import type { CommandSpec } from '../../command-spec.js';

type SweepSuccess = Extract<SweepResult, { ok: true }>;

/** The text of a sweep (docs/cli.md; `to active` added when sessions came back). */
export function renderSweep(result: SweepSuccess): string {
  const { transitions, summary } = result;
  if (result.dry_run) {
    if (transitions.length === 0) return 'ok: sweep dry-run — no transitions needed';
    return [
      `ok: sweep dry-run — ${transitions.length} transition(s) planned:`,
      ...transitions.map(
        (t) =>
          `  ${t.stable_id}  ${t.from_state} → ${t.to_state}  (age ${t.age_days}d, last_progress ${t.effective_last_progress})`,
      ),
    ].join('\n');
  }
  if (transitions.length === 0) return 'ok: sweep — no transitions needed';
  const counts = [`${summary.to_idle} to idle`, `${summary.to_archived} to archived`];
  if (summary.to_active > 0) counts.push(`${summary.to_active} to active`);
  return [
    `ok: sweep — ${summary.applied} of ${summary.total} transition(s) applied (${counts.join(', ')})`,
    ...transitions.map(
      (t) => `  ${t.stable_id}  ${t.from_state} → ${t.to_state}  (age ${t.age_days}d)`,
    ),
  ].join('\n');
}

function threshold(args: Parameters<typeof numberArg>[0], key: string): number | undefined {
  const value = numberArg(args, key);
  if (value !== undefined && !(value > 0))
    throw usageError(`--${key} must be a positive number (got: ${value})`);
  return value;
}

/** `sessions-db sweep [--dry-run] [--idle-threshold-days N] [--archive-threshold-days N]`. */
export const sweepCommand: CommandSpec = {
  command: 'sweep',
  describe: 'Apply activity_state transitions (active → idle → archived)',
  builder: (yargs) =>
    yargs
      .option('dry-run', { type: 'boolean', describe: 'Plan the transitions; write nothing' })
      .option('idle-threshold-days', {
        requiresArg: true,
        describe: 'Days without progress before idle (number, default 14)',
      })
      .option('archive-threshold-days', {
        requiresArg: true,
        describe: 'Days without progress before archived (number, default 30)',
      })
      .example('$0 sweep --dry-run', 'What would change')
      .example('$0 sweep --idle-threshold-days 7 --archive-threshold-days 60', 'Custom thresholds'),
  async run(args, context) {
    const idle = threshold(args, 'idle-threshold-days');
    const archive = threshold(args, 'archive-threshold-days');
    if (idle !== undefined && archive !== undefined && archive < idle) {
      throw usageError(
        `--archive-threshold-days (${archive}) must be >= --idle-threshold-days (${idle})`,
      );
    }
    const dryRun = booleanArg(args, 'dry-run');
    const store = await context.openStore();
    const result = store.runSweep({
      dryRun,
      now: context.deps.now(),
      ...(idle === undefined ? {} : { idleThresholdDays: idle }),
      ...(archive === undefined ? {} : { archiveThresholdDays: archive }),
    });
    if (!result.ok) {
      throw new CliError(result.error.code, result.error.message, {
        exitCode: result.error.code === 'INVALID_ARGUMENT' ? EXIT.usage : EXIT.business,
      });
    }
    const json = dryRun
      ? {
          ok: true,
          dry_run: true,
          transitions: result.transitions,
          count: result.transitions.length,
        }
      : {
          ok: true,
          applied: result.transitions,
          failed: [],
          summary: result.summary,
          ...(result.index_pending === undefined ? {} : { index_pending: result.index_pending }),
        };
    return {
      json,
      text: renderSweep(result),
      ...(result.index_pending === undefined
        ? {}
        : {
            stderr: `note: ${result.index_pending}; the events are safe in the log and the index will catch up`,
          }),
    };
  },
};
