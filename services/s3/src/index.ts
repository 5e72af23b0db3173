export { createS3Service, type S3Service, type S3ServiceOptions } from './service.js';
export { MemoryStore } from './store/memory.js';
export type { S3Store } from './store/types.js';
export { evaluateCors, type CorsRequest } from './cors.js';
