import { createVitestConfig } from '@sessions-db/vitest-config';

// The real-client suite (`pnpm test:real-client`): slow, needs the pinned Claude Code binaries
// (scripts/install-real-clients.mjs). In CI its JSON report gets a file of its own, beside the
// hook's unit and e2e report.
const config = createVitestConfig({
  include: ['test/real-client/**/*.test.ts'],
  testTimeout: 300_000,
});
const reporters = config.test?.reporters;
if (Array.isArray(reporters)) {
  config.test = {
    ...config.test,
    reporters: reporters.map((reporter) =>
      Array.isArray(reporter) && reporter[0] === 'json'
        ? [
            'json',
            {
              outputFile: String((reporter[1] as { outputFile: string }).outputFile).replace(
                /\.json$/,
                '-real-client.json',
              ),
            },
          ]
        : reporter,
    ),
  };
}
export default config;
