import { createHash } from 'node:crypto';
import { appendFileSync, readFileSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  archiveKey,
  archiveTranscript,
  listArchive,
  listVersions,
  readArchived,
  SEGMENT_BYTES,
} from './archive.js';
import { makeTempDir } from './test-support/temp-dir.js';

/**
 * A transcript `s.jsonl` holding `text` in a fresh temp directory, the archive directory beside
 * it, and `archive()`, which archives the transcript there.
 */
function transcriptToArchive(text: string) {
  const dir = makeTempDir();
  const archiveDir = join(dir, 'archive');
  const source = join(dir, 's.jsonl');
  writeFileSync(source, text);
  const archive = () => archiveTranscript(archiveDir, { path: source, claudeSessionId: 'c' });
  return { archiveDir, source, archive };
}

describe('archiveTranscript', () => {
  it('reproduces the original bytes after any sequence of appends, including a torn last line', () => {
    fc.assert(
      fc.property(
        fc.array(fc.uint8Array({ minLength: 0, maxLength: 300 }), { minLength: 1, maxLength: 8 }),
        fc.array(fc.boolean(), { minLength: 8, maxLength: 8 }),
        (chunks, archiveAfter) => {
          const dir = makeTempDir();
          const source = join(dir, 'session.jsonl');
          const archiveDir = join(dir, 'archive');
          writeFileSync(source, '');
          const expected: Buffer[] = [];
          chunks.forEach((chunk, i) => {
            appendFileSync(source, chunk);
            expected.push(Buffer.from(chunk));
            if (archiveAfter[i] === true) {
              // without syncing, it says what it wrote; the appended bytes are what is new
              const step = archiveTranscript(
                archiveDir,
                { path: source, claudeSessionId: 'c' },
                { sync: i % 2 === 0 },
              );
              const all = Buffer.concat(expected);
              expect(step.appended.equals(all.subarray(all.length - step.appendedBytes))).toBe(
                true,
              );
              expect(step.archivedBytes).toBe(all.length);
              if (i % 2 === 0) expect(step.unsynced).toEqual([]);
              else if (step.appendedBytes > 0)
                expect(step.unsynced).toContain(join(archiveDir, step.key, 'v1.seg'));
            }
          });
          const result = archiveTranscript(archiveDir, { path: source, claudeSessionId: 'c' });
          expect(result.version).toBe(1);
          expect(readArchived(archiveDir, archiveKey(source)).equals(Buffer.concat(expected))).toBe(
            true,
          );
        },
      ),
      { numRuns: 60 },
    );
  });

  it('splits large transcripts into segments and reads them back from any byte', () => {
    const dir = makeTempDir();
    const source = join(dir, 's.jsonl');
    const line = `${JSON.stringify({ type: 'user', message: { content: 'x'.repeat(1000) } })}\n`;
    const body = line.repeat(Math.ceil((SEGMENT_BYTES * 2.5) / line.length)) + '{"torn":';
    writeFileSync(source, body);
    archiveTranscript(join(dir, 'a'), { path: source, claudeSessionId: 'c' });
    const bytes = Buffer.from(body);
    expect(readArchived(join(dir, 'a'), archiveKey(source)).equals(bytes)).toBe(true);
    const from = SEGMENT_BYTES + 17;
    expect(
      readArchived(join(dir, 'a'), archiveKey(source), 1, from).equals(bytes.subarray(from)),
    ).toBe(true);
    const [entry] = listArchive(join(dir, 'a'));
    expect(entry?.diskBytes).toBeLessThan(bytes.length / 5);
  });

  it('keeps the old copy and starts a new version when the original shrinks or changes', () => {
    const { archiveDir, source, archive } = transcriptToArchive('line one\nline two\n');
    archive();
    truncateSync(source, 5);
    const shrunk = archive();
    expect(shrunk).toMatchObject({ version: 2, newVersion: true, archivedBytes: 5 });
    writeFileSync(source, 'LINE ONE changed and longer\n');
    const changed = archive();
    expect(changed).toMatchObject({ version: 3, newVersion: true });
    const key = archiveKey(source);
    expect(listVersions(archiveDir, key)).toEqual([1, 2, 3]);
    expect(readArchived(archiveDir, key, 1).toString()).toBe('line one\nline two\n');
    expect(readArchived(archiveDir, key, 2).toString()).toBe('line ');
    expect(readArchived(archiveDir, key).toString()).toBe('LINE ONE changed and longer\n');
  });

  it('ignores a torn segment left by a crash and appends after the last complete one', () => {
    const { archiveDir, source, archive } = transcriptToArchive('first\n');
    archive();
    const segFile = join(archiveDir, archiveKey(source), 'v1.seg');
    appendFileSync(segFile, Buffer.from('SDBS\u0000\u0000')); // a crash mid-header
    appendFileSync(source, 'second\n');
    expect(archive()).toMatchObject({ version: 1, appendedBytes: 7 });
    expect(readArchived(archiveDir, archiveKey(source)).toString()).toBe('first\nsecond\n');
  });

  it('creates files 0600 and directories 0700', () => {
    const { archiveDir, source, archive } = transcriptToArchive('x\n');
    archive();
    const keyDir = join(archiveDir, archiveKey(source));
    expect(statSync(keyDir).mode & 0o777).toBe(0o700);
    expect(statSync(join(keyDir, 'v1.seg')).mode & 0o777).toBe(0o600);
    expect(statSync(join(keyDir, 'source.json')).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(join(keyDir, 'source.json'), 'utf8'))).toEqual({
      path: source,
      claudeSessionId: 'c',
    });
  });
});

describe('archiveKey', () => {
  it('is the first 32 hex digits of the SHA-256 of the path (the key of every archive on disk)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 200 }), (path) => {
        const expected = createHash('sha256').update(path, 'utf8').digest('hex').slice(0, 32);
        expect(archiveKey(path)).toBe(expected);
      }),
    );
    expect(archiveKey('/home/u/.claude/projects/-w/0f1e.jsonl')).toBe(
      createHash('sha256')
        .update('/home/u/.claude/projects/-w/0f1e.jsonl')
        .digest('hex')
        .slice(0, 32),
    );
  });
});
