// How token counts and dollars are written (`usage`, `show`, `find --cost`).

/** A token count with thousands separators. */
export function formatTokens(n: number): string {
  return n.toLocaleString('en-US');
}

/** Dollars to the cent (`$0.0042` below a cent), or `unknown`. */
export function formatCost(cost: number | null): string {
  if (cost === null) return 'unknown';
  if (cost > 0 && cost < 0.01) return `$${cost.toFixed(4)}`;
  return `$${cost.toFixed(2)}`;
}
