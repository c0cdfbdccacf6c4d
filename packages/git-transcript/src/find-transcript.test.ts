import { mkdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { encodeProjectDir } from './claude-paths.js';
import { findTranscript } from './find-transcript.js';
import { fixturePath, makeTempDir } from './test-support/temp-dir.js';

const ID = '6f1e2d3c-4b5a-4978-8a6b-5c4d3e2f1a0b';
const OTHER = '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';
const CWD = '/home/dev/my_app';

/** A fresh claude home with `projects/<dir>/<file>` for each entry. */
function claudeHome(files: Record<string, string[]>): string {
  const home = makeTempDir();
  for (const [dir, names] of Object.entries(files)) {
    mkdirSync(join(home, 'projects', dir), { recursive: true });
    for (const name of names) writeFileSync(join(home, 'projects', dir, name), '{}\n');
  }
  return home;
}

describe('findTranscript', () => {
  it('trusts the payload path when it names <sessionId>.jsonl and exists', () => {
    const home = claudeHome({ elsewhere: [`${ID}.jsonl`] });
    const path = join(home, 'projects', 'elsewhere', `${ID}.jsonl`);
    expect(
      findTranscript({ claudeHome: home, cwd: CWD, sessionId: ID, transcriptPath: path }),
    ).toEqual({
      path,
      via: 'payload',
    });
  });

  it('ignores a payload path that names another session, and finds the right file', () => {
    const dir = encodeProjectDir(CWD);
    const home = claudeHome({ [dir]: [`${ID}.jsonl`, `${OTHER}.jsonl`] });
    const wrong = join(home, 'projects', dir, `${OTHER}.jsonl`);
    expect(
      findTranscript({ claudeHome: home, cwd: CWD, sessionId: ID, transcriptPath: wrong }),
    ).toEqual({
      path: join(home, 'projects', dir, `${ID}.jsonl`),
      via: 'project_dir',
    });
  });

  it('ignores a payload path that does not exist or is not a regular file', () => {
    const home = claudeHome({ [encodeProjectDir(CWD)]: [] });
    const asDir = join(home, 'projects', 'x', `${ID}.jsonl`);
    mkdirSync(asDir, { recursive: true });
    expect(
      findTranscript({ claudeHome: home, cwd: CWD, sessionId: ID, transcriptPath: asDir }),
    ).toBeNull();
    const missing = join(home, 'projects', 'y', `${ID}.jsonl`);
    expect(
      findTranscript({ claudeHome: home, cwd: CWD, sessionId: ID, transcriptPath: missing }),
    ).toBeNull();
  });

  it('scans every project directory for the exact file name', () => {
    const home = claudeHome({
      '-moved-away': [`${ID}.jsonl`],
      [encodeProjectDir(CWD)]: [`${OTHER}.jsonl`],
    });
    expect(findTranscript({ claudeHome: home, cwd: CWD, sessionId: ID })).toEqual({
      path: join(home, 'projects', '-moved-away', `${ID}.jsonl`),
      via: 'scan',
    });
  });

  it('never returns another session’s file, however new (docs/claude-code.md)', () => {
    const dir = encodeProjectDir(CWD);
    const home = claudeHome({ [dir]: [`${OTHER}.jsonl`, 'agent-1234.jsonl'] });
    expect(findTranscript({ claudeHome: home, cwd: CWD, sessionId: ID })).toBeNull();
  });

  it('does not look inside session or subagent directories', () => {
    const home = makeTempDir();
    const nested = join(home, 'projects', '-p', OTHER, 'subagents');
    mkdirSync(nested, { recursive: true });
    writeFileSync(join(nested, `${ID}.jsonl`), '{}\n');
    expect(findTranscript({ claudeHome: home, cwd: CWD, sessionId: ID })).toBeNull();
  });

  it('picks the most recently modified copy when several project directories hold the id', () => {
    const home = claudeHome({
      '-a': [`${ID}.jsonl`],
      '-b': [`${ID}.jsonl`],
      '-c': [`${ID}.jsonl`],
    });
    utimesSync(join(home, 'projects', '-a', `${ID}.jsonl`), 1_000, 1_000);
    utimesSync(join(home, 'projects', '-b', `${ID}.jsonl`), 3_000, 3_000);
    utimesSync(join(home, 'projects', '-c', `${ID}.jsonl`), 2_000, 2_000);
    expect(findTranscript({ claudeHome: home, sessionId: ID })?.path).toBe(
      join(home, 'projects', '-b', `${ID}.jsonl`),
    );
  });

  it('accepts upper-case UUIDs and rejects ids that are not UUID-shaped', () => {
    const upper = ID.toUpperCase();
    const home = claudeHome({
      [encodeProjectDir(CWD)]: [`${upper}.jsonl`, 'not-a-uuid.jsonl', '.jsonl'],
    });
    expect(findTranscript({ claudeHome: home, cwd: CWD, sessionId: upper })?.via).toBe(
      'project_dir',
    );
    for (const sessionId of ['not-a-uuid', '', '../x', `${ID}x`]) {
      expect(findTranscript({ claudeHome: home, cwd: CWD, sessionId })).toBeNull();
    }
  });

  it('returns null when the projects directory does not exist', () => {
    expect(
      findTranscript({ claudeHome: join(makeTempDir(), 'none'), cwd: CWD, sessionId: ID }),
    ).toBeNull();
  });

  it('finds fixture sessions by project directory and by scan', () => {
    const home = fixturePath('claude-home');
    const sessionId = 'f1f51224-3bfe-450a-9f5a-8bc36f9cfba2';
    expect(findTranscript({ claudeHome: home, cwd: '/home/dev/shop', sessionId })?.via).toBe(
      'project_dir',
    );
    expect(findTranscript({ claudeHome: home, cwd: '/somewhere/else', sessionId })?.via).toBe(
      'scan',
    );
    expect(
      findTranscript({
        claudeHome: home,
        cwd: '/home/dev/shop',
        sessionId: '3e697221-40d7-4025-b853-0612529bfa34',
      })?.path,
    ).toBe(
      join(home, 'projects', '-home-dev-other-repo', '3e697221-40d7-4025-b853-0612529bfa34.jsonl'),
    );
  });
});
