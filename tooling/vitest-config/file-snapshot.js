// What a directory holds, byte for byte: tests that must prove a command wrote nothing.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

export function snapshotFiles(dir) {
  const files = new Map();
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || /-(shm|wal)$/.test(entry.name)) continue;
    const path = join(entry.parentPath, entry.name);
    files.set(relative(dir, path), readFileSync(path).toString('base64'));
  }
  return files;
}
