import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exampleStore } from '../../test-support/harness.js';
import type { DoctorReport } from './doctor-command.js';

function setup() {
  const home = exampleStore();
  return {
    ...home,
    run: home.run,
  };
}

describe('doctor', () => {
  it('reports a store that does not exist yet without creating it', async () => {
    const { run, storeDir } = setup();
    const result = await run('doctor');
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain(`! store       ${storeDir} (--store) — not created yet`);
    expect(result.stdout).toContain('! hook        not installed');
    expect(result.stdout).toMatch(
      /✓ transcripts .*\.claude\/projects \(2 project\(s\), 7 transcript\(s\)\)/,
    );
  });

  it('checks log, index, lock and hook of an imported store', async () => {
    const { run, storeDir } = setup();
    await run('import', '--quiet');
    await run('hook', 'install', '--command', 'sessions-db-hook');
    const report = JSON.parse((await run('doctor', '--json')).stdout) as DoctorReport;
    expect(report.ok).toBe(true);
    expect(report.store).toEqual({ dir: storeDir, source: 'arg', exists: true });
    expect(report.checks.map((c) => [c.name, c.status])).toEqual([
      ['store', 'ok'],
      ['log', 'ok'],
      ['index', 'ok'],
      ['lock', 'ok'],
      ['archive', 'ok'],
      ['hook', 'ok'],
      ['transcripts', 'ok'],
    ]);
    expect(report.checks.find((c) => c.name === 'archive')?.message).toMatch(
      /^9 transcripts, .* on disk for .* of transcripts$/,
    );
    expect(report.health?.sessions).toBe(6);
    expect(report.claude).toMatchObject({ exists: true, projects: 2, transcripts: 7 });
  });

  it('fails (exit 1) on a corrupt line in the middle of the log', async () => {
    const { run, storeDir } = setup();
    await run('import', '--quiet');
    const log = join(storeDir, 'sessions-db-events.jsonl');
    const { readFileSync } = await import('node:fs');
    const text = readFileSync(log, 'utf8');
    const firstLine = text.slice(0, text.indexOf('\n') + 1);
    writeFileSync(log, `${text}{broken\n${firstLine}`);
    const result = await run('doctor');
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toContain(
      `✗ log         1 corrupt line(s) in the middle of the log (first at byte ${Buffer.byteLength(text)}: `,
    );
    const json = await run('doctor', '--json');
    expect(json.exitCode).toBe(1);
    expect(JSON.parse(json.stdout)).toMatchObject({
      ok: false,
      error: { code: 'CHECK_FAILED', message: 'failed: log' },
    });
  });
});
