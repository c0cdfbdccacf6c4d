import type { SessionRecord } from '@sessions-db/projection';

import { createMemoryIdentityIndex } from '../memory-identity-index.js';
import { resolveIdentity } from '../resolve-identity.js';
import type { IdentityFacts, IdentityResult, ResolveIdentityOptions } from '../types.js';
import { createMinter } from './records.js';

/**
 * Resolve `facts` against an in-memory index of `records` with a fresh counting minter: the one
 * way the identity tests call `resolveIdentity`.
 */
export function resolveAgainst(
  facts: IdentityFacts,
  records: Iterable<SessionRecord>,
  options: Omit<ResolveIdentityOptions, 'mintStableId'> = {},
): { readonly result: IdentityResult; readonly minter: ReturnType<typeof createMinter> } {
  const minter = createMinter();
  const result = resolveIdentity(facts, createMemoryIdentityIndex(records), {
    mintStableId: minter.mint,
    ...options,
  });
  return { result, minter };
}
