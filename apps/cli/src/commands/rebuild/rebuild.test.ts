import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exampleStore } from '../../test-support/harness.js';
import { renderRebuild } from './rebuild-command.js';

/** The export without `_meta.updated` (the time of the export itself). */
function withoutUpdated(text: string): string {
  return text.replace(/\n {4}"updated": "[^"]*",\n/, '\n');
}

async function imported() {
  const home = exampleStore();
  const { run } = home;
  expect((await run('import', '--quiet')).exitCode).toBe(0);
  return { ...home, run };
}

describe('rebuild and export', () => {
  it('rebuilds the index from the log: the export is the same before and after', async () => {
    const { run, storeDir } = await imported();
    await run('alias', 'ee73bb9c', 'login-fix');
    const before = (await run('export')).stdout;
    const result = await run('rebuild');
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toMatch(/^ok: rebuilt projection — 6 sessions, \d+ events\n$/);
    expect(withoutUpdated((await run('export')).stdout)).toBe(withoutUpdated(before));
    expect(withoutUpdated(readFileSync(join(storeDir, 'sessions-db.json'), 'utf8').trimEnd())).toBe(
      withoutUpdated(before.trimEnd()),
    );
    const json = JSON.parse((await run('rebuild', '--json')).stdout) as Record<string, unknown>;
    expect(json).toMatchObject({
      ok: true,
      sessionCount: 6,
      toleratedCorruptions: 0,
      projectionPath: join(storeDir, 'sessions-db.json'),
    });
  });

  it("exports the original's sessions-db.json: _meta + sessions, 2-space indent; --out writes a file", async () => {
    const { run, home } = await imported();
    const text = (await run('export')).stdout;
    const parsed = JSON.parse(text) as {
      _meta: Record<string, unknown>;
      sessions: Record<string, unknown>;
    };
    expect(Object.keys(parsed)).toEqual(['_meta', 'sessions']);
    expect(parsed._meta['schema_version']).toBe(2);
    expect(Object.keys(parsed.sessions)).toHaveLength(6);
    expect(text.startsWith('{\n  "_meta": {\n    "schema_version": 2,')).toBe(true);
    expect(await run('export', '--quiet')).toEqual({ exitCode: 0, stdout: '', stderr: '' });
    const out = await run('export', '--out', 'backup.json');
    expect(out.stdout).toBe(`ok: exported 6 sessions to ${join(home, 'backup.json')}\n`);
    expect(withoutUpdated(readFileSync(join(home, 'backup.json'), 'utf8').trimEnd())).toBe(
      withoutUpdated(text.trimEnd()),
    );
  });

  it('tolerates a cut last line with a warning, and refuses a corrupt middle line (exit 1, line numbers)', async () => {
    const { run, storeDir } = await imported();
    const log = join(storeDir, 'sessions-db-events.jsonl');
    appendFileSync(log, '{"ts":"2026-03-10T12:00:00.000Z","event_id":"evt_x","op":"ali');
    const tolerated = await run('rebuild');
    expect(tolerated.exitCode).toBe(0);
    expect(tolerated.stdout).toMatch(
      /\n {2}\(warning: 1 tail-partial event line\(s\) tolerated\)\n$/,
    );

    const lines = readFileSync(log, 'utf8').split('\n');
    lines.splice(2, 0, 'this is not json');
    writeFileSync(log, lines.join('\n'));
    const refused = await run('rebuild');
    expect(refused.exitCode).toBe(1);
    expect(refused.stdout).toBe('');
    expect(refused.stderr).toMatch(
      /^error: rebuild failed: events log middle-line corruption \(1 line\): line 3: /,
    );
    expect(refused.stderr).toMatch(/\n {2}line 3: .+\n$/);
    const json = await run('rebuild', '--json');
    expect(JSON.parse(json.stdout)).toMatchObject({ ok: false, error: { code: 'LOG_CORRUPTED' } });
  });

  it('renders counts in the singular for one', () => {
    expect(
      renderRebuild({
        ok: true,
        sessionCount: 1,
        eventCount: 1,
        toleratedCorruptions: 0,
        corruptions: [],
        skippedEvents: 0,
        projectionPath: null,
      }),
    ).toBe('ok: rebuilt projection — 1 session, 1 event');
  });
});
