import type { Service, ServiceRuntime, StratusConfig } from '@stratus/shared';
import { createServicesOnStore, forwardingStreamsService } from './service.js';
import { MemoryStore } from './store/memory.js';
import type { DynamoStore } from './store/types.js';

// The core: values and expressions, without HTTP or storage (see core.ts for how operations use it).
export * from './core.js';

export type * from './store/types.js';
export { TableMissingError } from './store/types.js';
export { MemoryStore } from './store/memory.js';
export { createServicesOnStore, streamEvent, STREAMS_PREFIX } from './service.js';
export type { StreamRecord, TableRecord } from './model.js';

interface Services {
  dynamodb: Service;
  streams: Service;
  shutdown(): Promise<void>;
}

/** The services handed out of one shared store: the store closes with the last of them. */
interface Shared {
  services: Promise<Services>;
  handedOut: number;
}

/**
 * One store per process, shared by the DynamoDB and DynamoDB Streams services: both factories are
 * called with runtimes that share the bus, so the first call opens the store and the second finds it.
 */
const shared = new WeakMap<object, Shared>();

/** What `store/redis.js` exports for distributed mode. */
interface RedisStoreModule {
  RedisDynamoStore: { connect(url: string): Promise<DynamoStore> };
}

/** Redis-backed when config.redisUrl is set (replicas share tables), else in memory (durable when config.dataDir is). */
async function openStore(config: StratusConfig): Promise<DynamoStore> {
  if (!config.redisUrl) return MemoryStore.open(config.dataDir);
  // Loaded only in distributed mode, so embedded mode never loads a Redis client.
  const specifier = './store/redis.js';
  const module = (await import(specifier)) as RedisStoreModule;
  return module.RedisDynamoStore.connect(config.redisUrl);
}

function sharedOf(runtime: ServiceRuntime): Shared {
  let entry = shared.get(runtime.bus);
  if (!entry) {
    const services = openStore(runtime.config).then((store) => createServicesOnStore(runtime, store));
    entry = { services, handedOut: 0 };
    shared.set(runtime.bus, entry);
    // A store that fails to open is not kept: the next call tries again.
    services.catch(() => {
      if (shared.get(runtime.bus)?.services === services) shared.delete(runtime.bus);
    });
  }
  return entry;
}

async function handOut(runtime: ServiceRuntime, pick: (services: Services) => Service): Promise<Service> {
  const entry = sharedOf(runtime);
  const services = await entry.services;
  entry.handedOut++;
  const service = pick(services);
  let closed = false;
  return {
    ...service,
    async close() {
      if (closed) return;
      closed = true;
      if (--entry.handedOut === 0) {
        shared.delete(runtime.bus);
        await services.shutdown();
      }
    },
  };
}

/** Both services over one store (the clean way to run them together); closing both closes the store. */
export async function createDynamoDbServices(runtime: ServiceRuntime): Promise<{ dynamodb: Service; streams: Service }> {
  return { dynamodb: await handOut(runtime, (s) => s.dynamodb), streams: await handOut(runtime, (s) => s.streams) };
}

/** The DynamoDB service (name 'dynamodb'). */
export async function createDynamoDbService(runtime: ServiceRuntime): Promise<Service> {
  return handOut(runtime, (s) => s.dynamodb);
}

/**
 * The DynamoDB Streams service (name 'dynamodbstreams'). In one process it shares DynamoDB's store;
 * a process of its own (distributed mode) forwards its operations to the DynamoDB service.
 */
export async function createDynamoDbStreamsService(runtime: ServiceRuntime): Promise<Service> {
  if (runtime.bus.kind === 'nats' && !shared.has(runtime.bus)) return forwardingStreamsService(runtime.bus);
  return handOut(runtime, (s) => s.streams);
}
