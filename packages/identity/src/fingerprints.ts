/**
 * The two fingerprints of docs/identity.md, computed exactly as the original computes them so that
 * fingerprints written by either implementation match: the first 16 lowercase hex characters of
 * SHA-256 over the UTF-8 bytes of the input.
 */
import { sha256HexOfText } from './sha256-text.js';

/** Names of the fingerprints, in the order the original lists them. */
export type FingerprintName = 'first_human_prompt_v1' | 'lineage_prefix_v1';

/** Every fingerprint name, in the original's order (`fingerprints_matched` uses this order). */
export const FINGERPRINT_NAMES: readonly FingerprintName[] = [
  'first_human_prompt_v1',
  'lineage_prefix_v1',
];

/** Both fingerprints of a transcript, under their on-disk names (`null` when not computable). */
export interface ComputedFingerprints {
  first_human_prompt_v1: string | null;
  lineage_prefix_v1: string | null;
}

/** Input of {@link computeFingerprints}; every field may be absent or `null`. */
export interface FingerprintSource {
  /** The first human prompt, already sanitized (`@sessions-db/git-transcript`). */
  readonly sanitizedPrompt?: string | null | undefined;
  readonly firstUuid?: string | null | undefined;
  readonly firstParentUuid?: string | null | undefined;
}

function sha256Prefix16(text: string): string {
  return sha256HexOfText(text).slice(0, 16);
}

/**
 * `first_human_prompt_v1`: first 16 hex chars of SHA-256 of the already-sanitized prompt;
 * `null` when the input is not a string or is empty.
 */
export function firstHumanPromptV1(sanitizedPrompt: unknown): string | null {
  if (typeof sanitizedPrompt !== 'string' || sanitizedPrompt === '') return null;
  return sha256Prefix16(sanitizedPrompt);
}

/**
 * `lineage_prefix_v1`: first 16 hex chars of SHA-256 of `<firstUuid>:<firstParentUuid or ''>`;
 * `null` when `firstUuid` is not a non-empty string (a non-string parent counts as `''`).
 */
export function lineagePrefixV1(firstUuid: unknown, firstParentUuid?: unknown): string | null {
  if (typeof firstUuid !== 'string' || firstUuid === '') return null;
  const parent = typeof firstParentUuid === 'string' ? firstParentUuid : '';
  return sha256Prefix16(`${firstUuid}:${parent}`);
}

/** Both fingerprints at once: `{ first_human_prompt_v1, lineage_prefix_v1 }`. */
export function computeFingerprints(source: FingerprintSource): ComputedFingerprints {
  return {
    first_human_prompt_v1: firstHumanPromptV1(source.sanitizedPrompt),
    lineage_prefix_v1: lineagePrefixV1(source.firstUuid, source.firstParentUuid),
  };
}
