import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterEach, describe, expect, it } from 'vitest';

import {
  appendDiagnostics,
  createRunReport,
  describeError,
  toDiagnosticsEntry,
} from './diagnostics-log.js';

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'sdb-hook-log-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('toDiagnosticsEntry', () => {
  it('turns a finished report into a snake_case log line', () => {
    const report = createRunReport();
    report.event = 'SessionStart';
    report.csid = '0b9a4b8e-6c43-4c3b-9d0a-4d7e2f3a1b2c';
    report.source = 'resume';
    report.outcome = 'recorded';
    report.stableId = 'ses_x';
    report.store = '/s';
    report.claudePid = 99;
    report.timings['stdin'] = 1.5;
    expect(toDiagnosticsEntry(report, new Date('2026-01-02T03:04:05.000Z'), 7)).toEqual({
      ts: '2026-01-02T03:04:05.000Z',
      pid: 7,
      event: 'SessionStart',
      csid: '0b9a4b8e-6c43-4c3b-9d0a-4d7e2f3a1b2c',
      source: 'resume',
      outcome: 'recorded',
      stable_id: 'ses_x',
      store: '/s',
      claude_pid: 99,
      detail: null,
      error: null,
      notes: [],
      timings: { stdin: 1.5 },
    });
  });

  it('reports a run that never set an outcome as an error, and clips long text', () => {
    const report = createRunReport();
    report.reason = 'clear';
    report.error = 'e'.repeat(5000);
    const entry = toDiagnosticsEntry(report, new Date(0), 1);
    expect(entry.outcome).toBe('error');
    expect(entry.reason).toBe('clear');
    expect(entry).not.toHaveProperty('source');
    expect(entry.error?.length).toBeLessThan(1010);
  });
});

describe('describeError', () => {
  it('gives one line for errors and other thrown values', () => {
    expect(describeError(new TypeError('bad\n  thing'))).toBe('TypeError: bad thing');
    expect(describeError('plain')).toBe('plain');
    expect(describeError(undefined)).toBe('undefined');
  });
});

describe('appendDiagnostics', () => {
  const entry = toDiagnosticsEntry(createRunReport(), new Date(0), 1);

  it('appends one JSON line per call, creating the file 0600 and missing directories', () => {
    const path = join(tempDir(), 'nested', 'dir', 'hook.jsonl');
    expect(appendDiagnostics(path, entry)).toBe(true);
    expect(appendDiagnostics(path, { ...entry, pid: 2 })).toBe(true);
    const lines = readFileSync(path, 'utf8').trimEnd().split('\n');
    expect(lines.map((line) => (JSON.parse(line) as { pid: number }).pid)).toEqual([1, 2]);
    if (process.platform !== 'win32') expect(statSync(path).mode & 0o777).toBe(0o600);
  });

  it('returns false instead of throwing when the file cannot be written', () => {
    const dir = tempDir();
    const asDirectory = join(dir, 'is-a-dir');
    mkdirSync(asDirectory);
    expect(appendDiagnostics(asDirectory, entry)).toBe(false);
    expect(appendDiagnostics(join(dir, 'is-a-dir', '\0bad'), entry)).toBe(false);
  });
});
