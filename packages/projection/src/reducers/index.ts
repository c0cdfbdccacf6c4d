/**
 * The op → reducer table and the `last_progress_at` policy. Internal.
 *
 * @packageDocumentation
 */
import { reduceAiTitleSeen } from './ai-title-seen.js';
import { reduceAliasSet } from './alias-set.js';
import { reduceClose } from './close.js';
import { reduceCustomTitleSeen } from './custom-title-seen.js';
import { reduceManualLink } from './manual-link.js';
import { reduceParentSet } from './parent-set.js';
import { reduceReopen } from './reopen.js';
import { reduceSessionEnd } from './session-end.js';
import { reduceSessionLink } from './session-link.js';
import { reduceSessionSeen } from './session-seen.js';
import { reduceSessionUnlink } from './session-unlink.js';
import { reduceSweep } from './sweep.js';
import type { Reducer } from './shared.js';
import type { KnownOp } from '../types.js';

const REDUCERS: ReadonlyMap<string, Reducer> = new Map<KnownOp, Reducer>([
  ['session_seen', reduceSessionSeen],
  ['session_link', reduceSessionLink],
  ['session_unlink', reduceSessionUnlink],
  ['alias_set', reduceAliasSet],
  ['parent_set', reduceParentSet],
  ['close', reduceClose],
  ['sweep', reduceSweep],
  ['manual_link', reduceManualLink],
  ['ai_title_seen', reduceAiTitleSeen],
  ['session_end', reduceSessionEnd],
  ['reopen', reduceReopen],
  ['custom_title_seen', reduceCustomTitleSeen],
]);

/**
 * Ops that do not move `last_progress_at` by their `ts`: `sweep` (the original's rule; it moves
 * it through `effective_last_progress` only) and our bookkeeping/observation ops.
 */
const NO_PROGRESS_OPS: ReadonlySet<string> = new Set<KnownOp>([
  'sweep',
  'reopen',
  'custom_title_seen',
]);

/** The reducer of `op`, or undefined for an op this package does not know (a no-op). */
export function reducerFor(op: string): Reducer | undefined {
  return REDUCERS.get(op);
}

/** Every op with a reducer, original ops first. */
export const KNOWN_OPS: readonly KnownOp[] = [...REDUCERS.keys()] as KnownOp[];

/** `true` when an event of `op` moves `last_progress_at` to its `ts` (every op but a few). */
export function bumpsProgress(op: string): boolean {
  return !NO_PROGRESS_OPS.has(op);
}
