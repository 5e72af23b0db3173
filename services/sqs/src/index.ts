import type { Service, ServiceRuntime, StratusConfig } from '@stratus/shared';
import { createServiceOnStore } from './service.js';
import { MemoryStore } from './store/memory.js';
import type { SqsStore } from './store/types.js';

export type * from './store/types.js';
export { QueueMissingError } from './store/types.js';
export { MemoryStore } from './store/memory.js';

/** What `store/redis.js` exports for distributed mode. */
interface RedisStoreModule {
  RedisSqsStore: { connect(url: string): Promise<SqsStore> };
}

/** The SQS service: Redis-backed when config.redisUrl is set, else in memory (durable when config.dataDir is). */
export async function createSqsService(runtime: ServiceRuntime): Promise<Service> {
  return createServiceOnStore(runtime, await openStore(runtime.config));
}

async function openStore(config: StratusConfig): Promise<SqsStore> {
  if (!config.redisUrl) return MemoryStore.open(config.dataDir);
  // Loaded only in distributed mode (and the build may lack it), so embedded mode never loads a Redis client.
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
  return module.RedisSqsStore.connect(config.redisUrl);
}
