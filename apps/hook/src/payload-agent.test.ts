import { describe, expect, it } from 'vitest';
import { payloadAgent } from './payload-agent.js';

const THREAD = '01a245b7-d46b-71a0-a76e-3bd93fbd0596';
const ROLLOUT = `/home/dev/.codex/sessions/2026/12/05/rollout-2026-12-05T10-20-05-${THREAD}.jsonl`;

describe('payloadAgent', () => {
  it('recognises a Codex payload by its rollout transcript_path naming the same thread', () => {
    expect(payloadAgent(THREAD, ROLLOUT)).toBe('codex');
    expect(payloadAgent(THREAD.toUpperCase(), ROLLOUT)).toBe('codex');
  });

  it('takes everything else for Claude Code: its own paths, a rollout of another thread, no path', () => {
    expect(payloadAgent(THREAD, `/home/dev/.claude/projects/-home-dev/${THREAD}.jsonl`)).toBe(
      'claude',
    );
    expect(payloadAgent('0b58b276-5b06-4814-8e9c-08e240d64658', ROLLOUT)).toBe('claude');
    expect(payloadAgent(THREAD, null)).toBe('claude');
    expect(payloadAgent(null, ROLLOUT)).toBe('claude');
  });
});
