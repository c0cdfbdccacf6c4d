import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  listProjectDirs,
  listProjectTranscripts,
  listSubagentTranscripts,
} from './list-transcripts.js';
import { fixturePath, makeTempDir } from './test-support/temp-dir.js';

const HOME = fixturePath('claude-home');
const SHOP = join(HOME, 'projects', '-home-dev-shop');
const OTHER = join(HOME, 'projects', '-home-dev-other-repo');
const S7 = 'f1f51224-3bfe-450a-9f5a-8bc36f9cfba2';
const S8 = 'be3ce27c-923c-48bc-a34d-c79006bca953';
const S9 = '3e697221-40d7-4025-b853-0612529bfa34';

describe('listProjectDirs', () => {
  it('lists the project directories, sorted', () => {
    expect(listProjectDirs(HOME)).toEqual({ projectDirs: [OTHER, SHOP], errors: [] });
  });

  it('treats a missing projects directory as empty', () => {
    expect(listProjectDirs(join(makeTempDir(), 'nothing'))).toEqual({
      projectDirs: [],
      errors: [],
    });
  });

  it('follows symlinked project directories', () => {
    const home = makeTempDir();
    mkdirSync(join(home, 'projects'), { recursive: true });
    symlinkSync(SHOP, join(home, 'projects', '-linked'));
    expect(listProjectDirs(home).projectDirs).toEqual([join(home, 'projects', '-linked')]);
  });
});

describe('listProjectTranscripts', () => {
  it('lists every session transcript and no subagent file', () => {
    const { transcripts, errors } = listProjectTranscripts(HOME);
    expect(errors).toEqual([]);
    const bySession = transcripts.map((t) => [t.sessionId, t.projectDir]).sort();
    expect(bySession).toEqual(
      [
        [S9, OTHER],
        [S8, SHOP],
        [S7, SHOP],
      ].sort(),
    );
    for (const transcript of transcripts) {
      expect(transcript.path).toBe(join(transcript.projectDir, `${transcript.sessionId}.jsonl`));
      expect(transcript.size).toBeGreaterThan(0);
    }
  });

  it('sorts oldest first', () => {
    const { transcripts } = listProjectTranscripts(HOME);
    const times = transcripts.map((t) => t.mtimeMs);
    expect(times).toEqual([...times].sort((a, b) => a - b));
  });

  it('limits the listing to the given project directories, by name or absolute path', () => {
    expect(
      listProjectTranscripts(HOME, { projectDirs: ['-home-dev-other-repo'] }).transcripts.map(
        (t) => t.sessionId,
      ),
    ).toEqual([S9]);
    expect(listProjectTranscripts(HOME, { projectDirs: [OTHER] }).transcripts).toHaveLength(1);
  });

  it('reports unreadable project directories instead of throwing', () => {
    const dir = makeTempDir();
    const file = join(dir, 'not-a-dir');
    writeFileSync(file, 'x');
    const result = listProjectTranscripts(HOME, {
      projectDirs: [file, join(dir, 'missing'), OTHER],
    });
    expect(result.transcripts).toHaveLength(1);
    expect(result.errors.map((error) => error.code).sort()).toEqual(['ENOENT', 'ENOTDIR']);
    expect(result.errors[0]?.path).toBe(file);
  });

  it('reports a dangling symlink named like a session', () => {
    const home = makeTempDir();
    const project = join(home, 'projects', '-p');
    mkdirSync(project, { recursive: true });
    symlinkSync(join(home, 'gone.jsonl'), join(project, `${S7}.jsonl`));
    const result = listProjectTranscripts(home);
    expect(result.transcripts).toEqual([]);
    expect(result.errors).toHaveLength(1);
  });
});

describe('listSubagentTranscripts', () => {
  it('finds both layouts with their parent session', () => {
    const { subagents, errors } = listSubagentTranscripts(SHOP);
    expect(errors).toEqual([]);
    // Sorted by path: `agent-…` sorts before the `<session>/` directory.
    expect(subagents).toEqual([
      expect.objectContaining({
        path: join(SHOP, 'agent-5f3e1a2b.jsonl'),
        agentId: '5f3e1a2b',
        parentSessionId: S8,
        layout: 'legacy',
        metaPath: null,
      }),
      expect.objectContaining({
        path: join(SHOP, S7, 'subagents', 'agent-a2271d1c9f0e4b7a5.jsonl'),
        agentId: 'a2271d1c9f0e4b7a5',
        parentSessionId: S7,
        layout: 'nested',
        metaPath: join(SHOP, S7, 'subagents', 'agent-a2271d1c9f0e4b7a5.meta.json'),
      }),
    ]);
  });

  it('filters by parent session', () => {
    expect(
      listSubagentTranscripts(SHOP, { sessionId: S8 }).subagents.map((s) => s.agentId),
    ).toEqual(['5f3e1a2b']);
    expect(
      listSubagentTranscripts(SHOP, { sessionId: S7 }).subagents.map((s) => s.agentId),
    ).toEqual(['a2271d1c9f0e4b7a5']);
    expect(listSubagentTranscripts(OTHER).subagents).toEqual([]);
  });

  it('reads only the head of a legacy file; a head without a session id gives null', () => {
    const project = makeTempDir();
    writeFileSync(
      join(project, 'agent-x1.jsonl'),
      `not json\n${JSON.stringify({ type: 'user', uuid: 'u' })}\n`,
    );
    const long = `${JSON.stringify({ sessionId: 'late', pad: 'p'.repeat(70_000) })}\n`;
    writeFileSync(join(project, 'agent-x2.jsonl'), long);
    const { subagents } = listSubagentTranscripts(project);
    expect(subagents.map((s) => [s.agentId, s.parentSessionId])).toEqual([
      ['x1', null],
      ['x2', null],
    ]);
  });

  it('reports a missing project directory', () => {
    const result = listSubagentTranscripts(join(makeTempDir(), 'missing'));
    expect(result.subagents).toEqual([]);
    expect(result.errors.map((error) => error.code)).toEqual(['ENOENT']);
  });
});
