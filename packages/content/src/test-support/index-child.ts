// Child process for the SIGKILL tests, until it is killed, printing "ready" after its first pass:
// `reindex` archives and indexes the given transcripts, then indexes them again from scratch over
// and over (as `rebuild --content` does); `grow` appends lines to every transcript and archives
// and indexes what is new in bulk (as `import` does), over and over; `unrenamed` archives new
// transcripts in bulk and prints "ready" when it is about to rename the first new transcript's
// directory into place (its files written and synced), then waits there to be killed; `batches`
// is `grow` over transcripts enough for two batches (the WAL then checkpointed by a worker);
// `merging` is `batches` printing "ready" at the first step of merging the FTS5 segments after
// the import, then going on (merging, then more passes) until killed.
import fs, { appendFileSync } from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import { clearContentIndex, openContentIndex } from '../content-index.js';
import { updateContent, updateContentInBulk } from '../update-content.js';
import { jsonl, userLine } from './transcript.js';

const [mode, archiveDir, dbPath, ...paths] = process.argv.slice(2);
if (
  archiveDir === undefined ||
  dbPath === undefined ||
  (mode !== 'reindex' &&
    mode !== 'grow' &&
    mode !== 'unrenamed' &&
    mode !== 'batches' &&
    mode !== 'merging')
)
  throw new Error('usage: reindex|grow|unrenamed|batches|merging archiveDir dbPath paths…');
const index = openContentIndex(dbPath);
const refs = paths.map((path, i) => ({
  path,
  claudeSessionId: `c${String(i)}`,
  stableId: `ses_${String(i)}`,
}));
if (mode === 'unrenamed') {
  const rename = fs.renameSync;
  fs.renameSync = (from, to) => {
    if (String(from).includes('/.new-')) {
      process.stdout.write('ready\n');
      // wait here, the directory not renamed, until killed
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);
    }
    rename(from, to);
  };
  syncBuiltinESMExports();
  await updateContentInBulk(refs, { archiveDir, index });
  throw new Error('renamed a new transcript directory into place without waiting');
}
if (mode === 'merging') {
  const exec = index.db.exec.bind(index.db);
  let merging = false;
  index.db.exec = (sql: string) => {
    if (!merging && sql.includes("'merge'")) {
      merging = true;
      process.stdout.write('ready\n');
    }
    return exec(sql);
  };
}
if (mode === 'reindex') {
  updateContent(refs, { archiveDir, index });
  process.stdout.write('ready\n');
  for (;;) {
    clearContentIndex(index);
    updateContent(refs, { archiveDir, index });
  }
}
for (let pass = 0; ; pass += 1) {
  for (const [n, path] of paths.entries()) {
    const lines = Array.from({ length: mode === 'grow' ? 200 : 20 }, (_, i) =>
      userLine(`c${String(n)}`, `pass ${String(pass)} line ${String(i)} needle${String(n)}`),
    );
    appendFileSync(path, jsonl(lines));
  }
  await updateContentInBulk(refs, { archiveDir, index });
  if (pass === 0 && mode !== 'merging') process.stdout.write('ready\n');
}
