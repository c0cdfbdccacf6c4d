// The shipped example history (examples/claude-home/projects) copied for an end-to-end test, with
// every `/home/alex/code/…` directory moved under a directory of the test, so sessions can be
// resumed in directories that exist.
import { mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The example Claude Code projects directory. */
export { CLAUDE_EXAMPLE_PROJECTS as EXAMPLE_PROJECTS } from '@sessions-db/vitest-config/fixtures';

/** Copy the history `from` to `to` with every `/home/alex/code` cwd moved to `root`. */
export function copyExampleHistory(from: string, to: string, root: string): void {
  for (const name of readdirSync(from)) {
    const source = join(from, name);
    const target = join(to, name.replaceAll('-home-alex-code', root.replaceAll('/', '-')));
    if (statSync(source).isDirectory()) {
      mkdirSync(target, { recursive: true });
      copyExampleHistory(source, target, root);
    } else {
      writeFileSync(target, readFileSync(source, 'utf8').replaceAll('/home/alex/code', root));
    }
  }
}
