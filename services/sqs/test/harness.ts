import assert from 'node:assert/strict';
import { AwsError, Clock, LocalBus, createLogger, type CallContext, type Service } from '@stratus/shared';
import { createSqsService } from '../src/index.js';

/** 2025-01-01T00:00:00Z: tests run on a frozen clock they move themselves. */
export const T0 = Date.UTC(2025, 0, 1);
export const ACCOUNT = '000000000000';
export const HOST = 'localhost:4566';

export interface Harness {
  clock: Clock;
  bus: LocalBus;
  service: Service;
  /** Calls an operation's handler the way the gateway does. */
  call(operation: string, input?: Record<string, unknown>, ctx?: Partial<CallContext>): Promise<any>;
  /** Creates a queue and returns its URL. */
  queue(name: string, attributes?: Record<string, string>): Promise<string>;
  /** Advances the clock by seconds. */
  advance(seconds: number): void;
  close(): Promise<void>;
}

export function context(over: Partial<CallContext> = {}): CallContext {
  return { account: ACCOUNT, region: 'us-east-1', requestId: 'req-1', accessKeyId: 'AKIDEXAMPLE', host: HOST, protocol: 'json', ...over };
}

export async function harness(dataDir?: string, clock = frozenClock()): Promise<Harness> {
  const bus = new LocalBus();
  const service = await createSqsService({
    clock,
    bus,
    config: { port: 0, host: '127.0.0.1', dataDir, services: ['sqs'], logLevel: 'silent' },
    logger: createLogger('silent'),
  });
  const call = async (operation: string, input: Record<string, unknown> = {}, ctx: Partial<CallContext> = {}) => {
    const handler = service.operations[operation];
    assert.ok(handler, `no handler for ${operation}`);
    return handler(input, context(ctx));
  };
  return {
    clock,
    bus,
    service,
    call,
    queue: async (name, attributes = {}) => (await call('CreateQueue', { QueueName: name, Attributes: attributes })).QueueUrl,
    advance: (seconds) => void clock.advance(seconds * 1000),
    close: async () => {
      await service.close();
      await bus.close();
    },
  };
}

export function frozenClock(at = T0): Clock {
  const clock = new Clock();
  clock.freeze(at);
  return clock;
}

/** Awaits a call that must fail with this AWS error; returns it for further checks. */
export async function rejects(p: Promise<unknown>, code: string, message?: string, status?: number): Promise<AwsError> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof AwsError, `expected AwsError ${code}, got ${String(e)}`);
    assert.equal(e.code, code, `expected ${code}, got ${e.code}: ${e.message}`);
    if (message !== undefined) assert.equal(e.message, message);
    if (status !== undefined) assert.equal(e.status, status);
    return e;
  }
  assert.fail(`expected ${code}, but the call succeeded`);
}

/** [visible, not visible, delayed] */
export async function counts(h: Harness, url: string): Promise<number[]> {
  const a = (await h.call('GetQueueAttributes', { QueueUrl: url, AttributeNames: ['All'] })).Attributes;
  return [a.ApproximateNumberOfMessages, a.ApproximateNumberOfMessagesNotVisible, a.ApproximateNumberOfMessagesDelayed].map(Number);
}

/** Bodies of one receive. */
export async function bodies(h: Harness, url: string, input: Record<string, unknown> = {}): Promise<string[]> {
  const out = await h.call('ReceiveMessage', { QueueUrl: url, MaxNumberOfMessages: 10, ...input });
  return (out.Messages ?? []).map((m: { Body: string }) => m.Body);
}
