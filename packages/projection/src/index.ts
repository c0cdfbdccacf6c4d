export * from './types.js';
export { SCHEMA_VERSION, FINGERPRINT_VERSIONS, emptyProjection, emptySession } from './empty.js';
export { validateEvent } from './validate-event.js';
export type {
  EventValidation,
  FoldableEvent,
  InvalidEventCode,
  ValidEvent,
} from './validate-event.js';
export { applyEvent, applyEventToMeta, applyEventToSession, isReplay } from './apply-event.js';
export { foldEvents } from './fold-events.js';
export type { FoldResult, SkippedEvent } from './fold-events.js';
export { KNOWN_OPS, bumpsProgress } from './reducers/index.js';
export { PARENT_KINDS } from './reducers/parent-set.js';
export { serializeProjection, stableStringify } from './serialize.js';
export { pickLabel } from './label.js';
export type { LabelSource, PickedLabel } from './label.js';
export {
  MAX_PARENT_CHAIN_DEPTH,
  MAX_TREE_DEPTH,
  ancestorsOf,
  descendantsOf,
  detectParentCycle,
  graphFromProjection,
  isChildOf,
  parentIdOf,
  sortChildren,
} from './parent-graph.js';
export type {
  Ancestors,
  AncestorsStop,
  DescendantNode,
  Descendants,
  ParentCycleCheck,
  ParentGraph,
} from './parent-graph.js';
export {
  DEFAULT_ARCHIVE_THRESHOLD_DAYS,
  DEFAULT_IDLE_THRESHOLD_DAYS,
  computeEffectiveLastProgress,
  computeSweepTransitions,
  resolveSweepThresholds,
} from './sweep-planner.js';
export type {
  SweepMeta,
  SweepOptions,
  SweepRecord,
  SweepThresholdInput,
  SweepThresholds,
  SweepTransition,
  ThresholdSource,
} from './sweep-planner.js';
