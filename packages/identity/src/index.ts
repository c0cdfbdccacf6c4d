export { copiesAreForks, parseClientVersion, SAME_ID_RESUME_VERSION } from './client-version.js';
export { IdentityInputError } from './errors.js';
export { sha256HexOfText, sha256OfText, useSha256OfText } from './sha256-text.js';
export type { Sha256OfText } from './sha256-text.js';
export { resolveLateParent } from './late-parent.js';
export { identityCandidateOf, recordLineageKeys, type RecordLineageKeys } from './record-keys.js';
export {
  FINGERPRINT_NAMES,
  computeFingerprints,
  firstHumanPromptV1,
  lineagePrefixV1,
  type ComputedFingerprints,
  type FingerprintName,
  type FingerprintSource,
} from './fingerprints.js';
export {
  LINEAGE_ROLES,
  type ClearEndCandidate,
  type IdentityCandidate,
  type IdentityIndex,
  type LineageCandidate,
  type LineageRole,
} from './identity-index.js';
export { createMemoryIdentityIndex } from './memory-identity-index.js';
export {
  STRONG_CORROBORATORS,
  WEAK_CORROBORATORS,
  classifyCorroborators,
  collectCorroborators,
  meetsThreshold,
  type CorroboratorCounts,
  type CorroboratorFacts,
} from './corroborators.js';
export {
  MAX_PARENT_CANDIDATES,
  capParentCandidates,
  type CappedParentCandidates,
  type ParentCandidateRow,
} from './parent-candidates.js';
export {
  MIN_SPECIFIC_PROMPT_CODE_POINTS,
  MIN_SPECIFIC_PROMPT_RARE_WORDS,
  MIN_SPECIFIC_PROMPT_WORDS,
  assessFirstPrompt,
  type PromptAssessment,
  type PromptVerdict,
} from './prompt-specificity.js';
export { LINEAGE_ROLE_STRENGTH, MAX_FACT_UUIDS_PER_LIST } from './lineage.js';
export {
  DEFAULT_CLEAR_WINDOW_MS,
  DEFAULT_MIN_CORROBORATORS,
  DEFAULT_TIME_WINDOW_HOURS,
  resolveIdentity,
} from './resolve-identity.js';
export type {
  AmbiguousMatched,
  ClearMatched,
  CorroboratorMap,
  CorroboratorName,
  ExactMatched,
  FactFingerprints,
  FingerprintCandidateReason,
  FingerprintMatched,
  ForkMarker,
  IdentityConfidence,
  IdentityFacts,
  IdentityHookEvent,
  IdentityMatched,
  IdentityResult,
  IdentitySource,
  IdentityStartSource,
  LineageMatched,
  MintedMatched,
  ParentCandidateEntry,
  ParentCandidateSource,
  ResolveIdentityOptions,
  StructuralParent,
  StructuralParentKind,
} from './types.js';
