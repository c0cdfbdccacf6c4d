import { mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { archiveKey } from './archive.js';
import { openContentIndex } from './content-index.js';
import { restoreTranscript } from './restore.js';
import { makeTempDir } from './test-support/temp-dir.js';
import { assistantLine, jsonl, userLine } from './test-support/transcript.js';
import { updateContent } from './update-content.js';

describe('restoreTranscript', () => {
  it('writes the archived transcript back byte for byte and never overwrites a different file', () => {
    const dir = makeTempDir();
    const archiveDir = join(dir, 'archive');
    const path = join(dir, 'projects', '-repo', 'c1.jsonl');
    const original = `${jsonl([userLine('c1', 'héllo ✓'), assistantLine('c1', 'hi')])}{"torn`;
    const index = openContentIndex(join(dir, 'content.db'));
    mkdirSync(join(dir, 'projects', '-repo'), { recursive: true });
    writeFileSync(path, original);
    updateContent([{ path, claudeSessionId: 'c1', stableId: 'ses_r' }], { archiveDir, index });
    unlinkSync(path);

    const key = archiveKey(path);
    expect(restoreTranscript(archiveDir, key, path)).toBe('written');
    expect(readFileSync(path).equals(Buffer.from(original))).toBe(true);
    expect(restoreTranscript(archiveDir, key, path)).toBe('identical');
    writeFileSync(path, 'someone else wrote this\n');
    expect(restoreTranscript(archiveDir, key, path)).toBe('conflict');
    expect(readFileSync(path, 'utf8')).toBe('someone else wrote this\n');
    const elsewhere = join(dir, 'to', 'c1.jsonl');
    expect(restoreTranscript(archiveDir, key, elsewhere)).toBe('written');
    expect(readFileSync(elsewhere).equals(Buffer.from(original))).toBe(true);
  });
});
