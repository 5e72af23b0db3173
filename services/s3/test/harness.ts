import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { AwsError, Clock, LocalBus, createLogger, type CallContext } from '@stratus/shared';
import { BlobStore, type BlobRef } from '@stratus/shared/blobs/index';
import type { ChecksumAlgorithm } from '@stratus/shared/checksums/index';
import { createS3Service, type S3Service } from '../src/index.js';

/** 2025-01-01T12:00:00Z: tests run on a frozen clock they move themselves. */
export const T0 = Date.UTC(2025, 0, 1, 12);
export const ACCOUNT = '000000000000';
export const OTHER_ACCOUNT = '111111111111';
export const HOST = 'localhost:4566';
export const MiB = 1024 * 1024;

export interface SentMessage {
  QueueUrl: string;
  MessageBody: string;
  ctx: CallContext;
}

export interface Harness {
  clock: Clock;
  bus: LocalBus;
  blobs: BlobStore;
  service: S3Service;
  dir: string;
  /** Calls an operation's handler the way the gateway does. */
  call(operation: string, input?: Record<string, unknown>, ctx?: Partial<CallContext>): Promise<any>;
  /** A body as the gateway hands it over: streamed into the BlobStore with CRC64NVME and the algorithms asked. */
  body(data: string | Buffer, algorithms?: ChecksumAlgorithm[]): Promise<BlobRef>;
  /** PutObject with a body. */
  put(bucket: string, key: string, data?: string | Buffer, input?: Record<string, unknown>, ctx?: Partial<CallContext>): Promise<any>;
  /** The bytes of a GetObject output's Body. */
  read(output: { Body: { blob: BlobRef; start?: number; end?: number } }): Promise<Buffer>;
  /** GetObject and its body as text. */
  text(bucket: string, key: string, input?: Record<string, unknown>): Promise<string>;
  bucket(name: string, input?: Record<string, unknown>, ctx?: Partial<CallContext>): Promise<void>;
  advance(ms: number): void;
  /** Queues the fake `sqs` service knows (QueueUrl path `/<account>/<name>`). */
  queues: Set<string>;
  sent: SentMessage[];
  close(): Promise<void>;
}

export function context(over: Partial<CallContext> = {}): CallContext {
  return { account: ACCOUNT, region: 'us-east-1', requestId: 'req-1', accessKeyId: 'AKIDEXAMPLE', host: HOST, protocol: 'rest-xml', ...over };
}

export function frozenClock(at = T0): Clock {
  const clock = new Clock();
  clock.freeze(at);
  return clock;
}

export async function harness(options: { dataDir?: string; clock?: Clock; s3BucketDefaults?: 'current' | 'legacy' } = {}): Promise<Harness> {
  const clock = options.clock ?? frozenClock();
  const bus = new LocalBus();
  const dir = await mkdtemp(join(tmpdir(), 'stratus-s3-test-'));
  const blobs = await BlobStore.open({ dir: join(dir, 'blobs') });
  const queues = new Set<string>();
  const sent: SentMessage[] = [];
  // A fake SQS: knows the queues the test declares, records what S3 sends.
  await bus.serve('sqs', async (operation, input, ctx) => {
    if (operation === 'GetQueueUrl') {
      const key = `${input.QueueOwnerAWSAccountId ?? ctx.account}/${input.QueueName}`;
      if (!queues.has(key)) throw new AwsError('QueueDoesNotExist', 'The specified queue does not exist.', 400);
      return { QueueUrl: `http://${ctx.host}/${key}` };
    }
    if (operation === 'SendMessage') {
      sent.push({ QueueUrl: input.QueueUrl as string, MessageBody: input.MessageBody as string, ctx });
      return { MessageId: String(sent.length) };
    }
    throw new AwsError('InvalidAction', operation, 400);
  });
  const service = await createS3Service({
    clock,
    bus,
    blobs: async () => blobs,
    config: { port: 0, host: '127.0.0.1', dataDir: options.dataDir, services: ['s3'], logLevel: 'silent', s3BucketDefaults: options.s3BucketDefaults },
    logger: createLogger('silent'),
  });
  const call = async (operation: string, input: Record<string, unknown> = {}, ctx: Partial<CallContext> = {}) => {
    const handler = service.operations[operation];
    assert.ok(handler, `no handler for ${operation}`);
    return handler(input, context(ctx));
  };
  const body = (data: string | Buffer, algorithms: ChecksumAlgorithm[] = []) =>
    blobs.put(Readable.from([Buffer.from(data)]), { algorithms: [...new Set<ChecksumAlgorithm>(['CRC64NVME', ...algorithms])] });
  const read = async (output: { Body: { blob: BlobRef; start?: number; end?: number } }) => {
    const { blob, start, end } = output.Body;
    const stream = await blobs.open(blob, start !== undefined ? { start, end: end! } : undefined);
    const chunks: Buffer[] = [];
    for await (const c of stream) chunks.push(c as Buffer);
    return Buffer.concat(chunks);
  };
  const h: Harness = {
    clock,
    bus,
    blobs,
    service,
    dir,
    call,
    body,
    put: async (bucket, key, data = '', input = {}, ctx = {}) => call('PutObject', { Bucket: bucket, Key: key, Body: await body(data), ...input }, ctx),
    read,
    text: async (bucket, key, input = {}) => (await read(await call('GetObject', { Bucket: bucket, Key: key, ...input }))).toString('utf8'),
    bucket: async (name, input = {}, ctx = {}) => void (await call('CreateBucket', { Bucket: name, ...input }, ctx)),
    advance: (ms) => void clock.advance(ms),
    queues,
    sent,
    close: async () => {
      await service.close();
      await bus.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
  return h;
}

/** Awaits a call that must fail with this AWS error; returns it for further checks. */
export async function rejects(p: Promise<unknown>, code: string, status?: number, message?: string): Promise<AwsError> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof AwsError, `expected AwsError ${code}, got ${String(e)}`);
    assert.equal(e.code, code, `expected ${code}, got ${e.code}: ${e.message}`);
    if (status !== undefined) assert.equal(e.status, status);
    if (message !== undefined) assert.equal(e.message, message);
    return e;
  }
  assert.fail(`expected ${code}, but the call succeeded`);
}

/** Whether a blob's bytes are still in the store (inline blobs never are on disk). */
export async function blobExists(h: Harness, id: string): Promise<boolean> {
  return (await h.blobs.stat({ id, size: 0, etag: '', checksums: {} })) !== undefined;
}
