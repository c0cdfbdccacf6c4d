// Child process for the SIGKILL test: archives and indexes the given transcripts over and over,
// printing "ready" after its first pass, until it is killed.
import { clearContentIndex, openContentIndex } from '../content-index.js';
import { updateContent } from '../update-content.js';

const [archiveDir, dbPath, ...paths] = process.argv.slice(2);
if (archiveDir === undefined || dbPath === undefined)
  throw new Error('usage: archiveDir dbPath paths…');
const index = openContentIndex(dbPath);
const refs = paths.map((path, i) => ({
  path,
  claudeSessionId: `c${String(i)}`,
  stableId: `ses_${String(i)}`,
}));
updateContent(refs, { archiveDir, index });
// the first pass is done: from now on every pass re-indexes from scratch (as `rebuild --content`
// does) while the parent kills it
process.stdout.write('ready\n');
for (;;) {
  clearContentIndex(index);
  updateContent(refs, { archiveDir, index });
}
