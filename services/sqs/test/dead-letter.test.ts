import { describe, it, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { ACCOUNT, HOST, T0, bodies, counts, harness, rejects, type Harness } from './harness.js';
import { decodeTaskHandle, encodeTaskHandle } from '../src/handles.js';

const arnOf = (name: string) => `arn:aws:sqs:us-east-1:${ACCOUNT}:${name}`;

describe('dead-letter queues', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await harness();
  });
  afterEach(() => h.close());

  /** A source queue draining into a dead-letter queue after `maxReceiveCount` receives. */
  async function pipe(maxReceiveCount = 1, name = 'src') {
    const dlq = await h.queue(`${name}-dlq`);
    const src = await h.queue(name, { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: arnOf(`${name}-dlq`), maxReceiveCount }) });
    return { src, dlq };
  }

  /** Receives (with VisibilityTimeout 0) until every message of the source has moved. */
  async function deadLetter(src: string, times: number) {
    for (let i = 0; i < times; i++) await h.call('ReceiveMessage', { QueueUrl: src, VisibilityTimeout: 0, MaxNumberOfMessages: 10 });
  }

  it('moves a message past maxReceiveCount with its attributes and source (test_dead_letter_queue_message_attributes)', async () => {
    const { src, dlq } = await pipe(1);
    const trace = 'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1';
    const sent = await h.call('SendMessage', {
      QueueUrl: src,
      MessageBody: 'message-1',
      MessageAttributes: { MyAttribute: { StringValue: 'foobar', DataType: 'String' } },
      MessageSystemAttributes: { AWSTraceHeader: { DataType: 'String', StringValue: trace } },
    });
    const first = (await h.call('ReceiveMessage', { QueueUrl: src, VisibilityTimeout: 0, AttributeNames: ['All'] })).Messages[0];
    assert.equal(first.Attributes.ApproximateReceiveCount, '1');
    h.advance(1);
    // The second receive finds it over the limit: it goes to the DLQ instead.
    assert.deepEqual(await h.call('ReceiveMessage', { QueueUrl: src, VisibilityTimeout: 0 }), {});
    assert.deepEqual(await counts(h, src), [0, 0, 0]);
    const dead = (await h.call('ReceiveMessage', { QueueUrl: dlq, AttributeNames: ['All'], MessageAttributeNames: ['All'] })).Messages[0];
    assert.equal(dead.MessageId, sent.MessageId);
    assert.equal(dead.Body, 'message-1');
    assert.equal(dead.MD5OfMessageAttributes, 'adb59cd4678ea5a855436b949cd07ab6');
    assert.deepEqual(dead.Attributes, {
      ApproximateFirstReceiveTimestamp: String(T0),
      ApproximateReceiveCount: '2',
      SenderId: 'AKIDEXAMPLE',
      SentTimestamp: String(T0),
      AWSTraceHeader: trace,
      DeadLetterQueueSourceArn: arnOf('src'),
    });
    assert.deepEqual(await h.call('ListDeadLetterSourceQueues', { QueueUrl: dlq }), { queueUrls: [`http://${HOST}/${ACCOUNT}/src`] });
  });

  it('wakes a long poll on the dead-letter queue when a message arrives there', async () => {
    const { src, dlq } = await pipe(1);
    await h.call('SendMessage', { QueueUrl: src, MessageBody: 'poison' });
    await h.call('ReceiveMessage', { QueueUrl: src, VisibilityTimeout: 0 });
    const waiting = h.call('ReceiveMessage', { QueueUrl: dlq, WaitTimeSeconds: 20 });
    await new Promise((r) => setImmediate(r));
    await h.call('ReceiveMessage', { QueueUrl: src });
    assert.equal((await waiting).Messages[0].Body, 'poison');
  });

  it('keeps FIFO order and stays usable (test_dead_letter_queue_with_fifo_and_content_based_deduplication)', async () => {
    const dlq = await h.queue('dead.fifo', { FifoQueue: 'true', ContentBasedDeduplication: 'true' });
    const src = await h.queue('live.fifo', {
      FifoQueue: 'true',
      ContentBasedDeduplication: 'true',
      RedrivePolicy: JSON.stringify({ deadLetterTargetArn: arnOf('dead.fifo'), maxReceiveCount: 2 }),
    });
    const sent = await h.call('SendMessage', { QueueUrl: src, MessageBody: 'foobar', MessageGroupId: '1' });
    await deadLetter(src, 3);
    const dead = (await h.call('ReceiveMessage', { QueueUrl: dlq, AttributeNames: ['All'] })).Messages;
    assert.equal(dead.length, 1);
    assert.equal(dead[0].MessageId, sent.MessageId);
    assert.equal(dead[0].Attributes.MessageGroupId, '1');
    assert.ok(BigInt(dead[0].Attributes.SequenceNumber) > BigInt(sent.SequenceNumber));
    const next = await h.call('SendMessage', { QueueUrl: src, MessageBody: 'foobar2', MessageGroupId: '1' });
    const got = (await h.call('ReceiveMessage', { QueueUrl: src })).Messages[0];
    assert.equal(got.MessageId, next.MessageId);
  });

  describe('message move tasks', () => {
    it('moves dead letters to a destination (test_basic_move_task_workflow)', async () => {
      const { src, dlq } = await pipe(1);
      const dest = await h.queue('dest');
      await h.call('SendMessage', { QueueUrl: src, MessageBody: 'message-1' });
      await h.call('SendMessage', { QueueUrl: src, MessageBody: 'message-2' });
      await deadLetter(src, 2);
      assert.deepEqual(await counts(h, dlq), [2, 0, 0]);
      const { TaskHandle } = await h.call('StartMessageMoveTask', { SourceArn: arnOf('src-dlq'), DestinationArn: arnOf('dest') });
      const decoded = decodeTaskHandle(TaskHandle);
      assert.equal(decoded?.sourceArn, arnOf('src-dlq'));
      assert.match(decoded?.taskId ?? '', /^[0-9a-f-]{36}$/);
      assert.deepEqual((await bodies(h, dest)).sort(), ['message-1', 'message-2']);
      assert.deepEqual(await counts(h, dlq), [0, 0, 0]);
      const { Results } = await h.call('ListMessageMoveTasks', { SourceArn: arnOf('src-dlq') });
      assert.deepEqual(Results, [
        {
          ApproximateNumberOfMessagesMoved: 2,
          ApproximateNumberOfMessagesToMove: 2,
          DestinationArn: arnOf('dest'),
          SourceArn: arnOf('src-dlq'),
          StartedTimestamp: T0,
          Status: 'COMPLETED',
        },
      ]);
    });

    it('moves each message back to its own source by default (test_move_task_workflow_with_multiple_sources_as_default_destination)', async () => {
      const { src, dlq } = await pipe(1, 'one');
      const two = await h.queue('two', { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: arnOf('one-dlq'), maxReceiveCount: 1 }) });
      for (const b of ['1-1', '1-2']) await h.call('SendMessage', { QueueUrl: src, MessageBody: b });
      for (const b of ['2-1', '2-2']) await h.call('SendMessage', { QueueUrl: two, MessageBody: b });
      await deadLetter(src, 2);
      await deadLetter(two, 2);
      assert.deepEqual(await counts(h, dlq), [4, 0, 0]);
      await h.call('StartMessageMoveTask', { SourceArn: arnOf('one-dlq') });
      const back = (await h.call('ReceiveMessage', { QueueUrl: src, MaxNumberOfMessages: 10, AttributeNames: ['All'] })).Messages;
      assert.deepEqual(back.map((m: { Body: string }) => m.Body).sort(), ['1-1', '1-2']);
      // A fresh start in the source queue: no receive history, no dead-letter source.
      assert.equal(back[0].Attributes.ApproximateReceiveCount, '1');
      assert.equal(back[0].Attributes.DeadLetterQueueSourceArn, undefined);
      assert.deepEqual((await bodies(h, two)).sort(), ['2-1', '2-2']);
      const [task] = (await h.call('ListMessageMoveTasks', { SourceArn: arnOf('one-dlq') })).Results;
      assert.deepEqual([task.Status, task.ApproximateNumberOfMessagesMoved, task.ApproximateNumberOfMessagesToMove, task.DestinationArn], [
        'COMPLETED',
        4,
        4,
        undefined,
      ]);
    });

    it('moves at MaxNumberOfMessagesPerSecond on the clock and can be cancelled (test_move_task_cancel)', async () => {
      const { src, dlq } = await pipe(1);
      const dest = await h.queue('dest');
      for (let i = 0; i < 10; i++) await h.call('SendMessage', { QueueUrl: src, MessageBody: `message-${i}` });
      await deadLetter(src, 2);
      const { TaskHandle } = await h.call('StartMessageMoveTask', { SourceArn: arnOf('src-dlq'), DestinationArn: arnOf('dest'), MaxNumberOfMessagesPerSecond: 1 });
      assert.deepEqual(await counts(h, dest), [1, 0, 0]);
      h.advance(1);
      // The clock moving steps the task; so does a listing.
      const [running] = (await h.call('ListMessageMoveTasks', { SourceArn: arnOf('src-dlq') })).Results;
      assert.deepEqual(running, {
        ApproximateNumberOfMessagesMoved: 2,
        ApproximateNumberOfMessagesToMove: 10,
        DestinationArn: arnOf('dest'),
        MaxNumberOfMessagesPerSecond: 1,
        SourceArn: arnOf('src-dlq'),
        StartedTimestamp: T0,
        Status: 'RUNNING',
        TaskHandle,
      });
      await rejects(
        h.call('StartMessageMoveTask', { SourceArn: arnOf('src-dlq'), DestinationArn: arnOf('dest') }),
        'InvalidParameterValueException',
        'There is already a task running. Only one active task is allowed for a source queue arn at a given time.',
      );
      h.advance(2);
      assert.deepEqual(await h.call('CancelMessageMoveTask', { TaskHandle }), { ApproximateNumberOfMessagesMoved: 4 });
      h.advance(60);
      const [cancelled] = (await h.call('ListMessageMoveTasks', { SourceArn: arnOf('src-dlq') })).Results;
      assert.equal(cancelled.Status, 'CANCELLED');
      assert.equal(cancelled.TaskHandle, undefined);
      assert.equal(cancelled.ApproximateNumberOfMessagesMoved, 4);
      assert.deepEqual(await counts(h, dlq), [6, 0, 0]);
      await rejects(h.call('CancelMessageMoveTask', { TaskHandle }), 'InvalidParameterValueException');
    });

    it('fails when the destination is deleted while it runs (test_move_task_delete_destination_queue_while_running)', async () => {
      const { src, dlq } = await pipe(1);
      const dest = await h.queue('dest');
      for (let i = 0; i < 5; i++) await h.call('SendMessage', { QueueUrl: src, MessageBody: `m${i}` });
      await deadLetter(src, 2);
      await h.call('StartMessageMoveTask', { SourceArn: arnOf('src-dlq'), DestinationArn: arnOf('dest'), MaxNumberOfMessagesPerSecond: 1 });
      await h.call('DeleteQueue', { QueueUrl: dest });
      h.advance(2);
      const [task] = (await h.call('ListMessageMoveTasks', { SourceArn: arnOf('src-dlq') })).Results;
      assert.deepEqual([task.Status, task.FailureReason, task.ApproximateNumberOfMessagesMoved], ['FAILED', 'AWS.SimpleQueueService.NonExistentQueue', 1]);
      assert.deepEqual(await counts(h, dlq), [4, 0, 0]);
    });

    it('validates its inputs as AWS does (test_sqs_move_task snapshots)', async () => {
      await pipe(1);
      await h.queue('plain');
      await rejects(
        h.call('StartMessageMoveTask', { SourceArn: arnOf('plain'), DestinationArn: arnOf('src') }),
        'InvalidParameterValueException',
        'Source queue must be configured as a Dead Letter Queue.',
        400,
      );
      await rejects(
        h.call('StartMessageMoveTask', { SourceArn: arnOf('src-dlq'), DestinationArn: arnOf('plaindoesntexist') }),
        'ResourceNotFoundException',
        "The resource that you specified for the DestinationArn parameter doesn't exist.",
        404,
      );
      await rejects(
        h.call('StartMessageMoveTask', { SourceArn: arnOf('nothing') }),
        'ResourceNotFoundException',
        "The resource that you specified for the SourceArn parameter doesn't exist.",
      );
      await rejects(h.call('StartMessageMoveTask', { SourceArn: 'not-an-arn' }), 'InvalidParameterValueException');
      await rejects(h.call('CancelMessageMoveTask', { TaskHandle: 'foobared' }), 'InvalidParameterValueException', 'Value for parameter TaskHandle is invalid.');
      await rejects(
        h.call('CancelMessageMoveTask', { TaskHandle: encodeTaskHandle('10f57157-fc38-4da9-a113-4de7e12d05dd', 'arn:aws:sqs:us-east-1:878966065785:test-queue-doesnt-exist-123456') }),
        'ResourceNotFoundException',
        "The resource that you specified for the SourceArn parameter doesn't exist.",
        404,
      );
      await rejects(
        h.call('CancelMessageMoveTask', { TaskHandle: encodeTaskHandle('10f57157-fc38-4da9-a113-4de7e12d05aa', arnOf('src-dlq')) }),
        'ResourceNotFoundException',
        'Task does not exist.',
        404,
      );
      assert.deepEqual(await h.call('ListMessageMoveTasks', { SourceArn: arnOf('src-dlq') }), { Results: [] });
    });
  });
});
