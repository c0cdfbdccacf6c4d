import fc from 'fast-check';
import { validateEvent } from '@sessions-db/projection';
import { describe, expect, it } from 'vitest';

import { headMatches, readEnvelopeHead, readEnvelopeHeadBytes } from './envelope-head.js';

/** Envelope strings: ASCII, any UTF-16 (quotes, backslashes, controls, lone surrogates), empty. */
const anyText = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.string({ unit: 'binary', maxLength: 8 }),
  fc.constantFrom('', 'sess_a', 'evt_1', '2026-05-10T09:00:00.000Z', 'a"b', 'a\\b', '\u2028'),
);

/** A line laid out as our writer lays it out, or with keys left out, reordered or repeated. */
const anyLine = fc
  .record({
    ts: anyText,
    eventId: anyText,
    op: anyText,
    stableId: anyText,
    payload: fc.jsonValue({ maxDepth: 2 }),
    extra: fc.array(
      fc.tuple(
        fc.constantFrom('ts', 'event_id', 'op', 'stable_id', 'x', 'st\\u0061ble_id'),
        anyText,
      ),
      { maxLength: 2 },
    ),
    tail: fc.constantFrom('', ' ', 'x', '}', ']'),
  })
  .map(({ ts, eventId, op, stableId, payload, extra, tail }) => {
    const head = `{"ts":${JSON.stringify(ts)},"event_id":${JSON.stringify(eventId)},"op":${JSON.stringify(op)},"stable_id":${JSON.stringify(stableId)}`;
    const rest = extra.map(([key, value]) => `,"${key}":${JSON.stringify(value)}`).join('');
    return `${head},"payload":${JSON.stringify(payload)}${rest}}${tail}`;
  });

function parsed(line: string): unknown {
  try {
    return JSON.parse(line) as unknown;
  } catch {
    return undefined;
  }
}

describe('readEnvelopeHead', () => {
  it('reads the same head from a line and from its bytes, and its fields are the parsed ones unless a key repeats', () => {
    fc.assert(
      fc.property(anyLine, (line) => {
        const head = readEnvelopeHead(line);
        const fromBytes = readEnvelopeHeadBytes(Buffer.from(line, 'utf8'));
        // The bytes' reading also wants the closing brace last.
        expect(fromBytes).toEqual(line.endsWith('}') ? head : undefined);
        if (head === undefined) return;
        const validation = validateEvent(parsed(line));
        const repeated = /"(?:ts|event_id|op|stable_id)":|\\u/.test(
          line.slice(line.indexOf('"payload":')),
        );
        if (validation.ok && !repeated) expect(headMatches(head, validation.event)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('reads only plain strings (no escape, no quote, printable ASCII) and a non-empty op and id', () => {
    const line = (ts: string, id: string): string =>
      `{"ts":"${ts}","event_id":"evt_1","op":"alias_set","stable_id":"${id}","payload":{}}`;
    expect(readEnvelopeHead(line('t', 'sess_a'))).toEqual({
      ts: 't',
      eventId: 'evt_1',
      op: 'alias_set',
      stableId: 'sess_a',
    });
    expect(readEnvelopeHead(line('t', ''))).toBeUndefined();
    expect(readEnvelopeHead(line('t\\u0041', 'sess_a'))).toBeUndefined();
    expect(readEnvelopeHead(line('t', 'sess_\u00e9'))).toBeUndefined();
    expect(readEnvelopeHeadBytes(Buffer.from(line('t', 'sess_\u00e9')))).toBeUndefined();
    expect(readEnvelopeHead(`${line('t', 'sess_a').slice(0, -1)} \u241e x`)).toBeDefined();
    expect(readEnvelopeHeadBytes(Buffer.from(`${line('t', 'sess_a')} \u241e x`))).toBeUndefined();
  });
});
