import { createVitestConfig } from '@sessions-db/vitest-config';

export default createVitestConfig();
