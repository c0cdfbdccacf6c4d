import { MAX_PARENT_CHAIN_DEPTH, MAX_TREE_DEPTH } from '@sessions-db/projection';

/** Default row limit of `findSessions`. */
export const DEFAULT_FIND_LIMIT = 50;

/** Depth at which `sessionTree` stops descending (as the original's tree): projection's bound. */
export { MAX_TREE_DEPTH };

/** Longest ancestor chain `sessionTree` walks: projection's parent-chain bound. */
export const MAX_ANCESTOR_DEPTH = MAX_PARENT_CHAIN_DEPTH;
