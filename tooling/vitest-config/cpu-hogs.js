// CPU-bound processes that make a 2-core machine busy, for load tests and the benchmark.
import { spawn } from 'node:child_process';

export function startCpuHogs(count, maxMs) {
  const script = `const end = Date.now() + ${maxMs}; let x = 0; while (Date.now() < end) x += Math.sqrt(x + 1);`;
  const hogs = Array.from({ length: count }, () =>
    spawn(process.execPath, ['-e', script], { stdio: 'ignore' }),
  );
  return {
    stop: () =>
      Promise.all(
        hogs.map(
          (hog) =>
            new Promise((resolve) => {
              if (hog.exitCode !== null || hog.signalCode !== null) return resolve();
              hog.once('exit', () => resolve());
              hog.kill('SIGKILL');
            }),
        ),
      ).then(() => undefined),
  };
}
