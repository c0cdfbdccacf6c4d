import { describe, expect, it } from 'vitest';
import { emptyProjection, serializeProjection, stableStringify } from './index.js';
import type { Projection } from './index.js';
import { SID, SID_2, at, ev, fold } from './test-support/events.js';

describe('serializeProjection', () => {
  it('is JSON.stringify with 2-space indentation and no trailing newline', () => {
    const p = fold(ev('session_seen', { claude_session_id: 'cs' }, { ts: at(1) }));
    const text = serializeProjection(p);
    expect(text).toBe(JSON.stringify(p, null, 2));
    expect(text.endsWith('\n')).toBe(false);
    expect(text.startsWith('{\n  "_meta": {\n    "schema_version": 2,')).toBe(true);
  });

  it('renders the empty projection exactly as the original', () => {
    expect(serializeProjection(emptyProjection())).toBe(
      [
        '{',
        '  "_meta": {',
        '    "schema_version": 2,',
        '    "fingerprint_versions": [',
        '      "first_human_prompt_v1",',
        '      "lineage_prefix_v1"',
        '    ],',
        '    "updated": null,',
        '    "event_count": 0,',
        '    "last_event_id": null',
        '  },',
        '  "sessions": {}',
        '}',
      ].join('\n'),
    );
  });

  it('puts the five _meta keys first in the original order, then any other keys', () => {
    const p = {
      sessions: {},
      _meta: {
        archive_threshold_days: 40,
        last_event_id: 'evt_1',
        event_count: 1,
        idle_threshold_days: 10,
        updated: at(1),
        fingerprint_versions: [],
        schema_version: 2,
      },
    } as Projection;
    const parsed = JSON.parse(serializeProjection(p)) as Record<string, Record<string, unknown>>;
    expect(Object.keys(parsed)).toEqual(['_meta', 'sessions']);
    expect(Object.keys(parsed._meta ?? {})).toEqual([
      'schema_version',
      'fingerprint_versions',
      'updated',
      'event_count',
      'last_event_id',
      'archive_threshold_days',
      'idle_threshold_days',
    ]);
  });

  it('keeps records in insertion order', () => {
    const p = fold(
      ev('session_seen', {}, { stableId: SID_2 }),
      ev('session_seen', {}, { stableId: SID }),
    );
    const parsed = JSON.parse(serializeProjection(p)) as { sessions: object };
    expect(Object.keys(parsed.sessions)).toEqual([SID_2, SID]);
  });

  it('does not modify the projection', () => {
    const p = fold(ev('session_seen', {}));
    const before = JSON.stringify(p);
    serializeProjection(p);
    expect(JSON.stringify(p)).toBe(before);
  });
});

describe('stableStringify', () => {
  it('sorts keys at every level', () => {
    expect(stableStringify({ b: 1, a: { d: [2, { z: 1, y: 2 }], c: null } })).toBe(
      '{"a":{"c":null,"d":[2,{"y":2,"z":1}]},"b":1}',
    );
  });

  it('equal objects with different key order give the same text', () => {
    expect(stableStringify({ a: 1, b: 2 })).toBe(stableStringify({ b: 2, a: 1 }));
  });

  it('returns undefined for undefined and throws on a cycle', () => {
    expect(stableStringify(undefined)).toBeUndefined();
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(() => stableStringify(cyclic)).toThrow(TypeError);
  });
});
