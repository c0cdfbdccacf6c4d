import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ORIGINAL_OPS } from '@sessions-db/vitest-config/fixtures';
import { describe, expect, it } from 'vitest';
import {
  encodeEvent,
  extractTimestamp,
  isEventId,
  isSessionId,
  parseLog,
  readLog,
  REPAIR_MARKER,
} from './index.js';
import type { EventEnvelope } from './index.js';

const fixture = (name: string): string =>
  fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));

const SPEC_EXAMPLE_START =
  '{"ts":"2026-05-10T09:15:02.123Z","event_id":"evt_019e0f2d-c6e3-7a41-9b2c-3f1e2d4c5b6a","op":"session_seen",';

describe('a log written by the original tool', () => {
  const text = readFileSync(fixture('original-every-op.jsonl'), 'utf8');
  const lines = text.split('\n').filter(Boolean);
  const { events, corruptions } = parseLog(text);
  const envelopes = events as EventEnvelope[];

  it('parses every line, with keys in the original order', () => {
    expect(corruptions).toEqual([]);
    expect(events).toHaveLength(lines.length);
    for (const event of envelopes) {
      expect(Object.keys(event)).toEqual(['ts', 'event_id', 'op', 'stable_id', 'payload']);
    }
    expect(lines[0]?.startsWith(SPEC_EXAMPLE_START)).toBe(true);
  });

  it('re-encodes every event to its exact original line', () => {
    envelopes.forEach((event, i) => expect(encodeEvent(event)).toBe(`${lines[i]}\n`));
  });

  it('covers every op of the original, including the legacy link remove', () => {
    expect(new Set(envelopes.map((event) => event.op))).toEqual(new Set(ORIGINAL_OPS));
    expect(envelopes.some((e) => e.op === 'session_link' && e.payload['remove'] === true)).toBe(
      true,
    );
  });

  it('is consistent: valid ids, increasing timestamps, ids minted at their timestamps', () => {
    for (const [i, event] of envelopes.entries()) {
      expect(isEventId(event.event_id)).toBe(true);
      expect(isSessionId(event.stable_id)).toBe(true);
      expect(event.ts).toBe(new Date(event.ts).toISOString());
      if (i > 0) {
        expect(event.ts > envelopes[i - 1]!.ts).toBe(true);
        // The first line is the session_seen example of docs/on-disk-format.md verbatim; its ids were made up separately.
        expect(extractTimestamp(event.event_id)).toBe(Date.parse(event.ts));
      }
      const csid = event.payload['claude_session_id'];
      if (csid !== undefined)
        expect(csid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    }
  });

  it('reads back unchanged through the streaming reader', async () => {
    const read = await readLog(fixture('original-every-op.jsonl'));
    expect(read.events).toEqual(events);
    expect(read.corruptions).toEqual([]);
    expect(read.endOffset).toBe(Buffer.byteLength(text));
  });
});

describe('damaged-log fixtures', () => {
  it('tail-partial.jsonl: three events and one tolerated tail_partial', async () => {
    const read = await readLog(fixture('tail-partial.jsonl'));
    expect(read.events).toHaveLength(3);
    expect(read.corruptions).toMatchObject([{ line: 4, kind: 'tail_partial', tolerated: true }]);
    expect(read.endOffset).toBe(read.corruptions[0]?.offset);
  });

  it('repaired-fragment.jsonl: four events and one tolerated repaired_fragment', async () => {
    const text = readFileSync(fixture('repaired-fragment.jsonl'), 'utf8');
    expect(text).toContain(`${REPAIR_MARKER}\n`);
    const read = await readLog(fixture('repaired-fragment.jsonl'));
    expect(read.events).toHaveLength(4);
    expect(read.corruptions).toMatchObject([
      { line: 4, kind: 'repaired_fragment', tolerated: true },
    ]);
  });

  it('middle-corruption.jsonl: four events and one fatal middle_corruption at line 3', async () => {
    const read = await readLog(fixture('middle-corruption.jsonl'));
    expect(read.events).toHaveLength(4);
    expect(read.corruptions).toMatchObject([
      { line: 3, kind: 'middle_corruption', tolerated: false },
    ]);
  });
});
