import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { KNOWN_OPS, foldEvents, serializeProjection } from './index.js';

const ORIGINAL_OPS = KNOWN_OPS.slice(0, 9);

function readFixture(name: string): { lines: string[]; expected: string } {
  const dir = new URL('./fixtures/', import.meta.url);
  const log = readFileSync(new URL(`${name}.jsonl`, dir), 'utf8');
  return {
    lines: log.split('\n').filter((line) => line.length > 0),
    expected: readFileSync(new URL(`${name}.expected.json`, dir), 'utf8'),
  };
}

const parse = (lines: string[]): unknown[] => lines.map((line) => JSON.parse(line) as unknown);

describe.each(['original-ops', 'additive-ops'])('golden fixture %s', (name) => {
  const { lines, expected } = readFixture(name);

  it('folds to the hand-checked sessions-db.json text', () => {
    const { projection, skipped } = foldEvents(parse(lines));
    expect(skipped).toEqual([]);
    expect(serializeProjection(projection)).toBe(expected);
  });

  it('folds to the same text when cut into two folds at any line', () => {
    const events = parse(lines);
    for (let cut = 0; cut <= events.length; cut += 1) {
      const first = foldEvents(events.slice(0, cut)).projection;
      const { projection } = foldEvents(events.slice(cut), first);
      expect(serializeProjection(projection), `cut at ${cut}`).toBe(expected);
    }
  });
});

describe('golden fixture coverage', () => {
  it('original-ops uses every original op and nothing of ours', () => {
    const ops = new Set(
      parse(readFixture('original-ops').lines).map((e) => (e as { op: string }).op),
    );
    for (const op of ORIGINAL_OPS) expect(ops.has(op), op).toBe(true);
    for (const op of ['session_end', 'reopen', 'custom_title_seen'])
      expect(ops.has(op), op).toBe(false);
  });

  it('additive-ops uses every op of ours and replays one line', () => {
    const { lines } = readFixture('additive-ops');
    const ops = new Set(parse(lines).map((e) => (e as { op: string }).op));
    for (const op of ['session_end', 'reopen', 'custom_title_seen'])
      expect(ops.has(op), op).toBe(true);
    expect(lines.some((line, i) => i > 0 && line === lines[i - 1])).toBe(true);
  });
});
