import { spawn } from 'node:child_process';

const CHILD = new URL('./child-writer.ts', import.meta.url).pathname;

/** Result of one child writer process. */
export interface ChildOutcome {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Run `child-writer.ts <storeDir> <csid> [killAt]` in a fresh Node process. */
export function runChildWriter(
  storeDir: string,
  claudeSessionId: string,
  killAt?: string,
): Promise<ChildOutcome> {
  const args = [
    '--conditions=@sessions-db/source',
    '--import',
    'tsx',
    CHILD,
    storeDir,
    claudeSessionId,
  ];
  if (killAt !== undefined) args.push(killAt);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}
