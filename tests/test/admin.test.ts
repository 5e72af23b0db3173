import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { CreateQueueCommand, ListQueuesCommand, ReceiveMessageCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { SERVICE_FACTORIES, startEmbedded, type RunningStratus } from '@stratus/cli';
import { admin } from '../src/admin.js';
import { sqsClient } from '../src/clients.js';
import { STRATUS_BIN } from '../src/cluster.js';

describe('admin API', () => {
  let stratus: RunningStratus;
  before(async () => {
    stratus = await startEmbedded({ port: 0, logLevel: 'silent', dataDir: undefined });
  });
  after(() => stratus.close());

  it('reports health', async () => {
    const h = await admin(stratus.endpoint, 'GET', 'health');
    assert.equal(h.status, 'ok');
    assert.equal(h.mode, 'embedded');
    assert.deepEqual([...h.services].sort(), Object.keys(SERVICE_FACTORIES).sort());
    assert.match(h.version, /^\d+\.\d+\.\d+/);
  });

  it('dumps queues with counts and in-flight messages', async () => {
    const sqs = sqsClient(stratus.endpoint);
    const url = (await sqs.send(new CreateQueueCommand({ QueueName: 'dumped' }))).QueueUrl!;
    await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'a' }));
    await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'b' }));
    const got = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, VisibilityTimeout: 100 }));
    const state = await admin(stratus.endpoint, 'GET', 'state');
    const q = state.services.sqs.queues.find((x: { name: string }) => x.name === 'dumped');
    assert.deepEqual(q.counts, { visible: 1, notVisible: 1, delayed: 0 });
    assert.equal(q.inFlight.length, 1);
    assert.equal(q.inFlight[0].messageId, got.Messages![0].MessageId);
    assert.equal(q.inFlight[0].receiveCount, 1);
    assert.ok(Date.parse(q.inFlight[0].visibleAt) > Date.now() + 90_000);
  });

  it('resets one account, one service or everything', async () => {
    const mine = sqsClient(stratus.endpoint, '111111111111');
    const theirs = sqsClient(stratus.endpoint, '222222222222');
    await mine.send(new CreateQueueCommand({ QueueName: 'keep-or-not' }));
    await theirs.send(new CreateQueueCommand({ QueueName: 'keep-or-not' }));
    await admin(stratus.endpoint, 'POST', 'reset?account=111111111111');
    assert.equal((await mine.send(new ListQueuesCommand({}))).QueueUrls, undefined);
    assert.equal((await theirs.send(new ListQueuesCommand({}))).QueueUrls?.length, 1);
    await admin(stratus.endpoint, 'POST', 'reset?service=sqs');
    assert.equal((await theirs.send(new ListQueuesCommand({}))).QueueUrls, undefined);
  });

  it('reads, advances, freezes and resets the clock', async () => {
    const frozen = await admin(stratus.endpoint, 'POST', 'clock', { freeze: true, at: '2030-01-01T00:00:00Z' });
    assert.equal(frozen.iso, '2030-01-01T00:00:00.000Z');
    assert.equal(frozen.frozen, true);
    const moved = await admin(stratus.endpoint, 'POST', 'clock', { advanceSeconds: 90 });
    assert.equal(moved.iso, '2030-01-01T00:01:30.000Z');
    assert.equal((await admin(stratus.endpoint, 'GET', 'clock')).iso, '2030-01-01T00:01:30.000Z');
    const reset = await admin(stratus.endpoint, 'POST', 'clock', { reset: true });
    assert.equal(reset.frozen, false);
    assert.ok(Math.abs(reset.now - Date.now()) < 5_000);
  });

  it('refuses bad admin requests with 4xx', async () => {
    const bad = await fetch(`${stratus.endpoint}/_stratus/clock`, { method: 'POST', body: '{nope' });
    assert.equal(bad.status, 400);
    const unknown = await fetch(`${stratus.endpoint}/_stratus/nothing`);
    assert.equal(unknown.status, 404);
    const badService = await fetch(`${stratus.endpoint}/_stratus/reset?service=ec2`, { method: 'POST' });
    assert.equal(badService.status, 400);
  });

  it('is reachable through the stratus command', async () => {
    const run = promisify(execFile);
    const env = { ...process.env, STRATUS_PORT: String(stratus.port) };
    const { stdout } = await run(process.execPath, [STRATUS_BIN, 'clock', 'advance', '5'], { env });
    assert.equal(JSON.parse(stdout).frozen, false);
    const health = JSON.parse((await run(process.execPath, [STRATUS_BIN, 'health'], { env })).stdout);
    assert.equal(health.status, 'ok');
  });
});
