// Shared vitest settings: resolve workspace packages to their TypeScript sources through the
// `@sessions-db/source` export condition, so no library has to be built before another is tested.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { defaultServerConditions } from 'vite';
import { defineConfig } from 'vitest/config';

const conditions = ['@sessions-db/source', ...defaultServerConditions];

/**
 * Build the vitest config for one package.
 * @param {{ testTimeout?: number, include?: string[] }} [options]
 */
export function createVitestConfig(options = {}) {
  const reporters = ['default'];
  if (process.env.CI) {
    // CI sums these reports into one closing line (tooling/ci/summarize-tests.mjs).
    const { name } = JSON.parse(readFileSync(join(process.cwd(), 'package.json'), 'utf8'));
    const file = `${name.replace(/[^a-z0-9]+/gi, '-')}.json`;
    reporters.push([
      'json',
      { outputFile: join(import.meta.dirname, '..', '..', '.test-results', file) },
    ]);
  }
  return defineConfig({
    resolve: { conditions },
    ssr: { resolve: { conditions, externalConditions: ['@sessions-db/source'] } },
    test: {
      include: options.include ?? ['src/**/*.test.ts', 'test/**/*.test.ts'],
      testTimeout: options.testTimeout ?? 60_000,
      hookTimeout: 60_000,
      pool: 'forks',
      reporters,
    },
  });
}
