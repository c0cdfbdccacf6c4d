import { MAX_PARENT_CHAIN_DEPTH, MAX_TREE_DEPTH } from '@sessions-db/projection';

/** Default row limit of `findSessions`. */
export const DEFAULT_FIND_LIMIT = 50;

/** Depth at which `sessionTree` stops descending (as the original's tree): projection's bound. */
export { MAX_TREE_DEPTH };

/** Longest ancestor chain `sessionTree` walks: projection's parent-chain bound. */
export const MAX_ANCESTOR_DEPTH = MAX_PARENT_CHAIN_DEPTH;

/**
 * Longest session reference resolved (characters). Ids are under 50 characters; a longer reference
 * can only be an alias, and a pasted 100 KB blob is a mistake to report, not a query to run.
 */
export const MAX_REFERENCE_LENGTH = 4096;

/** How many of the most recently active sessions a catch-up examines (default). */
export const CATCH_UP_RECENT = 16;

/** How many sessions one catch-up fills at most (default). */
export const CATCH_UP_MAX_FILLS = 2;

/** How far back a session's last progress may lie to be caught up (ms): older ones wait for `import`. */
export const CATCH_UP_WINDOW_MS = 7 * 24 * 60 * 60 * 1000;
