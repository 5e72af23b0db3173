import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Server } from 'node:http';
import { Clock, ClockSync, LocalBus, createLogger } from '@stratus/shared';
import { createGateway } from '../src/index.js';
import { raw, xmlText } from './s3-fixture.js';

async function start(services: string[], blobDir?: string): Promise<{ server: Server; port: number; bus: LocalBus }> {
  const bus = new LocalBus();
  const clock = new Clock();
  const server = createGateway({ bus, logger: createLogger('silent'), clock, clockSync: new ClockSync(clock, bus), mode: 'embedded', services, version: 'test', blobDir });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, bus, port: (server.address() as AddressInfo).port };
}

function stop(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}

describe('S3 in the gateway at startup', () => {
  it('opens the blob store in blobDir when S3 is served, and leaves that directory at close', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'stratus-gw-blobs-'));
    try {
      const { server, port, bus } = await start(['s3'], dir);
      let size = -1;
      await bus.serve('s3', async (_op, input) => {
        size = (input.Body as { size: number }).size;
        return { ETag: '"x"' };
      });
      const body = Buffer.alloc(64 * 1024, 1);
      const res = await raw(port, 'PUT', '/bucket/key', { headers: { 'content-length': body.length }, body });
      assert.equal(res.status, 200);
      assert.equal(size, body.length);
      assert.ok((await readdir(join(dir, 'data'))).length > 0, 'the body went to the configured directory');
      await stop(server);
      assert.ok(existsSync(join(dir, 'data')));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('without S3 among the services, leaves unrecognised requests to the query path as before', async () => {
    const { server, port } = await start(['sqs']);
    try {
      const res = await raw(port, 'GET', '/bucket/key', {});
      assert.equal(res.status, 400);
      assert.equal(xmlText(res.text, 'Code'), 'InvalidAction');
    } finally {
      await stop(server);
    }
  });

  it('answers S3 requests the service cannot take (not running) in S3 form', async () => {
    const { server, port } = await start(['s3']);
    try {
      const res = await raw(port, 'PUT', '/bucket/key', { headers: { 'content-length': 3 }, body: 'abc' });
      assert.equal(res.status, 503);
      assert.equal(xmlText(res.text, 'Code'), 'ServiceUnavailable');
      assert.match(res.text, /<RequestId>/);
    } finally {
      await stop(server);
    }
  });
});
