/**
 * The original's `sessions-db.json` text, and a canonical stringify for hashing.
 *
 * @packageDocumentation
 */
import fastStableStringify from 'fast-json-stable-stringify';
import type { Projection } from './types.js';
import { hasOwn, setOwn } from './internal/values.js';

/** `_meta` keys in the order the original writes them; other keys follow in their own order. */
const META_KEY_ORDER = [
  'schema_version',
  'fingerprint_versions',
  'updated',
  'event_count',
  'last_event_id',
] as const;

/**
 * The text of `sessions-db.json` as the original's `saveProjection` writes it:
 * `JSON.stringify(projection, null, 2)` with `_meta` first (keys `schema_version`,
 * `fingerprint_versions`, `updated`, `event_count`, `last_event_id`, then any others), then
 * `sessions` in insertion order, and no trailing newline. `_meta.updated` is written as it is:
 * the caller stamps it (the original sets it to the save time).
 */
export function serializeProjection(projection: Projection): string {
  const meta = projection._meta as unknown as Record<string, unknown>;
  const orderedMeta: Record<string, unknown> = {};
  for (const key of META_KEY_ORDER) orderedMeta[key] = meta[key];
  for (const key of Object.keys(meta)) {
    if (!hasOwn(orderedMeta, key)) setOwn(orderedMeta, key, meta[key]);
  }
  const { _meta: _ignored, sessions, ...rest } = projection as Projection & Record<string, unknown>;
  return JSON.stringify({ _meta: orderedMeta, sessions, ...rest }, null, 2);
}

/**
 * Deterministic JSON with object keys sorted at every level (`fast-json-stable-stringify`), for
 * hashing and comparisons. Returns undefined only for values JSON cannot represent (undefined, a
 * function, a symbol).
 *
 * @throws TypeError when `value` contains a cycle.
 */
export function stableStringify(value: object | string | number | boolean | null): string;
export function stableStringify(value: unknown): string | undefined;
export function stableStringify(value: unknown): string | undefined {
  return fastStableStringify(value);
}
