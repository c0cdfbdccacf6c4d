import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseWindow } from './jsonl-lines.js';
import type { TranscriptRecord } from './jsonl-lines.js';
import { LineWindow } from './line-window.js';
import { collect, emptyMeta, selectRecords } from './read-transcript-meta.js';
import type { TranscriptMeta } from './read-transcript-meta.js';

// Small pools, so values repeat (distinct-uuid caps, last-title-wins and dedupe all get exercised).
const uuid = fc.constantFrom('u1', 'u2', 'u3', 'u4', 'u5', 'u6', '', 7);
const text = fc.constantFrom('', 'main', 'fix the login bug', '/home/u/shop', '2.1.240', 'x');
const timestamp = fc.constantFrom('', '2026-08-01T10:00:00.000Z', '2026-08-01T10:05:00.000Z');
const type = fc.constantFrom(
  'user',
  'assistant',
  'system',
  'summary',
  'last-prompt',
  'ai-title',
  'custom-title',
  'pr-link',
  'progress',
  'file-history-snapshot',
);
// Text that mentions the keys the selection looks for, nested inside a message.
const content = fc.oneof(
  text,
  fc.constantFrom('the "uuid" key', '{"leafUuid":"u3"}', 'say \\u0075uid', 'gitBranch'),
  fc.array(
    fc.record(
      { type: fc.constantFrom('text', 'tool_result'), text, uuid },
      { requiredKeys: ['type'] },
    ),
    { maxLength: 2 },
  ),
);

// Most rows carry the common fields; the rarer ones (boundaries, bookmarks, origins, titles, PR
// links) come one at a time and seldom, so a row left out by mistake is not hidden by another
// field that selects it anyway.
const common = fc.record(
  {
    type,
    uuid,
    parentUuid: fc.oneof(uuid, fc.constant(null)),
    timestamp,
    sessionId: text,
    cwd: text,
    gitBranch: text,
    version: text,
    userType: fc.constantFrom('external', 'human', 'internal'),
    isMeta: fc.boolean(),
    message: fc.record({ role: fc.constantFrom('user', 'assistant'), content }),
    nested: fc.record({ uuid, timestamp, gitBranch: text }),
  },
  { requiredKeys: [] },
);
const rare = fc.oneof(
  { weight: 12, arbitrary: fc.constant({}) },
  fc.record({ session_id: fc.constantFrom('', 'other-session', 'x') }),
  fc.record({ logicalParentUuid: uuid }),
  fc.record({ leafUuid: uuid }),
  fc.record({ forkedFrom: fc.record({ sessionId: text, messageUuid: uuid }) }),
  fc.record({ aiTitle: text, title: text }, { requiredKeys: [] }),
  fc.record({ customTitle: text }),
  fc.record({ prNumber: fc.constantFrom(412, 413), prUrl: text, prRepository: text }),
);
const record = fc.tuple(common, rare).map(([a, b]) => ({ ...a, ...b }));

/** One line as a writer might spell it: compact, spaced, a key spelled with `\u` escapes, or not a record. */
const line = fc.oneof(
  { weight: 8, arbitrary: record.map((r) => JSON.stringify(r)) },
  { weight: 2, arbitrary: record.map((r) => JSON.stringify(r, null, 1).replace(/\n/g, '')) },
  {
    weight: 2,
    arbitrary: fc
      .tuple(
        record,
        fc.constantFrom('uuid', 'gitBranch', 'leafUuid', 'ai-title', 'timestamp', 'user'),
      )
      .map(([r, word]) =>
        JSON.stringify(r).replaceAll(
          `"${word}"`,
          `"\\u${word.charCodeAt(0).toString(16).padStart(4, '0')}${word.slice(1)}"`,
        ),
      ),
  },
  { weight: 1, arbitrary: fc.constantFrom('', '   ', '{not json', '42', '[1,2]', 'null') },
);

const lines = fc.array(line, { maxLength: 30 });

function bufferOf(list: readonly string[], crlf: boolean): Buffer {
  return Buffer.from(list.map((l) => `${l}${crlf ? '\r' : ''}\n`).join(''));
}

function allRecords(buffer: Buffer): TranscriptRecord[] {
  return parseWindow(buffer, 0, buffer.length).records;
}

function facts(
  head: readonly TranscriptRecord[],
  tail: readonly TranscriptRecord[],
  maxUuids: number,
  tailRead: boolean,
): TranscriptMeta {
  const meta = emptyMeta('t.jsonl');
  collect(meta, head, tail, maxUuids, tailRead);
  return meta;
}

describe('selectRecords', () => {
  it('leaves out no record that changes a fact: the windows give what parsing every line gives', () => {
    fc.assert(
      fc.property(
        lines,
        lines,
        fc.integer({ min: 0, max: 5 }),
        fc.boolean(),
        (headLines, tailLines, maxUuids, crlf) => {
          const headBuffer = bufferOf(headLines, crlf);
          const tailBuffer = bufferOf(tailLines, crlf);
          const head = new LineWindow(headBuffer, 0, headBuffer.length);
          const tail = new LineWindow(tailBuffer, 0, tailBuffer.length);
          const headSelected = selectRecords(head, { head: true, tail: false }, maxUuids);
          const tailSelected = selectRecords(tail, { head: false, tail: true }, maxUuids);
          expect(facts(headSelected, tailSelected, maxUuids, true)).toEqual(
            facts(allRecords(headBuffer), allRecords(tailBuffer), maxUuids, true),
          );
          expect(facts(headSelected, [], maxUuids, false)).toEqual(
            facts(allRecords(headBuffer), [], maxUuids, false),
          );
          // The whole file in one window: the same records serve as head and tail.
          const whole = selectRecords(
            new LineWindow(headBuffer, 0, headBuffer.length),
            { head: true, tail: true },
            maxUuids,
          );
          const every = allRecords(headBuffer);
          expect(facts(whole, whole, maxUuids, true)).toEqual(facts(every, every, maxUuids, true));
          // Empty only when no line is a record.
          expect(whole.length === 0).toBe(every.length === 0);
        },
      ),
      { numRuns: 400 },
    );
  });
});

describe('LineWindow', () => {
  it('parses only the lines a window of a long session needs, however many there are', () => {
    const parsedFor = (turns: number): number => {
      const rows = [
        JSON.stringify({
          type: 'user',
          userType: 'external',
          uuid: 'first',
          parentUuid: null,
          sessionId: 's',
          cwd: '/w',
          gitBranch: 'main',
          version: '2.1.240',
          timestamp: '2026-08-01T10:00:00.000Z',
          message: { role: 'user', content: 'fix the login bug' },
        }),
      ];
      for (let i = 0; i < turns; i += 1) {
        rows.push(
          JSON.stringify({
            type: 'assistant',
            uuid: `a${i % 40}`,
            sessionId: 's',
            timestamp: '2026-08-01T10:00:01.000Z',
            message: { role: 'assistant', content: [{ type: 'text', text: 'y'.repeat(200) }] },
          }),
        );
      }
      const buffer = bufferOf(rows, false);
      const window = new LineWindow(buffer, 0, buffer.length);
      selectRecords(window, { head: true, tail: true }, 32);
      return window.parsed;
    };
    const short = parsedFor(100);
    expect(short).toBeLessThan(80);
    expect(parsedFor(2000)).toBe(short);
    expect(parsedFor(20_000)).toBe(short);
  });
});
