import type { UserConfig } from 'vitest/config';

/** Options of {@link createVitestConfig}. */
export interface VitestConfigOptions {
  /** Per-test time limit in ms (a limit, never a timing assertion). Default 60 000. */
  testTimeout?: number;
  /** Test file globs. Default `src/**\/*.test.ts` and `test/**\/*.test.ts`. */
  include?: string[];
}

/** Build the vitest config for one package of the workspace. */
export declare function createVitestConfig(options?: VitestConfigOptions): UserConfig;
