import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateQueueCommand, DeleteMessageCommand, ReceiveMessageCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { CreateTableCommand, DeleteItemCommand, DynamoDBClient, PutItemCommand, ScanCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { STRATUS_BIN } from '../src/cluster.js';
import { freePort, waitForPort } from '@stratus/shared/testing/ports';
import { credentialsFor, sqsClient } from '../src/clients.js';

/** `stratus start` as a separate process, so it can be killed like a crash. */
async function startProcess(dataDir: string, port: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, [STRATUS_BIN, 'start'], {
    env: { ...process.env, STRATUS_PORT: String(port), STRATUS_DATA_DIR: dataDir, STRATUS_LOG_LEVEL: 'warn' },
    stdio: 'ignore',
  });
  await waitForPort(port);
  return child;
}

function kill9(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

describe('embedded with STRATUS_DATA_DIR', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'stratus-durable-'));
  after(() => rmSync(dataDir, { recursive: true, force: true }));

  it('loses no acknowledged message and resurrects no deleted one after kill -9', async () => {
    const port = await freePort();
    let server = await startProcess(dataDir, port);
    const sqs = sqsClient(`http://127.0.0.1:${port}`);
    const url = (await sqs.send(new CreateQueueCommand({ QueueName: 'durable', Attributes: { VisibilityTimeout: '0' } }))).QueueUrl!;
    for (let i = 0; i < 100; i++) await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: `m${i}` }));
    const deleted = new Set<string>();
    while (deleted.size < 40) {
      const got = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, VisibilityTimeout: 600 }));
      for (const m of got.Messages ?? []) {
        if (deleted.size >= 40) break;
        await sqs.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: m.ReceiptHandle! }));
        deleted.add(m.Body!);
      }
    }
    // The last acknowledged write is followed at once by the crash.
    await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'last' }));
    await kill9(server);

    server = await startProcess(dataDir, port);
    try {
      const after = sqsClient(`http://127.0.0.1:${port}`);
      const bodies: string[] = [];
      // Messages received before the crash are in flight for 600 s: advance the clock past that.
      await fetch(`http://127.0.0.1:${port}/_stratus/clock`, { method: 'POST', body: JSON.stringify({ advanceSeconds: 601 }) });
      for (;;) {
        const got = await after.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, VisibilityTimeout: 600 }));
        if (!got.Messages?.length) break;
        bodies.push(...got.Messages.map((m) => m.Body!));
      }
      const expected = [...Array.from({ length: 100 }, (_, i) => `m${i}`).filter((b) => !deleted.has(b)), 'last'];
      assert.deepEqual(bodies.sort(), expected.sort());
    } finally {
      await kill9(server);
    }
  });
  it('keeps DynamoDB writes, deletes and updates across kill -9', async () => {
    const port = await freePort();
    let server = await startProcess(dataDir, port);
    const client = () => new DynamoDBClient({ endpoint: `http://127.0.0.1:${port}`, region: 'us-east-1', credentials: credentialsFor(), maxAttempts: 1 });
    let ddb = client();
    await ddb.send(
      new CreateTableCommand({
        TableName: 'durable',
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
    for (let i = 0; i < 60; i++) {
      await ddb.send(new PutItemCommand({ TableName: 'durable', Item: { pk: { S: `k${i}` }, n: { N: String(i) } } }));
    }
    for (let i = 0; i < 20; i++) await ddb.send(new DeleteItemCommand({ TableName: 'durable', Key: { pk: { S: `k${i}` } } }));
    await ddb.send(
      new UpdateItemCommand({
        TableName: 'durable',
        Key: { pk: { S: 'k59' } },
        UpdateExpression: 'SET n = n + :big',
        ExpressionAttributeValues: { ':big': { N: '12345678901234567890123456789012345678' } },
      }),
    );
    await kill9(server);

    server = await startProcess(dataDir, port);
    try {
      ddb = client();
      const items = (await ddb.send(new ScanCommand({ TableName: 'durable' }))).Items ?? [];
      const byKey = new Map(items.map((it) => [it.pk.S!, it.n.N!]));
      assert.equal(byKey.size, 40);
      for (let i = 0; i < 20; i++) assert.equal(byKey.has(`k${i}`), false, `deleted k${i} came back`);
      for (let i = 20; i < 59; i++) assert.equal(byKey.get(`k${i}`), String(i));
      assert.equal(byKey.get('k59'), '12345678901234567890123456789012345737');
    } finally {
      await kill9(server);
    }
  });
});
