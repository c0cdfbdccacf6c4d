/**
 * The trace `appendEvent` leaves when it finds the log ending mid-line (a writer died mid-write):
 * it appends this marker and a newline to the fragment, in the same `write` as the new event, so
 * the fragment becomes one line of its own that `parseLog` reports as `repaired_fragment`.
 *
 * The marker is a space, U+241E (SYMBOL FOR RECORD SEPARATOR), a space and a fixed tag. A line
 * ending with it can never be valid JSON: the marker holds no `"` (so it cannot close a string the
 * fragment left open) and ends in a bare word that is not a JSON literal. A real event line always
 * ends with `}`, so no event line ends with the marker.
 */
export const REPAIR_MARKER = ' \u241e sessions-db:repaired-fragment';
