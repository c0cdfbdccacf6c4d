export { makeTempDir } from '@sessions-db/vitest-config/temp-dir';
