import type { Service, ServiceRuntime, StratusConfig } from '@stratus/shared';
import { createServiceOnStore } from './service.js';
import { MemoryStore } from './store/memory.js';
import type { SqsStore } from './store/types.js';

export type * from './store/types.js';
export { QueueMissingError } from './store/types.js';
export { MemoryStore } from './store/memory.js';
export { Journal } from './store/journal.js';

/** What `store/redis.js` must export for distributed mode. */
export interface RedisStoreModule {
  openRedisStore(url: string, runtime: ServiceRuntime): Promise<SqsStore>;
}

/** The SQS service: Redis-backed when config.redisUrl is set, else in memory (durable when config.dataDir is). */
export async function createSqsService(runtime: ServiceRuntime): Promise<Service> {
  return createServiceOnStore(runtime, await openStore(runtime.config, runtime));
}

async function openStore(config: StratusConfig, runtime: ServiceRuntime): Promise<SqsStore> {
  if (!config.redisUrl) return MemoryStore.open(config.dataDir);
  // Resolved at run time: the Redis store is optional in a build.
  const specifier = './store/redis.js';
  let module: RedisStoreModule;
  try {
    module = (await import(specifier)) as RedisStoreModule;
  } catch (e) {
    const err = e as { code?: string; message?: string };
    if (err.code === 'ERR_MODULE_NOT_FOUND' && err.message?.includes('store/redis.js')) {
      throw new Error('SQS: STRATUS_REDIS_URL is set, but this build has no Redis store for SQS (services/sqs/src/store/redis.ts). Unset STRATUS_REDIS_URL to keep SQS state in memory.');
    }
    throw e;
  }
  return module.openRedisStore(config.redisUrl, runtime);
}
