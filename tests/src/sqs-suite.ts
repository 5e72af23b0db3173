import { describe, it, before } from 'node:test';
import { createHash } from 'node:crypto';
import assert from 'node:assert/strict';
import {
  ChangeMessageVisibilityCommand,
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  DeleteMessageCommand,
  DeleteQueueCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  ListDeadLetterSourceQueuesCommand,
  ListQueuesCommand,
  ListQueueTagsCommand,
  PurgeQueueCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  SetQueueAttributesCommand,
  TagQueueCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { sqsClient, stsClient, uniqueName } from './clients.js';
import { advanceClock } from './admin.js';

/** Where the suite runs: an embedded server or a distributed cluster. */
export interface Target {
  endpoint(): string;
}

async function expectError(p: Promise<unknown>, name: string, status = 400): Promise<Error & { $metadata?: { httpStatusCode?: number } }> {
  try {
    await p;
  } catch (e) {
    const err = e as Error & { $metadata?: { httpStatusCode?: number } };
    assert.equal(err.name, name, `expected ${name}, got ${err.name}: ${err.message}`);
    assert.equal(err.$metadata?.httpStatusCode, status);
    return err;
  }
  assert.fail(`expected ${name}, but the call succeeded`);
}

/**
 * SQS and STS as an application sees them through the AWS SDK for JavaScript v3 (JSON protocol; the SDK
 * also checks every MD5 Stratus computes). The same cases run against both run modes.
 */
export function sqsSdkSuite(target: Target): void {
  let sqs: SQSClient;
  const queue = async (attributes: Record<string, string> = {}, name = uniqueName()): Promise<string> =>
    (await sqs.send(new CreateQueueCommand({ QueueName: name, Attributes: attributes }))).QueueUrl!;
  const counts = async (url: string) => {
    const a = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['All'] }))).Attributes!;
    return [a.ApproximateNumberOfMessages, a.ApproximateNumberOfMessagesNotVisible, a.ApproximateNumberOfMessagesDelayed].map(Number);
  };

  before(() => {
    sqs = sqsClient(target.endpoint());
  });

  describe('queues', () => {
    it('creates, finds, lists and deletes a queue', async () => {
      const name = uniqueName('lifecycle');
      const url = await queue({}, name);
      assert.equal(url, `${target.endpoint()}/000000000000/${name}`);
      assert.equal((await sqs.send(new GetQueueUrlCommand({ QueueName: name }))).QueueUrl, url);
      const listed = await sqs.send(new ListQueuesCommand({ QueueNamePrefix: name }));
      assert.deepEqual(listed.QueueUrls, [url]);
      await sqs.send(new DeleteQueueCommand({ QueueUrl: url }));
      await expectError(sqs.send(new GetQueueUrlCommand({ QueueName: name })), 'QueueDoesNotExist');
    });

    it('is idempotent for the same attributes and refuses different ones', async () => {
      const name = uniqueName('idem');
      const url = await queue({ VisibilityTimeout: '45' }, name);
      assert.equal(await queue({ VisibilityTimeout: '45' }, name), url);
      await expectError(queue({ VisibilityTimeout: '46' }, name), 'QueueNameExists');
    });

    it('reports attributes with their defaults', async () => {
      const url = await queue({ DelaySeconds: '2' });
      const a = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['All'] }))).Attributes!;
      assert.equal(a.DelaySeconds, '2');
      assert.equal(a.VisibilityTimeout, '30');
      assert.equal(a.MessageRetentionPeriod, '345600');
      assert.equal(a.ReceiveMessageWaitTimeSeconds, '0');
      assert.match(a.QueueArn!, /^arn:aws:sqs:us-east-1:000000000000:idem-|^arn:aws:sqs:us-east-1:000000000000:q-/);
      assert.ok(Number(a.CreatedTimestamp) > 1_600_000_000);
      await sqs.send(new SetQueueAttributesCommand({ QueueUrl: url, Attributes: { VisibilityTimeout: '5' } }));
      const b = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['VisibilityTimeout'] }))).Attributes!;
      assert.deepEqual(b, { VisibilityTimeout: '5' });
    });

    it('tags queues', async () => {
      const url = (await sqs.send(new CreateQueueCommand({ QueueName: uniqueName(), tags: { team: 'a' } }))).QueueUrl!;
      await sqs.send(new TagQueueCommand({ QueueUrl: url, Tags: { env: 'ci' } }));
      assert.deepEqual((await sqs.send(new ListQueueTagsCommand({ QueueUrl: url }))).Tags, { team: 'a', env: 'ci' });
    });

    it('answers errors the SDK recognises', async () => {
      await expectError(sqs.send(new GetQueueUrlCommand({ QueueName: 'no-such-queue-anywhere' })), 'QueueDoesNotExist');
      await expectError(queue({ VisibilityTimeout: '50000' }), 'InvalidAttributeValue');
      await expectError(sqs.send(new CreateQueueCommand({ QueueName: 'bad name!' })), 'InvalidParameterValue');
    });
  });

  describe('messages', () => {
    it('sends, receives and deletes with attributes and matching MD5s', async () => {
      const url = await queue();
      const sent = await sqs.send(
        new SendMessageCommand({
          QueueUrl: url,
          MessageBody: 'hello ✓',
          MessageAttributes: {
            s: { DataType: 'String', StringValue: 'v' },
            n: { DataType: 'Number', StringValue: '42' },
            b: { DataType: 'Binary', BinaryValue: new Uint8Array([0, 1, 2, 255]) },
            c: { DataType: 'String.custom', StringValue: 'x' },
          },
        }),
      );
      assert.equal(sent.MD5OfMessageBody, createHash('md5').update('hello ✓').digest('hex'));
      const got = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MessageAttributeNames: ['All'], MessageSystemAttributeNames: ['All'] }));
      assert.equal(got.Messages?.length, 1);
      const m = got.Messages![0];
      assert.equal(m.Body, 'hello ✓');
      assert.equal(m.MessageId, sent.MessageId);
      assert.equal(m.MD5OfMessageAttributes, sent.MD5OfMessageAttributes);
      assert.deepEqual(Buffer.from(m.MessageAttributes!.b.BinaryValue!), Buffer.from([0, 1, 2, 255]));
      assert.equal(m.MessageAttributes!.n.StringValue, '42');
      assert.equal(m.Attributes!.ApproximateReceiveCount, '1');
      assert.equal(m.Attributes!.SenderId, 'test');
      await sqs.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: m.ReceiptHandle! }));
      assert.deepEqual(await counts(url), [0, 0, 0]);
    });

    it('hides a received message until its visibility timeout passes on the clock', async () => {
      const url = await queue();
      await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'once' }));
      const first = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, VisibilityTimeout: 30 }));
      assert.equal(first.Messages?.length, 1);
      assert.equal((await sqs.send(new ReceiveMessageCommand({ QueueUrl: url }))).Messages, undefined);
      assert.deepEqual(await counts(url), [0, 1, 0]);
      await advanceClock(target.endpoint(), 31);
      const again = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MessageSystemAttributeNames: ['ApproximateReceiveCount'] }));
      assert.equal(again.Messages?.[0].Attributes?.ApproximateReceiveCount, '2');
      assert.notEqual(again.Messages?.[0].ReceiptHandle, first.Messages?.[0].ReceiptHandle);
    });

    it('changes visibility of a message in flight', async () => {
      const url = await queue();
      await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'x' }));
      const m = (await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, VisibilityTimeout: 600 }))).Messages![0];
      await sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl: url, ReceiptHandle: m.ReceiptHandle!, VisibilityTimeout: 0 }));
      assert.equal((await sqs.send(new ReceiveMessageCommand({ QueueUrl: url }))).Messages?.length, 1);
    });

    it('delays a message on the clock', async () => {
      const url = await queue();
      await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'later', DelaySeconds: 120 }));
      assert.deepEqual(await counts(url), [0, 0, 1]);
      assert.equal((await sqs.send(new ReceiveMessageCommand({ QueueUrl: url }))).Messages, undefined);
      await advanceClock(target.endpoint(), 121);
      assert.deepEqual(await counts(url), [1, 0, 0]);
    });

    it('wakes a long poll as soon as a message is sent', async () => {
      const url = await queue();
      const waiting = sqs.send(new ReceiveMessageCommand({ QueueUrl: url, WaitTimeSeconds: 10 }));
      await new Promise((r) => setTimeout(r, 200));
      await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'wake up' }));
      const got = await waiting;
      assert.equal(got.Messages?.[0].Body, 'wake up');
    });

    it('sends and deletes in batches with per-entry failures', async () => {
      const url = await queue();
      const sent = await sqs.send(
        new SendMessageBatchCommand({
          QueueUrl: url,
          Entries: [
            { Id: 'a', MessageBody: 'one' },
            { Id: 'b', MessageBody: 'two', DelaySeconds: 5000 },
            { Id: 'c', MessageBody: 'three' },
          ],
        }),
      );
      assert.deepEqual(sent.Successful?.map((s) => s.Id).sort(), ['a', 'c']);
      assert.equal(sent.Failed?.[0].Id, 'b');
      assert.equal(sent.Failed?.[0].SenderFault, true);
      const got = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10 }));
      assert.equal(got.Messages?.length, 2);
      const del = await sqs.send(
        new DeleteMessageBatchCommand({
          QueueUrl: url,
          Entries: [...got.Messages!.map((m, i) => ({ Id: `d${i}`, ReceiptHandle: m.ReceiptHandle! })), { Id: 'bad', ReceiptHandle: 'garbage' }],
        }),
      );
      assert.equal(del.Successful?.length, 2);
      assert.equal(del.Failed?.[0].Code, 'ReceiptHandleIsInvalid');
      await expectError(sqs.send(new SendMessageBatchCommand({ QueueUrl: url, Entries: [{ Id: 'x', MessageBody: 'a' }, { Id: 'x', MessageBody: 'b' }] })), 'BatchEntryIdsNotDistinct');
    });

    it('purges a queue', async () => {
      const url = await queue();
      await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'x' }));
      await sqs.send(new PurgeQueueCommand({ QueueUrl: url }));
      assert.deepEqual(await counts(url), [0, 0, 0]);
    });

    it('moves a message to the dead-letter queue after maxReceiveCount receives', async () => {
      const dlq = await queue();
      const dlqArn = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: dlq, AttributeNames: ['QueueArn'] }))).Attributes!.QueueArn!;
      const src = await queue({ RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: 2 }), VisibilityTimeout: '10' });
      await sqs.send(new SendMessageCommand({ QueueUrl: src, MessageBody: 'poison' }));
      for (let i = 0; i < 2; i++) {
        assert.equal((await sqs.send(new ReceiveMessageCommand({ QueueUrl: src }))).Messages?.length, 1);
        await advanceClock(target.endpoint(), 11);
      }
      assert.equal((await sqs.send(new ReceiveMessageCommand({ QueueUrl: src }))).Messages, undefined);
      const dead = await sqs.send(new ReceiveMessageCommand({ QueueUrl: dlq }));
      assert.equal(dead.Messages?.[0].Body, 'poison');
      assert.deepEqual((await sqs.send(new ListDeadLetterSourceQueuesCommand({ QueueUrl: dlq }))).queueUrls, [src]);
    });
  });

  describe('FIFO queues', () => {
    it('delivers a group in order and holds it while a message is in flight', async () => {
      const url = await queue({ FifoQueue: 'true', ContentBasedDeduplication: 'true' }, `${uniqueName('fifo')}.fifo`);
      for (const body of ['a1', 'a2', 'b1']) {
        await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: body, MessageGroupId: body[0] }));
      }
      const dup = await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'a1', MessageGroupId: 'a' }));
      assert.ok(dup.SequenceNumber);
      const first = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 1 }));
      assert.equal(first.Messages?.[0].Body, 'a1');
      const next = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10 }));
      assert.deepEqual(next.Messages?.map((m) => m.Body), ['b1']);
      await sqs.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: first.Messages![0].ReceiptHandle! }));
      const last = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10 }));
      assert.deepEqual(last.Messages?.map((m) => m.Body), ['a2']);
    });
  });

  describe('accounts', () => {
    it('keeps accounts apart by access key', async () => {
      const name = uniqueName('acct');
      const other = sqsClient(target.endpoint(), '111122223333');
      const url = (await other.send(new CreateQueueCommand({ QueueName: name }))).QueueUrl!;
      assert.match(url, /\/111122223333\//);
      await expectError(sqs.send(new GetQueueUrlCommand({ QueueName: name })), 'QueueDoesNotExist');
      const id = await stsClient(target.endpoint(), '111122223333').send(new GetCallerIdentityCommand({}));
      assert.equal(id.Account, '111122223333');
      assert.equal((await stsClient(target.endpoint()).send(new GetCallerIdentityCommand({}))).Arn, 'arn:aws:iam::000000000000:root');
    });
  });
}
