import { encodeEvent, EVENT_ID_PREFIX, MAX_EVENT_BYTES } from '@sessions-db/event-log';

import { StoreError } from './errors.js';
import type { PendingEvent, StoreCore } from './store-core.js';

/** Preview length used by the second degradation step (code points). */
const SHORT_PREVIEW_CODE_POINTS = 80;

/**
 * Stands for the event id in the size check: as long as the ids the store mints (`evt_` + a
 * UUID). The id itself is minted when the event is written, in the order of the batch's lines;
 * the write checks the size again with it.
 */
const SIZE_CHECK_EVENT_ID = `${EVENT_ID_PREFIX}00000000-0000-7000-8000-000000000000`;

/** The payload's JSON text when the event's line fits the cap, else undefined. */
function fits(core: StoreCore, pending: PendingEvent): string | undefined {
  const payloadJson = JSON.stringify(pending.payload);
  try {
    encodeEvent(core.envelope(pending, SIZE_CHECK_EVENT_ID), payloadJson);
    return payloadJson;
  } catch (error) {
    if ((error as { code?: unknown }).code === 'EVENT_TOO_LARGE') return undefined;
    throw error;
  }
}

function shorten(text: string, codePoints: number): string {
  const points = [...text];
  return points.length <= codePoints ? text : `${points.slice(0, codePoints - 1).join('')}…`;
}

/** Strings longer than this (code points) are shortened by the `paths_shortened` step. */
const LONG_STRING_CODE_POINTS = 240;
/** Code points kept at each end of a shortened string. */
const KEPT_END_CODE_POINTS = 100;

/**
 * `head…[sha256:<12 hex>]…tail` for a string over {@link LONG_STRING_CODE_POINTS}: both ends stay
 * readable and the hash of the full text keeps two long paths that differ in the middle apart.
 */
export function shortenLongString(text: string): string {
  const points = [...text];
  if (points.length <= LONG_STRING_CODE_POINTS) return text;
  // node:crypto on first use: most processes never shorten a path.
  const hash = process
    .getBuiltinModule('node:crypto')
    .createHash('sha256')
    .update(text)
    .digest('hex')
    .slice(0, 12);
  return `${points.slice(0, KEPT_END_CODE_POINTS).join('')}…[sha256:${hash}]…${points.slice(-KEPT_END_CODE_POINTS).join('')}`;
}

function shortenStrings(value: unknown): unknown {
  if (typeof value === 'string') return shortenLongString(value);
  if (Array.isArray(value)) return value.map(shortenStrings);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, shortenStrings(v)]),
    );
  }
  return value;
}

/**
 * Make a `session_seen` / `session_end` event fit the 4096-byte line cap by degrading its payload
 * step by step instead of losing the session (docs/on-disk-format.md#the-line-cap): drop parent candidates (keeping the
 * omitted count), shorten every very long string (paths: `head…[sha256:…]…tail`), shorten then drop the preview, compact the identity audit trail, then drop the
 * transcript entry's lineage lists (tail, leaf and boundary uuids). Returns the event and the
 * steps applied.
 *
 * @throws StoreError `EVENT_TOO_LARGE` when even the fully degraded payload does not fit.
 */
export function fitPayload(
  core: StoreCore,
  pending: PendingEvent,
): { event: PendingEvent; degraded: string[] } {
  const degraded: string[] = [];
  const { payloadJson: _given, ...fields } = pending;
  const payload: Record<string, unknown> = { ...pending.payload };
  // The event as it stands, with its payload's JSON once it fits (its line reuses that text).
  let event: PendingEvent = { ...fields, payload };
  const fitsNow = (): boolean => {
    const payloadJson = fits(core, { ...fields, payload });
    if (payloadJson !== undefined) event = { ...fields, payload, payloadJson };
    return payloadJson !== undefined;
  };
  const result = (): { event: PendingEvent; degraded: string[] } => ({ event, degraded });
  if (fitsNow()) return result();

  const candidates = payload['parent_candidate_ids'];
  if (Array.isArray(candidates) && candidates.length > 0) {
    const omitted =
      typeof payload['parent_candidates_omitted_count'] === 'number'
        ? payload['parent_candidates_omitted_count']
        : 0;
    delete payload['parent_candidate_ids'];
    payload['parent_candidates_omitted_count'] = omitted + candidates.length;
    degraded.push('parent_candidates_dropped');
    if (fitsNow()) return result();
  }
  // The preview has its own steps below; every other long string is a path or an id.
  const { first_prompt_preview: keptPreview, ...others } = payload;
  const shortened = { ...(shortenStrings(others) as Record<string, unknown>) };
  if (keptPreview !== undefined) shortened['first_prompt_preview'] = keptPreview;
  if (JSON.stringify(shortenStrings(others)) !== JSON.stringify(others)) {
    for (const [key, value] of Object.entries(shortened)) payload[key] = value;
    degraded.push('paths_shortened');
    if (fitsNow()) return result();
  }
  const preview = payload['first_prompt_preview'];
  if (typeof preview === 'string') {
    payload['first_prompt_preview'] = shorten(preview, SHORT_PREVIEW_CODE_POINTS);
    degraded.push('preview_shortened');
    if (fitsNow()) return result();
    payload['first_prompt_preview'] = null;
    degraded.push('preview_dropped');
    if (fitsNow()) return result();
  }
  const audit = payload['identity_resolution'];
  if (audit !== null && typeof audit === 'object') {
    const { source, confidence } = audit as Record<string, unknown>;
    payload['identity_resolution'] = { source, confidence, matched: { truncated: true } };
    degraded.push('audit_compacted');
    if (fitsNow()) return result();
  }
  const transcript = payload['transcript_file'];
  if (transcript !== null && typeof transcript === 'object') {
    const {
      tail_uuids: _t,
      leaf_uuids: _l,
      compact_parent_uuids: _c,
      ...rest
    } = transcript as Record<string, unknown>;
    payload['transcript_file'] = rest;
    degraded.push('transcript_markers_dropped');
    if (fitsNow()) return result();
  }
  throw new StoreError(
    'EVENT_TOO_LARGE',
    `${pending.op} payload does not fit the ${MAX_EVENT_BYTES}-byte event cap even after degrading it (${degraded.join(', ')})`,
  );
}
