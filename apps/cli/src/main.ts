import { COMMANDS } from './command-registry.js';
import { runMain } from './run-main.js';

// The whole CLI (dist/cli.cjs): what `dist/bin.cjs` starts for a command line that names no
// command of its own bundle (help, --version, an unknown command, completion requests).
void runMain(COMMANDS);
