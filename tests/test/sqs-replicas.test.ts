import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateQueueCommand,
  DeleteMessageCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { Cluster } from '../src/cluster.js';
import { credentialsFor, sqsClient, uniqueName } from '../src/clients.js';

/** What only a cluster of replicas can show: shared state, cross-replica wake-ups, surviving a crash. */
describe('distributed: SQS replicas share one queue', () => {
  let cluster: Cluster;
  before(async () => {
    cluster = await Cluster.start({ sqs: 2, sts: 1 });
  });
  after(() => cluster?.stop());

  it('delivers 500 messages to 8 concurrent consumers, each once while in flight', async () => {
    const sqs = sqsClient(cluster.endpoint);
    const url = (await sqs.send(new CreateQueueCommand({ QueueName: uniqueName('fanout'), Attributes: { VisibilityTimeout: '300' } }))).QueueUrl!;
    const sent = new Set<string>();
    for (let b = 0; b < 50; b++) {
      const entries = Array.from({ length: 10 }, (_, i) => ({ Id: `m${i}`, MessageBody: `msg-${b * 10 + i}` }));
      const r = await sqs.send(new SendMessageBatchCommand({ QueueUrl: url, Entries: entries }));
      assert.equal(r.Successful?.length, 10);
      for (const e of entries) sent.add(e.MessageBody);
    }
    const seen = new Map<string, number>();
    let emptyRounds = 0;
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        const consumer = sqsClient(cluster.endpoint);
        while (emptyRounds < 8) {
          const got = await consumer.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }));
          if (!got.Messages?.length) {
            emptyRounds++;
            continue;
          }
          for (const m of got.Messages) {
            seen.set(m.Body!, (seen.get(m.Body!) ?? 0) + 1);
            await consumer.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: m.ReceiptHandle! }));
          }
        }
      }),
    );
    assert.equal(seen.size, 500);
    assert.deepEqual([...seen.keys()].sort(), [...sent].sort());
    assert.deepEqual([...seen.values()].filter((n) => n !== 1), [], 'a message was delivered twice while in flight');
  });

  it('wakes a long poll held by one replica when another replica takes the send', async () => {
    const sqs = sqsClient(cluster.endpoint);
    const url = (await sqs.send(new CreateQueueCommand({ QueueName: uniqueName('wake') }))).QueueUrl!;
    // Several concurrent polls: NATS spreads them over both replicas, so whichever replica takes the send,
    // a poll parked on the other one must be woken by the event.
    const polls = Array.from({ length: 4 }, () => sqsClient(cluster.endpoint).send(new ReceiveMessageCommand({ QueueUrl: url, WaitTimeSeconds: 20 })));
    await new Promise((r) => setTimeout(r, 300));
    for (let i = 0; i < 4; i++) await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: `wake-${i}` }));
    const started = Date.now();
    const results = await Promise.all(polls);
    const bodies = results.flatMap((r) => r.Messages?.map((m) => m.Body) ?? []).sort();
    assert.deepEqual(bodies, ['wake-0', 'wake-1', 'wake-2', 'wake-3']);
    assert.ok(Date.now() - started < 15_000, 'polls returned only at their deadline');
  });

  it('loses nothing acknowledged when a replica is killed mid-run', async () => {
    // Default SDK retries: a call caught in the dying replica times out as 503 and is retried, as in production.
    const sqs = new SQSClient({ endpoint: cluster.endpoint, region: 'us-east-1', credentials: credentialsFor() });
    const url = (await sqs.send(new CreateQueueCommand({ QueueName: uniqueName('crash') }))).QueueUrl!;
    const acknowledged: string[] = [];
    const sending = (async () => {
      for (let i = 0; i < 200; i++) {
        await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: `crash-${i}` }));
        acknowledged.push(`crash-${i}`);
      }
    })();
    await new Promise((r) => setTimeout(r, 150));
    const [victim] = cluster.replicas('sqs');
    await cluster.kill(victim);
    await cluster.startReplica('sqs');
    await sending;
    const received = new Set<string>();
    for (;;) {
      const got = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, VisibilityTimeout: 300 }));
      if (!got.Messages?.length) break;
      for (const m of got.Messages) received.add(m.Body!);
    }
    assert.equal(acknowledged.length, 200);
    assert.deepEqual(acknowledged.filter((b) => !received.has(b)), []);
  });
});
