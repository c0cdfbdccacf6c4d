export { OUTCOMES } from '@sessions-db/projection';
