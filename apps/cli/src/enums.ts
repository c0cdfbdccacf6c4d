import { ACTIVITY_STATES, OUTCOMES } from '@sessions-db/projection';

/** Activity states accepted by `--state` (SPEC §10). */
export const ACTIVITY_STATE_VALUES: readonly string[] = ACTIVITY_STATES;

/** Outcomes accepted by `--outcome` (SPEC §9). */
export const OUTCOME_VALUES: readonly string[] = OUTCOMES;
