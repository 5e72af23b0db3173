export * from './errors.js';
export * from './context.js';
export * from './service.js';
export * from './clock.js';
export * from './clock-sync.js';
export * from './config.js';
export * from './logger.js';
export type { Redis } from './redis.js';
export * from './bus/bus.js';
export * from './bus/local.js';
export * from './dispatch.js';
export * from './protocols/index.js';
// Body streaming (blobs, checksums, aws-chunked) is imported from '@stratus/shared/blobs/index',
// '.../checksums/index' and '.../streams/index' where S3 needs it, so startup does not load it.
export * from './once.js';
