// A stand-in for a Claude Code process: registers itself in `<registryDir>/<pid>.json` (Claude's
// registry of running sessions), then runs the hook as its child with the same stdin, stdout
// and stderr, and exits with the hook's exit code.
// Usage: node relay.mjs <registryDir> <hookBin>
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const [registryDir, hookBin] = process.argv.slice(2);
mkdirSync(registryDir, { recursive: true });
writeFileSync(join(registryDir, `${process.pid}.json`), JSON.stringify({ pid: process.pid }));
const child = spawn(process.execPath, [hookBin], { stdio: 'inherit' });
child.on('close', (code, signal) => process.exit(signal === null ? (code ?? 1) : 1));
