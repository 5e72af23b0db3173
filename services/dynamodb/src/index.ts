import type { Service, ServiceRuntime } from '@stratus/shared';
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

function openStore(runtime: ServiceRuntime): DynamoStore {
  if (runtime.config.redisUrl) {
    runtime.logger.warn('DynamoDB has no Redis store yet: state is kept in this process (in memory, or in STRATUS_DATA_DIR)');
  }
  return MemoryStore.open(runtime.config.dataDir);
}

function sharedOf(runtime: ServiceRuntime): Shared {
  let entry = shared.get(runtime.bus);
  if (!entry) {
    entry = { services: Promise.resolve().then(() => createServicesOnStore(runtime, openStore(runtime))), handedOut: 0 };
    shared.set(runtime.bus, entry);
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
