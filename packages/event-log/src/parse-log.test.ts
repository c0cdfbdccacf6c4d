import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeEvent, newEvent, parseLog, REPAIR_MARKER } from './index.js';
import { canonical, eventArb, logOf } from './test-support/arbitraries.js';

const line = (n: number): string =>
  encodeEvent(newEvent({ op: 'alias_set', stable_id: `sess_${n}`, payload: { alias: `a${n}` } }));

describe('parseLog', () => {
  it('round-trips newEvent → encodeEvent → parseLog', () => {
    const events = [
      newEvent({
        op: 'session_seen',
        stable_id: 'sess_a',
        payload: { cwd: '/tmp/é 😀', n: [1, null] },
      }),
      newEvent({ op: 'close', stable_id: 'sess_a', payload: { outcome: 'done' } }),
    ];
    const parsed = parseLog(events.map((e) => encodeEvent(e)).join(''));
    expect(parsed.events).toEqual(events);
    expect(parsed.corruptions).toEqual([]);
    expect(Object.keys(parsed.events[0] as object)).toEqual([
      'ts',
      'event_id',
      'op',
      'stable_id',
      'payload',
    ]);
  });

  it('returns an empty log for empty text', () => {
    expect(parseLog('')).toEqual({ events: [], corruptions: [] });
  });

  it('skips empty lines but counts them in line numbers and byte offsets', () => {
    const text = `${line(1)}\n\n{bad\n${line(2)}`;
    const { events, corruptions } = parseLog(text);
    expect(events).toHaveLength(2);
    expect(corruptions).toEqual([
      {
        line: 4,
        offset: Buffer.byteLength(`${line(1)}\n\n`),
        kind: 'middle_corruption',
        tolerated: false,
        excerpt: '{bad',
        reason: expect.stringContaining('SyntaxError') as unknown,
      },
    ]);
  });

  it('measures offsets in UTF-8 bytes', () => {
    const first = encodeEvent(newEvent({ op: 'x', stable_id: 's', payload: { t: 'é€😀' } }));
    const { corruptions } = parseLog(`${first}oops\n${line(1)}`);
    expect(corruptions[0]?.offset).toBe(Buffer.byteLength(first));
    expect(corruptions[0]?.line).toBe(2);
  });

  it('classifies an unterminated unparsable last line as tail_partial', () => {
    const text = `${line(1)}${line(2).slice(0, 30)}`;
    const { events, corruptions } = parseLog(text);
    expect(events).toHaveLength(1);
    expect(corruptions).toMatchObject([{ line: 2, kind: 'tail_partial', tolerated: true }]);
  });

  it('keeps an unterminated last line that parses', () => {
    const { events, corruptions } = parseLog(`${line(1)}${line(2).trimEnd()}`);
    expect(events).toHaveLength(2);
    expect(corruptions).toEqual([]);
  });

  it('treats a newline-terminated malformed last line, and a spaces-only line, as middle_corruption', () => {
    expect(parseLog(`${line(1)}{"ts":\n`).corruptions).toMatchObject([
      { line: 2, kind: 'middle_corruption', tolerated: false },
    ]);
    expect(parseLog(`   \n${line(1)}`).corruptions).toMatchObject([
      { line: 1, kind: 'middle_corruption' },
    ]);
  });

  it('returns JSON lines that are not objects as events (the fold reports them)', () => {
    expect(parseLog('42\nnull\n[1]\n"s"\n').events).toEqual([42, null, [1], 's']);
  });

  it('keeps an 80-character excerpt without splitting a surrogate pair', () => {
    const bad = `${'😀'.repeat(100)}\n${line(1)}`;
    const [corruption] = parseLog(bad).corruptions;
    expect(corruption?.excerpt).toBe('😀'.repeat(80));
  });

  it('reports repaired fragments (fragment + marker, marker only) as tolerated', () => {
    const text =
      `${line(1)}${line(2).slice(0, 50)}${REPAIR_MARKER}\n${REPAIR_MARKER}\n${line(3)}` +
      `${line(4).slice(0, 10)}${REPAIR_MARKER}`;
    const { events, corruptions } = parseLog(text);
    expect(events).toHaveLength(2);
    expect(corruptions).toMatchObject([
      { line: 2, kind: 'repaired_fragment', tolerated: true },
      { line: 3, kind: 'repaired_fragment', tolerated: true, excerpt: REPAIR_MARKER },
      { line: 5, kind: 'repaired_fragment', tolerated: true },
    ]);
  });

  it('never takes the repair marker for JSON', () => {
    for (const fragment of ['', '4', '{"a":"x', '{"a":"x\\', '{"a":1', '[', 'true', '"']) {
      expect(() => JSON.parse(`${fragment}${REPAIR_MARKER}`) as unknown).toThrow(SyntaxError);
    }
  });
});

describe('parseLog properties', () => {
  const logArb = fc.array(eventArb, { minLength: 1, maxLength: 12 });

  it('a valid log cut at any byte gives at most one tail_partial and never a middle_corruption', () => {
    fc.assert(
      fc.property(logArb, fc.double({ min: 0, max: 1, noNaN: true }), (events, at) => {
        const bytes = Buffer.from(logOf(events), 'utf8');
        const cut = Math.floor(at * bytes.length);
        const { events: parsed, corruptions } = parseLog(bytes.subarray(0, cut).toString('utf8'));
        expect(corruptions.filter((c) => c.kind !== 'tail_partial')).toEqual([]);
        expect(corruptions.length).toBeLessThanOrEqual(1);
        expect(parsed).toEqual(events.slice(0, parsed.length).map(canonical));
        // Every line with at least one byte before the cut is either an event or the tail_partial.
        let start = 0;
        let started = 0;
        for (const event of events) {
          if (start < cut) started += 1;
          start += Buffer.byteLength(encodeEvent(event));
        }
        expect(parsed.length + corruptions.length).toBe(started);
      }),
    );
  });

  it('a damaged line followed by valid lines gives exactly one middle_corruption at its line', () => {
    fc.assert(
      fc.property(
        logArb,
        fc.nat(),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (events, pick, at) => {
          fc.pre(events.length >= 2);
          const index = pick % (events.length - 1);
          const lines = events.map((event) => encodeEvent(event).slice(0, -1));
          const target = lines[index]!;
          // A strict, non-empty prefix of a JSON object is never valid JSON.
          lines[index] = target.slice(0, 1 + Math.floor(at * (target.length - 2)));
          const { events: parsed, corruptions } = parseLog(`${lines.join('\n')}\n`);
          expect(corruptions).toHaveLength(1);
          expect(corruptions[0]).toMatchObject({
            kind: 'middle_corruption',
            tolerated: false,
            line: index + 1,
            offset: Buffer.byteLength(
              lines
                .slice(0, index)
                .map((l) => `${l}\n`)
                .join(''),
            ),
          });
          expect(parsed).toEqual(events.filter((_, i) => i !== index).map(canonical));
        },
      ),
    );
  });

  it('a repaired fragment anywhere gives repaired_fragment and no middle_corruption', () => {
    fc.assert(
      fc.property(
        logArb,
        eventArb,
        fc.nat(),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.boolean(),
        (events, torn, pick, at, twice) => {
          const index = pick % (events.length + 1);
          const tornLine = encodeEvent(torn);
          const fragment = tornLine.slice(0, Math.floor(at * (tornLine.length - 1)));
          // A second unlocked appender that also repaired leaves a marker-only line.
          const repair = `${fragment}${REPAIR_MARKER}\n${twice ? `${REPAIR_MARKER}\n` : ''}`;
          const lines = events.map((event) => encodeEvent(event));
          lines.splice(index, 0, repair);
          const { events: parsed, corruptions } = parseLog(lines.join(''));
          expect(corruptions.map((c) => c.kind)).toEqual(
            twice ? ['repaired_fragment', 'repaired_fragment'] : ['repaired_fragment'],
          );
          expect(corruptions[0]?.line).toBe(index + 1);
          expect(parsed).toEqual(events.map(canonical));
        },
      ),
    );
  });
});
