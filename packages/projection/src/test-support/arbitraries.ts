/**
 * fast-check arbitraries for event logs. Test-only.
 */
import fc from 'fast-check';
import { KNOWN_OPS } from '../index.js';

const IDS = [
  'sess_01970000-0000-7000-8000-000000000001',
  'sess_01970000-0000-7000-8000-000000000002',
  'sess_01970000-0000-7000-8000-000000000003',
];

const TIMESTAMPS = [
  '2026-05-09T10:00:00.000Z',
  '2026-05-09T10:05:00.000Z',
  '2026-05-09T11:00:00.000Z',
  '2026-05-10T09:00:00+02:00',
  '2026-05-08T23:59:59.999Z',
];

const HUGE = 'x'.repeat(200_000);

const idArb = fc.constantFrom(...IDS);
const smallStr = fc.constantFrom('a', 'b', 'c', '', 'main', '/w');
/** A value of any JSON-ish type, weighted towards the types reducers check for. */
const junk = fc.oneof(
  fc.constant(null),
  fc.constant(undefined),
  fc.integer({ min: -2, max: 5 }),
  smallStr,
  fc.constant(HUGE),
  fc.array(smallStr, { maxLength: 3 }),
  fc.constantFrom(true, false),
  fc.dictionary(smallStr, smallStr, { maxKeys: 2 }),
);

const candidateArb = fc.oneof(
  fc.record(
    { stable_id: fc.oneof(idArb, smallStr), source: fc.constant('fingerprint') },
    { requiredKeys: [] },
  ),
  fc.record({ parent_id: fc.oneof(idArb, smallStr), id: smallStr }, { requiredKeys: [] }),
  junk,
);

const transcriptArb = fc.oneof(
  fc.record(
    {
      path: fc.constantFrom('/t/a.jsonl', '/t/b.jsonl'),
      size: fc.nat(1000),
      mtime: fc.constantFrom(...TIMESTAMPS),
      status: fc.constantFrom('ok', 'corrupted'),
      last_uuid: smallStr,
    },
    { requiredKeys: ['path'] },
  ),
  junk,
);

/** Every payload key a reducer reads. */
const PAYLOAD_KEYS = [
  'claude_session_id',
  'transcript_file',
  'fingerprints',
  'worktree_path_observed',
  'branch_at_start',
  'cwd',
  'identity_resolution',
  'parent_candidate_ids',
  'parent_candidates_omitted_count',
  'claude_pid',
  'tasks',
  'projects',
  'remove',
  'alias',
  'ai_title',
  'custom_title',
  'parent_session_id',
  'kind',
  'auto',
  'outcome',
  'closed_reason',
  'activity_state',
  'effective_last_progress',
  'reason',
];

/** A payload with plausible fields of every op (each field sometimes junk). */
const payloadArb = fc.record(
  {
    claude_session_id: fc.oneof(fc.constantFrom('cs-1', 'cs-2', 'cs-3'), junk),
    transcript_file: transcriptArb,
    fingerprints: fc.oneof(
      fc.record(
        { first_human_prompt_v1: fc.oneof(smallStr, junk), lineage_prefix_v1: smallStr },
        { requiredKeys: [] },
      ),
      junk,
    ),
    branch_current: fc.oneof(smallStr, junk),
    branch_at_start: fc.oneof(smallStr, junk),
    head_last_seen: smallStr,
    first_prompt_preview: fc.oneof(smallStr, junk),
    cwd: fc.oneof(smallStr, junk),
    identity_resolution: fc.oneof(
      fc.record({ source: smallStr, confidence: smallStr, matched: fc.constant({}) }),
      junk,
    ),
    parent_candidate_ids: fc.oneof(fc.array(candidateArb, { maxLength: 4 }), junk),
    parent_candidates_omitted_count: junk,
    tasks: fc.oneof(fc.array(smallStr, { maxLength: 3 }), junk),
    projects: fc.oneof(fc.array(smallStr, { maxLength: 3 }), junk),
    remove: fc.oneof(fc.constant(true), junk),
    alias: fc.oneof(smallStr, junk),
    ai_title: fc.oneof(smallStr, junk),
    custom_title: fc.oneof(smallStr, junk),
    parent_session_id: fc.oneof(idArb, junk),
    kind: fc.oneof(fc.constantFrom('manual', 'fork', 'clear', 'subagent', 'other'), junk),
    auto: fc.oneof(fc.boolean(), junk),
    outcome: fc.oneof(fc.constantFrom('open', 'done', 'blocked'), junk),
    closed_reason: fc.oneof(smallStr, junk),
    activity_state: fc.oneof(fc.constantFrom('active', 'idle', 'archived'), junk),
    effective_last_progress: fc.oneof(fc.constantFrom(...TIMESTAMPS), junk),
    reason: fc.oneof(fc.constantFrom('clear', 'logout'), junk),
    claude_pid: fc.oneof(fc.integer({ min: 1, max: 99999 }), junk),
  },
  { requiredKeys: [] },
);

/** Ops: every known op and a few unknown ones. */
export const opArb = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...KNOWN_OPS) },
  { weight: 1, arbitrary: fc.constantFrom('session_progress', 'name_set', 'mystery') },
);

let eventCounter = 0;

/** A usable event (valid envelope) of any op, with a plausible or junk payload. */
export const eventArb = fc
  .record({
    ts: fc.oneof(
      { weight: 8, arbitrary: fc.constantFrom(...TIMESTAMPS) },
      { weight: 1, arbitrary: junk },
    ),
    op: opArb,
    stable_id: idArb,
    payload: fc.oneof({ weight: 8, arbitrary: payloadArb }, { weight: 1, arbitrary: junk }),
    reuseId: fc.boolean(),
  })
  .map(({ reuseId, ...event }) => {
    if (!reuseId) eventCounter += 1;
    return { ...event, event_id: `evt_prop-${eventCounter}` };
  });

/** A log of usable events; consecutive events sometimes share an id (replays). */
export const logArb = fc.array(eventArb, { maxLength: 30 });

/** Any value a parsed log line could hold: events, broken envelopes, and arbitrary JSON. */
export const anyLineArb = fc.oneof(
  eventArb,
  fc.anything(),
  fc.jsonValue(),
  fc.constant(HUGE),
  fc.record({ op: junk, stable_id: fc.oneof(idArb, junk), payload: junk }, { requiredKeys: [] }),
  fc.record({ op: opArb, stable_id: idArb, payload: fc.anything() }),
  fc.record({
    op: opArb,
    stable_id: idArb,
    payload: fc.dictionary(fc.constantFrom(...PAYLOAD_KEYS), fc.anything(), { maxKeys: 6 }),
  }),
);
