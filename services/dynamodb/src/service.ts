import type { Bus, CallContext, Handler, Service, ServiceRuntime } from '@stratus/shared';
import { resourceNotFound } from './errors.js';
import { batchOperations } from './operations/batch.js';
import { itemOperations } from './operations/items.js';
import { partiqlOperations } from './operations/partiql.js';
import { queryScanOperations } from './operations/query-scan.js';
import { streamOperations } from './operations/streams.js';
import type { DynamoDeps } from './operations/support.js';
import { tableOperations } from './operations/tables.js';
import { tagOperations } from './operations/tags.js';
import { transactionOperations } from './operations/transactions.js';
import { ttlOperations } from './operations/ttl.js';
import { TableMissingError, type DynamoStore } from './store/types.js';
import type { StreamRecord } from './model.js';

/** Internal operation names under which the DynamoDB service also serves the Streams operations. */
export const STREAMS_PREFIX = '_streams.';

/** How often expired items are looked for (and whenever the clock is moved). */
const TTL_SWEEP_MS = 1000;

/** The DynamoDB record of a stream change as the bus carries it: a Lambda event record. */
export function streamEvent(streamArn: string, record: StreamRecord): Record<string, unknown> {
  const event: Record<string, unknown> = {
    eventID: record.eventID,
    eventName: record.eventName,
    eventVersion: record.eventVersion,
    eventSource: record.eventSource,
    awsRegion: record.awsRegion,
    dynamodb: { ...record.dynamodb, ApproximateCreationDateTime: record.dynamodb.ApproximateCreationDateTime / 1000 },
    eventSourceARN: streamArn,
  };
  if (record.userIdentity) event.userIdentity = { type: record.userIdentity.Type, principalId: record.userIdentity.PrincipalId };
  return event;
}

/** Both services over one store: DynamoDB (which also owns the TTL sweeper and the bus events) and DynamoDB Streams. */
export function createServicesOnStore(runtime: ServiceRuntime, store: DynamoStore): { dynamodb: Service; streams: Service; shutdown(): Promise<void> } {
  const { bus, clock } = runtime;
  const deps: DynamoDeps = { store, clock, bus };

  let closed = false;
  // One sweep at a time; a sweep asked for meanwhile (the clock moved) runs once the current one ends.
  let sweeping = false;
  let again = false;
  const sweep = () => {
    if (sweeping) {
      again = true;
      return;
    }
    sweeping = true;
    again = false;
    store
      .expireItems(clock.now())
      .catch((e: unknown) => runtime.logger.error({ err: e }, 'dynamodb: TTL sweep failed'))
      .finally(() => {
        sweeping = false;
        if (again && !closed) sweep();
      });
  };
  const timer = setInterval(sweep, TTL_SWEEP_MS);
  timer.unref();
  const stopClock = clock.onChange(sweep);
  store.onStreamRecord((arn, record) => bus.publish('dynamodb.stream', streamEvent(arn, record)));

  const streamTable = streamOperations(deps);
  const table: Record<string, Handler> = {
    ...tableOperations(deps),
    ...itemOperations(deps),
    ...queryScanOperations(deps),
    ...batchOperations(deps),
    ...transactionOperations(deps),
    ...partiqlOperations(deps),
    ...ttlOperations(deps, sweep),
    ...tagOperations(deps),
  };
  for (const [name, handler] of Object.entries(streamTable)) table[STREAMS_PREFIX + name] = handler;

  const shutdown = async () => {
    if (closed) return;
    closed = true;
    clearInterval(timer);
    stopClock();
    await store.close();
  };

  const dynamodb: Service = {
    name: 'dynamodb',
    operations: guard(table),
    reset: (account?: string) => store.reset(account),
    dump: () => store.dump(clock.now()),
    // The DynamoDB service owns the shared store.
    close: shutdown,
  };
  const streams: Service = {
    name: 'dynamodbstreams',
    operations: guard(streamTable),
    // The DynamoDB service resets and dumps the shared store.
    reset: async () => {},
    dump: async () => ({ streams: (await store.dump(clock.now())).streams }),
    close: async () => {},
  };
  return { dynamodb, streams, shutdown };
}

/**
 * The Streams service of a process that does not run DynamoDB itself (distributed mode): every
 * operation is the DynamoDB service's over the bus.
 */
export function forwardingStreamsService(bus: Bus): Service {
  const names = ['ListStreams', 'DescribeStream', 'GetShardIterator', 'GetRecords'];
  const operations: Record<string, Handler> = {};
  for (const name of names) {
    operations[name] = (input: Record<string, unknown>, ctx: CallContext) => bus.call('dynamodb', STREAMS_PREFIX + name, input, ctx);
  }
  return { name: 'dynamodbstreams', operations, reset: async () => {}, dump: async () => ({}), close: async () => {} };
}

/** A table deleted between a handler's lookup and its store step is still ResourceNotFoundException. */
function guard(table: Record<string, Handler>): Record<string, Handler> {
  const out: Record<string, Handler> = {};
  for (const [name, handler] of Object.entries(table)) {
    out[name] = async (input: unknown, ctx: CallContext) => {
      try {
        return await handler(input ?? {}, ctx);
      } catch (e) {
        if (e instanceof TableMissingError) throw resourceNotFound();
        throw e;
      }
    };
  }
  return out;
}
