import { describe, it, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { counts, harness, rejects, type Harness } from './harness.js';

const md5 = (s: string) => createHash('md5').update(s).digest('hex');
const ids = (list: Array<{ Id: string }> | undefined) => (list ?? []).map((e) => e.Id);

describe('batches', () => {
  let h: Harness;
  let url: string;
  beforeEach(async () => {
    h = await harness();
    url = await h.queue('batch');
  });
  afterEach(() => h.close());

  it('sends a batch with per-entry failures (test_batch_send_with_invalid_char_should_succeed)', async () => {
    const res = await h.call('SendMessageBatch', {
      QueueUrl: url,
      Entries: [
        { Id: 'ok-1', MessageBody: 'one', MessageAttributes: { k: { DataType: 'String', StringValue: 'x' } } },
        { Id: 'too-late', MessageBody: 'two', DelaySeconds: 1000 },
        { Id: 'bad-chars', MessageBody: '\u0001' },
        { Id: 'ok_2', MessageBody: 'three', DelaySeconds: 10 },
      ],
    });
    assert.deepEqual(ids(res.Successful), ['ok-1', 'ok_2']);
    assert.equal(res.Successful[0].MD5OfMessageBody, md5('one'));
    assert.equal(res.Successful[0].MD5OfMessageAttributes, 'a45daa70926828a2f0a1db3418e6feb4');
    assert.equal(res.Successful[1].MD5OfMessageAttributes, undefined);
    assert.deepEqual(res.Failed, [
      {
        Id: 'too-late',
        SenderFault: true,
        Code: 'InvalidParameterValue',
        Message: 'Value 1000 for parameter DelaySeconds is invalid. Reason: DelaySeconds must be >= 0 and <= 900.',
      },
      {
        Id: 'bad-chars',
        SenderFault: true,
        Code: 'InvalidMessageContents',
        Message: 'Invalid characters found. Valid unicode characters are #x9 | #xA | #xD | #x20 to #xD7FF | #xE000 to #xFFFD | #x10000 to #x10FFFF',
      },
    ]);
    assert.deepEqual(await counts(h, url), [1, 0, 1]);
  });

  it('checks each entry against the queue size and the batch against 1 MiB (test_send_batch_message_size, test_send_message_batch_with_oversized_contents)', async () => {
    await h.call('SetQueueAttributes', { QueueUrl: url, Attributes: { MaximumMessageSize: '1024' } });
    const res = await h.call('SendMessageBatch', {
      QueueUrl: url,
      Entries: [
        { Id: 'fits', MessageBody: 'a'.repeat(1024) },
        { Id: 'too-big', MessageBody: 'a'.repeat(1025) },
      ],
    });
    assert.deepEqual(ids(res.Successful), ['fits']);
    assert.deepEqual(res.Failed, [
      { Id: 'too-big', SenderFault: true, Code: 'InvalidParameterValue', Message: 'One or more parameters cannot be validated. Reason: Message must be shorter than 1024 bytes.' },
    ]);
    await h.call('SetQueueAttributes', { QueueUrl: url, Attributes: { MaximumMessageSize: '1048576' } });
    const attributes = { k: { DataType: 'String', StringValue: 'x' } };
    const e = await rejects(
      h.call('SendMessageBatch', {
        QueueUrl: url,
        Entries: [
          { Id: '1', MessageBody: 'a'.repeat(1048576 - 8), MessageAttributes: attributes },
          { Id: '2', MessageBody: 'a' },
        ],
      }),
      'BatchRequestTooLong',
      'Batch requests cannot be longer than 1048576 bytes. You have sent 1048577 bytes.',
      400,
    );
    assert.equal(e.queryCode, 'AWS.SimpleQueueService.BatchRequestTooLong');
  });

  it('fails whole batches AWS refuses', async () => {
    const twenty = Array.from({ length: 20 }, (_, i) => ({ Id: `message-${i}`, MessageBody: `body-${i}`, ReceiptHandle: 'x', VisibilityTimeout: 1 }));
    for (const op of ['SendMessageBatch', 'DeleteMessageBatch', 'ChangeMessageVisibilityBatch']) {
      const e = await rejects(
        h.call(op, { QueueUrl: url, Entries: twenty }),
        'TooManyEntriesInBatchRequest',
        'Maximum number of entries per request are 10. You have sent 20.',
      );
      assert.equal(e.queryCode, 'AWS.SimpleQueueService.TooManyEntriesInBatchRequest');
      await rejects(h.call(op, { QueueUrl: url, Entries: [] }), 'EmptyBatchRequest');
      await rejects(h.call(op, { QueueUrl: url }), 'EmptyBatchRequest');
      for (const id of ['', 'testLongId'.repeat(10), 'invalid:id']) {
        await rejects(
          h.call(op, { QueueUrl: url, Entries: [{ Id: id, MessageBody: 'x', ReceiptHandle: 'h', VisibilityTimeout: 1 }] }),
          'InvalidBatchEntryId',
          'A batch entry id can only contain alphanumeric characters, hyphens and underscores. It can be at most 80 letters long.',
        );
      }
      await rejects(
        h.call(op, { QueueUrl: url, Entries: [{ Id: 'x', MessageBody: 'a', ReceiptHandle: 'h', VisibilityTimeout: 1 }, { Id: 'x', MessageBody: 'b', ReceiptHandle: 'h', VisibilityTimeout: 1 }] }),
        'BatchEntryIdsNotDistinct',
      );
    }
    assert.deepEqual(await counts(h, url), [0, 0, 0]);
  });

  it('fails FIFO batches missing group or deduplication ids (test_send_batch_missing_*_for_fifo_queue)', async () => {
    const fifo = await h.queue('b.fifo', { FifoQueue: 'true', ContentBasedDeduplication: 'false' });
    await rejects(
      h.call('SendMessageBatch', {
        QueueUrl: fifo,
        Entries: [
          { Id: 'a', MessageBody: 'x', MessageGroupId: 'g', MessageDeduplicationId: 'd1' },
          { Id: 'b', MessageBody: 'x', MessageGroupId: 'g' },
        ],
      }),
      'InvalidParameterValueException',
      'The queue should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly',
    );
    await rejects(
      h.call('SendMessageBatch', {
        QueueUrl: fifo,
        Entries: [
          { Id: 'a', MessageBody: 'x', MessageGroupId: 'g', MessageDeduplicationId: 'd1' },
          { Id: 'b', MessageBody: 'x', MessageDeduplicationId: 'd2' },
        ],
      }),
      'InvalidParameterValueException',
      'The request must contain the parameter MessageGroupId.',
    );
    const ok = await h.call('SendMessageBatch', {
      QueueUrl: fifo,
      Entries: [
        { Id: 'a', MessageBody: 'x', MessageGroupId: 'g', MessageDeduplicationId: 'd1' },
        { Id: 'b', MessageBody: 'y', MessageGroupId: 'g', MessageDeduplicationId: 'd2' },
      ],
    });
    assert.ok(BigInt(ok.Successful[0].SequenceNumber) < BigInt(ok.Successful[1].SequenceNumber));
  });

  it('deletes and changes visibility per entry', async () => {
    await h.call('SendMessageBatch', { QueueUrl: url, Entries: [0, 1, 2, 3].map((i) => ({ Id: `m${i}`, MessageBody: `m${i}` })) });
    const got = (await h.call('ReceiveMessage', { QueueUrl: url, MaxNumberOfMessages: 10 })).Messages;
    assert.equal(got.length, 4);
    const vis = await h.call('ChangeMessageVisibilityBatch', {
      QueueUrl: url,
      Entries: [
        { Id: 'zero', ReceiptHandle: got[0].ReceiptHandle, VisibilityTimeout: 0 },
        { Id: 'long', ReceiptHandle: got[1].ReceiptHandle, VisibilityTimeout: 43201 },
        { Id: 'garbage', ReceiptHandle: 'garbage', VisibilityTimeout: 5 },
        { Id: 'none', ReceiptHandle: got[2].ReceiptHandle },
      ],
    });
    assert.deepEqual(ids(vis.Successful), ['zero']);
    assert.deepEqual(
      vis.Failed.map((f: { Id: string; Code: string }) => [f.Id, f.Code]),
      [
        ['long', 'InvalidParameterValue'],
        ['garbage', 'ReceiptHandleIsInvalid'],
        ['none', 'MissingParameter'],
      ],
    );
    assert.deepEqual(await counts(h, url), [1, 3, 0]);

    const del = await h.call('DeleteMessageBatch', {
      QueueUrl: url,
      Entries: [
        ...got.slice(1).map((m: { ReceiptHandle: string }, i: number) => ({ Id: `d${i}`, ReceiptHandle: m.ReceiptHandle })),
        { Id: 'bad', ReceiptHandle: 'garbage' },
      ],
    });
    assert.deepEqual(ids(del.Successful), ['d0', 'd1', 'd2']);
    assert.deepEqual(del.Failed, [{ Id: 'bad', SenderFault: true, Code: 'ReceiptHandleIsInvalid', Message: 'The input receipt handle "garbage" is not a valid receipt handle.' }]);
    assert.deepEqual(await counts(h, url), [1, 0, 0]);
  });

  it('reports expired FIFO handles per entry', async () => {
    const fifo = await h.queue('d.fifo', { FifoQueue: 'true', ContentBasedDeduplication: 'true', VisibilityTimeout: '5' });
    await h.call('SendMessage', { QueueUrl: fifo, MessageBody: 'a', MessageGroupId: 'g' });
    await h.call('SendMessage', { QueueUrl: fifo, MessageBody: 'b', MessageGroupId: 'h' });
    const got = (await h.call('ReceiveMessage', { QueueUrl: fifo, MaxNumberOfMessages: 10 })).Messages;
    await h.call('ChangeMessageVisibility', { QueueUrl: fifo, ReceiptHandle: got[1].ReceiptHandle, VisibilityTimeout: 60 });
    h.advance(6);
    const del = await h.call('DeleteMessageBatch', {
      QueueUrl: fifo,
      Entries: got.map((m: { ReceiptHandle: string }, i: number) => ({ Id: `e${i}`, ReceiptHandle: m.ReceiptHandle })),
    });
    assert.deepEqual(ids(del.Successful), ['e1']);
    assert.equal(del.Failed[0].Id, 'e0');
    assert.equal(del.Failed[0].Message, `Value ${got[0].ReceiptHandle} for parameter ReceiptHandle is invalid. Reason: The receipt handle has expired.`);
  });
});
