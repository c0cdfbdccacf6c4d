import { createVitestConfig } from '@sessions-db/vitest-config';

export default createVitestConfig({
  include: ['src/**/*.test.ts', 'test/*.test.ts'],
  testTimeout: 120_000,
});
