export { createStsService } from './service.js';
export type { CallerIdentity } from './operations/identity.js';
