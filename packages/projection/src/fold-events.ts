/**
 * Folding a whole sequence of parsed log lines.
 *
 * @packageDocumentation
 */
import type { Projection } from './types.js';
import { applyEvent } from './apply-event.js';
import { emptyProjection } from './empty.js';
import { cloneJson, excerptOf } from './internal/values.js';
import { validateEvent } from './validate-event.js';
import type { InvalidEventCode } from './validate-event.js';

/** An element of the input that could not be folded. */
export interface SkippedEvent {
  /** 0-based position of the element in the input. */
  readonly index: number;
  readonly code: InvalidEventCode;
  /** What was expected and what was found. */
  readonly reason: string;
  /** The first 80 characters of the element rendered as JSON. */
  readonly excerpt: string;
}

/** Result of {@link foldEvents}. */
export interface FoldResult {
  readonly projection: Projection;
  readonly skipped: readonly SkippedEvent[];
}

/**
 * Fold `events` (any parsed JSON values) in order into a copy of `initial` (default: an empty
 * projection); `initial` itself is never modified. An element that is not a usable event (see
 * `validateEvent`) is skipped and reported; a replay of the last folded event changes nothing.
 * Never throws for any element.
 */
export function foldEvents(events: Iterable<unknown>, initial?: Projection): FoldResult {
  const projection = initial === undefined ? emptyProjection() : cloneJson(initial);
  const skipped: SkippedEvent[] = [];
  let index = 0;
  for (const value of events) {
    const checked = validateEvent(value);
    if (checked.ok) {
      applyEvent(projection, checked.event);
    } else {
      skipped.push({
        index,
        code: checked.code,
        reason: checked.reason,
        excerpt: excerptOf(value),
      });
    }
    index += 1;
  }
  return { projection, skipped };
}
