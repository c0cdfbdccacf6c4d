// Child process for tests: prints the git context of argv[2] as JSON on stdout, nothing else.
import { readGitContext } from '../read-git-context.js';

const context = await readGitContext(process.argv[2] ?? '', { strategy: 'git' });
process.stdout.write(`${JSON.stringify(context)}\n`);
