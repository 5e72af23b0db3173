import assert from 'node:assert/strict';
import { AwsError, Clock, LocalBus, createLogger, type CallContext, type Service } from '@stratus/shared';
import { createDynamoDbServices } from '../src/index.js';

/** 2025-01-01T00:00:00Z: tests run on a frozen clock they move themselves. */
export const T0 = Date.UTC(2025, 0, 1);
export const ACCOUNT = '000000000000';
export const REGION = 'us-east-1';

export interface Harness {
  clock: Clock;
  bus: LocalBus;
  dynamodb: Service;
  streams: Service;
  /** Calls a DynamoDB operation's handler the way the gateway does. */
  call(operation: string, input?: Record<string, unknown>, ctx?: Partial<CallContext>): Promise<any>;
  /** Calls a DynamoDB Streams operation. */
  stream(operation: string, input?: Record<string, unknown>): Promise<any>;
  /** Creates a table with a hash key `pk` (S) and optionally a range key `sk` (N), PAY_PER_REQUEST. */
  table(name: string, options?: { range?: boolean; extra?: Record<string, unknown> }): Promise<void>;
  advance(seconds: number): void;
  close(): Promise<void>;
}

export function context(over: Partial<CallContext> = {}): CallContext {
  return { account: ACCOUNT, region: REGION, requestId: 'req-1', accessKeyId: 'AKIDEXAMPLE', host: 'localhost:4566', protocol: 'json', ...over };
}

export async function harness(dataDir?: string, clock = frozenClock()): Promise<Harness> {
  const bus = new LocalBus();
  const { dynamodb, streams } = await createDynamoDbServices({
    clock,
    bus,
    config: { port: 0, host: '127.0.0.1', dataDir, services: ['dynamodb', 'dynamodbstreams'], logLevel: 'silent' },
    logger: createLogger('silent'),
  });
  const invoke = async (service: Service, operation: string, input: Record<string, unknown> = {}, ctx: Partial<CallContext> = {}) => {
    const handler = service.operations[operation];
    assert.ok(handler, `no handler for ${operation}`);
    // Inputs cross the gateway as JSON: copy them, so a test's objects are never the stored ones.
    return handler(JSON.parse(JSON.stringify(input)), context(ctx));
  };
  const h: Harness = {
    clock,
    bus,
    dynamodb,
    streams,
    call: (operation, input, ctx) => invoke(dynamodb, operation, input, ctx),
    stream: (operation, input) => invoke(streams, operation, input),
    table: async (name, options = {}) => {
      const attributes = [{ AttributeName: 'pk', AttributeType: 'S' }];
      const keys = [{ AttributeName: 'pk', KeyType: 'HASH' }];
      if (options.range) {
        attributes.push({ AttributeName: 'sk', AttributeType: 'N' });
        keys.push({ AttributeName: 'sk', KeyType: 'RANGE' });
      }
      await h.call('CreateTable', { TableName: name, AttributeDefinitions: attributes, KeySchema: keys, BillingMode: 'PAY_PER_REQUEST', ...options.extra });
    },
    advance: (seconds) => void clock.advance(seconds * 1000),
    close: async () => {
      await dynamodb.close();
      await streams.close();
      await bus.close();
    },
  };
  return h;
}

export function frozenClock(at = T0): Clock {
  const clock = new Clock();
  clock.freeze(at);
  return clock;
}

/** Awaits a call that must fail with this AWS error; returns it for further checks. */
export async function rejects(p: Promise<unknown>, code: string, message?: string | RegExp): Promise<AwsError> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof AwsError, `expected AwsError ${code}, got ${String(e)}`);
    assert.equal(e.code, code, `expected ${code}, got ${e.code}: ${e.message}`);
    if (typeof message === 'string') assert.equal(e.message, message);
    else if (message) assert.match(e.message, message);
    return e;
  }
  assert.fail(`expected ${code}, but the call succeeded`);
}

export const S = (s: string) => ({ S: s });
export const N = (n: number | string) => ({ N: String(n) });
