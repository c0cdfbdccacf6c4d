// Fixture trees of the workspace that tests of several packages read (real formats, hand-written).
import { fileURLToPath } from 'node:url';

const root = new URL('../../', import.meta.url);

export const CODEX_FIXTURE_HOME = fileURLToPath(
  new URL('packages/git-transcript/src/fixtures/codex-home', root),
);

export const CLAUDE_EXAMPLE_PROJECTS = fileURLToPath(
  new URL('apps/cli/examples/claude-home/projects', root),
);

export const ORIGINAL_OPS = [
  'session_seen',
  'session_link',
  'session_unlink',
  'alias_set',
  'parent_set',
  'close',
  'sweep',
  'manual_link',
  'ai_title_seen',
];
