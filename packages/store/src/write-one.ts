import type { EventEnvelope } from '@sessions-db/event-log';

import { toOperationError } from './errors.js';
import type { StoreCore } from './store-core.js';
import type { OperationError, OperationResult } from './types.js';

/** What an operation decided: one event to write and extra result fields, or an error. */
export type OperationPlan<Extra> =
  | { readonly ok: false; readonly error: OperationError }
  | {
      readonly ok: true;
      readonly op: string;
      readonly stable_id: string;
      readonly payload: Record<string, unknown>;
      readonly extra: Extra;
    };

/**
 * Run an operation that writes one event. Validation (existence, cycles) runs inside the write
 * transaction, so it sees the same state the event is applied to (no TOCTOU). With `dryRun` the
 * plan runs against the current index and the event is built (fresh ids) but not written.
 */
export function writeOne<Extra extends object>(
  core: StoreCore,
  dryRun: boolean,
  plan: () => OperationPlan<Extra>,
): OperationResult<Extra> {
  try {
    if (dryRun) {
      core.catchUpIfBehind();
      const decided = plan();
      if (!decided.ok) return decided;
      const event = core.envelope({
        op: decided.op,
        stable_id: decided.stable_id,
        payload: decided.payload,
      });
      return { ok: true, dry_run: true, event_id: event.event_id, event, ...decided.extra };
    }
    let failure: OperationError | undefined;
    let extra: Extra | undefined;
    const written = core.transact<readonly EventEnvelope[]>(() => {
      const decided = plan();
      if (!decided.ok) {
        failure = decided.error;
        return { events: [], result: (w) => w };
      }
      extra = decided.extra;
      return {
        events: [{ op: decided.op, stable_id: decided.stable_id, payload: decided.payload }],
        result: (w) => w,
      };
    });
    const event = written[0];
    if (failure !== undefined || event === undefined || extra === undefined) {
      return { ok: false, error: failure ?? { code: 'INTERNAL', message: 'no event was written' } };
    }
    return {
      ok: true,
      dry_run: false,
      event_id: event.event_id,
      event,
      ...extra,
      ...(core.indexPending === null ? {} : { index_pending: core.indexPending }),
    };
  } catch (error) {
    return { ok: false, error: toOperationError(error) };
  }
}
