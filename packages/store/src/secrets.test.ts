// A credential typed in a prompt or carried by a title is redacted in everything sessions-db
// stores and exports: the log, the index, the find results, sessions-db.json. Fingerprints stay
// those of the unredacted prompt (the original computes them that way).
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

import { openStore } from './open-store.js';
import { storePathsIn } from './paths.js';
import { gatherSessionFacts } from './session-facts.js';
import { csid } from './test-support/fixtures.js';
import { tempDir } from './test-support/temp-dir.js';

// Synthetic, assembled at run time: no literal token in the repository.
const GITHUB = `${'gh'}p_${'Zx9'.repeat(12)}`;
const ANTHROPIC = `${'sk-'}ant-api03-${'Qw7e'.repeat(20)}`;
const DB_PASSWORD = `s3cret-${'Pa55'.repeat(4)}`;

describe('secrets in prompts and titles', () => {
  it('never reach the log, the index, find or the export', async () => {
    const dir = tempDir('sdb-secrets-');
    const claudeHome = join(dir, 'claude');
    const project = join(claudeHome, 'projects', '-work-app');
    mkdirSync(project, { recursive: true });
    const id = csid();
    const rows = [
      {
        type: 'user',
        uuid: 'u1',
        parentUuid: null,
        sessionId: id,
        cwd: '/work/app',
        timestamp: '2026-03-01T10:00:00.000Z',
        message: {
          role: 'user',
          content: `deploy with GITHUB_TOKEN=${GITHUB} and postgres://app:${DB_PASSWORD}@db/app`,
        },
      },
      { type: 'ai-title', aiTitle: `Rotate ${ANTHROPIC}`, sessionId: id },
    ];
    writeFileSync(
      join(project, `${id}.jsonl`),
      rows.map((r) => JSON.stringify(r)).join('\n') + '\n',
    );

    const gathered = await gatherSessionFacts({
      claudeSessionId: id,
      cwd: '/work/app',
      hookEvent: 'SessionStart',
      source: 'resume',
      claudeHome,
      sessionTitle: `title ${GITHUB}`,
    });
    const paths = storePathsIn(join(dir, 'store'), 'arg');
    const store = openStore(paths);
    const result = store.recordSessionSeen({
      facts: gathered.facts,
      payload: gathered.seenPayload,
      titles: gathered.titles,
    });
    expect(result.ok).toBe(true);
    const found = JSON.stringify(store.findSessions({ limit: 10 }));
    await store.exportProjection(paths.projectionPath);
    store.close();

    const places = {
      log: readFileSync(paths.eventsPath, 'utf8'),
      index: readFileSync(paths.indexPath).toString('latin1'),
      find: found,
      export: readFileSync(paths.projectionPath, 'utf8'),
    };
    for (const [place, text] of Object.entries(places)) {
      for (const secret of [GITHUB, ANTHROPIC, DB_PASSWORD])
        expect(text.includes(secret), `${place} holds a secret`).toBe(false);
    }
    expect(places.find).toContain('[REDACTED:');
    expect(gathered.facts.firstPrompt).toContain(GITHUB);
  });
});
