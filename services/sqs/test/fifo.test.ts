import { describe, it, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { bodies, counts, harness, rejects, type Harness } from './harness.js';

// The orderings asserted here are the ones real SQS produced in LocalStack's AWS-validated tests
// (tests/aws/services/sqs/test_sqs.py, named per case).
describe('FIFO queues', () => {
  let h: Harness;
  let url: string;
  const send = (body: string, group: string, extra: Record<string, unknown> = {}) =>
    h.call('SendMessage', { QueueUrl: url, MessageBody: body, MessageGroupId: group, ...extra });
  const receive = async (input: Record<string, unknown> = {}) => (await h.call('ReceiveMessage', { QueueUrl: url, ...input })).Messages ?? [];

  beforeEach(async () => {
    h = await harness();
    url = await h.queue('q.fifo', { FifoQueue: 'true', ContentBasedDeduplication: 'true' });
  });
  afterEach(() => h.close());

  it('returns a group in order before the next group (test_fifo_receive_message_group_id_ordering)', async () => {
    await send('g1-m1', 'group-1');
    await send('g2-m1', 'group-2');
    await send('g1-m2', 'group-1');
    await send('g1-m3', 'group-1');
    assert.deepEqual(await bodies(h, url), ['g1-m1', 'g1-m2', 'g1-m3', 'g2-m1']);
  });

  it('holds a group while its first message is in flight (test_fifo_receive_message_visibility_timeout_shared_in_group)', async () => {
    await h.call('SetQueueAttributes', { QueueUrl: url, Attributes: { VisibilityTimeout: '1' } });
    for (const b of ['g1-m1', 'g1-m2', 'g1-m3', 'g1-m4']) await send(b, 'group-1');
    await send('g2-m1', 'group-2');
    await send('g3-m1', 'group-3');
    assert.deepEqual(await bodies(h, url, { MaxNumberOfMessages: 2 }), ['g1-m1', 'g1-m2']);
    assert.deepEqual(await bodies(h, url, { MaxNumberOfMessages: 1 }), ['g2-m1']);
    h.advance(2);
    assert.deepEqual(await bodies(h, url, { VisibilityTimeout: 0 }), ['g3-m1', 'g1-m1', 'g1-m2', 'g1-m3', 'g1-m4', 'g2-m1']);
  });

  it('releases a group received with visibility timeout 0 (test_fifo_receive_message_with_zero_visibility_timeout)', async () => {
    await send('g1-m1', 'group-1');
    await send('g2-m1', 'group-2');
    await send('g2-m2', 'group-2');
    await send('g3-m1', 'group-3');
    await send('g1-m2', 'group-1');
    assert.deepEqual(await bodies(h, url, { MaxNumberOfMessages: 3, VisibilityTimeout: 0 }), ['g1-m1', 'g1-m2', 'g2-m1']);
    assert.deepEqual(await bodies(h, url, { VisibilityTimeout: 0 }), ['g3-m1', 'g1-m1', 'g1-m2', 'g2-m1', 'g2-m2']);
  });

  it('returns a group’s visible head but not the in-flight message behind it (test_fifo_message_group_visibility_after_terminate_visibility_timeout)', async () => {
    await send('g1-m1', 'group-1');
    await send('g1-m2', 'group-1');
    await send('g2-m1', 'group-2');
    const got = await receive({ MaxNumberOfMessages: 2 });
    assert.deepEqual(
      got.map((m: { Body: string }) => m.Body),
      ['g1-m1', 'g1-m2'],
    );
    await h.call('ChangeMessageVisibility', { QueueUrl: url, ReceiptHandle: got[0].ReceiptHandle, VisibilityTimeout: 0 });
    assert.deepEqual(await bodies(h, url, { MaxNumberOfMessages: 3 }), ['g2-m1', 'g1-m1']);
  });

  it('makes a group visible once its head’s changed timeout ends (test_fifo_message_group_visibility_after_change_message_visibility)', async () => {
    await send('g1-m1', 'group-1');
    await send('g1-m2', 'group-1');
    await send('g2-m1', 'group-2');
    const got = await receive({ MaxNumberOfMessages: 2 });
    await h.call('ChangeMessageVisibility', { QueueUrl: url, ReceiptHandle: got[0].ReceiptHandle, VisibilityTimeout: 1 });
    h.advance(2);
    assert.deepEqual(await bodies(h, url, { MaxNumberOfMessages: 3 }), ['g2-m1', 'g1-m1']);
  });

  for (const [position, expected] of [
    [0, []],
    [1, ['foo']],
    [2, ['foo', 'bar']],
  ] as const) {
    it(`keeps messages behind an extended one invisible (test_fifo_group_visibility_extends_with_change_message_visibility ${position}-visible)`, async () => {
      await h.call('SetQueueAttributes', { QueueUrl: url, Attributes: { VisibilityTimeout: '1' } });
      for (const b of ['foo', 'bar', 'baz']) await send(b, '1', { MessageDeduplicationId: b });
      const all = await receive({ MaxNumberOfMessages: 5 });
      assert.deepEqual(
        all.map((m: { Body: string }) => m.Body),
        ['foo', 'bar', 'baz'],
      );
      await h.call('ChangeMessageVisibility', { QueueUrl: url, ReceiptHandle: all[position].ReceiptHandle, VisibilityTimeout: 4 });
      h.advance(2.5);
      assert.deepEqual(await bodies(h, url, { MaxNumberOfMessages: 5 }), expected);
    });
  }

  it('orders groups by when their first message became available (test_fifo_message_group_visibility_after_delete)', async () => {
    for (const [b, g] of [
      ['g1-m1', 'group-1'],
      ['g2-m1', 'group-2'],
      ['g1-m2', 'group-1'],
      ['g2-m2', 'group-2'],
      ['g1-m2', 'group-1'],
      ['g1-m3', 'group-1'],
      ['g1-m4', 'group-1'],
      ['g3-m1', 'group-3'],
    ]) {
      await send(b, g);
    }
    const got = await receive({ MaxNumberOfMessages: 2 });
    assert.deepEqual(
      got.map((m: { Body: string }) => m.Body),
      ['g1-m1', 'g1-m2'],
    );
    for (const m of got) await h.call('DeleteMessage', { QueueUrl: url, ReceiptHandle: m.ReceiptHandle });
    assert.deepEqual(await bodies(h, url), ['g2-m1', 'g2-m2', 'g1-m3', 'g1-m4', 'g3-m1']);
  });

  it('keeps a partly deleted group held (test_fifo_message_group_visibility_after_partial_delete)', async () => {
    for (const [b, g] of [
      ['g1-m1', 'group-1'],
      ['g2-m1', 'group-2'],
      ['g1-m2', 'group-1'],
      ['g2-m2', 'group-2'],
      ['g1-m3', 'group-1'],
      ['g3-m1', 'group-3'],
    ]) {
      await send(b, g);
    }
    const got = await receive({ MaxNumberOfMessages: 2 });
    await h.call('DeleteMessage', { QueueUrl: url, ReceiptHandle: got[0].ReceiptHandle });
    assert.deepEqual(await bodies(h, url), ['g2-m1', 'g2-m2', 'g3-m1']);
  });

  it('counts messages of held groups as visible (test_fifo_approximate_number_of_messages_not_visible)', async () => {
    for (let i = 1; i <= 6; i++) await send(`message-${i}`, String(Math.ceil(i / 2)));
    const first = await receive({ MessageSystemAttributeNames: ['MessageGroupId'] });
    const second = await receive({ MessageSystemAttributeNames: ['MessageGroupId'] });
    assert.equal(first[0].Attributes.MessageGroupId, '1');
    assert.equal(second[0].Attributes.MessageGroupId, '2');
    assert.deepEqual(await counts(h, url), [4, 2, 0]);
    h.advance(30);
    assert.deepEqual(await counts(h, url), [6, 0, 0]);
  });

  it('redelivers a group in order after its timeout (test_fifo_messages_in_order_after_timeout)', async () => {
    for (let i = 0; i < 3; i++) await send(`message-${i}`, '1');
    assert.deepEqual(await bodies(h, url), ['message-0', 'message-1', 'message-2']);
    h.advance(31);
    assert.deepEqual(await bodies(h, url), ['message-0', 'message-1', 'message-2']);
  });

  it('applies the queue delay in order (test_fifo_queue_send_message_with_delay_on_queue_works)', async () => {
    await h.call('SetQueueAttributes', { QueueUrl: url, Attributes: { DelaySeconds: '2' } });
    for (let i = 1; i <= 3; i++) await send(`message-${i}`, '1', i === 1 ? { DelaySeconds: 0 } : {});
    assert.deepEqual(await counts(h, url), [0, 0, 3]);
    assert.deepEqual(await bodies(h, url), []);
    h.advance(2);
    assert.deepEqual(await bodies(h, url), ['message-1', 'message-2', 'message-3']);
  });

  it('refuses what FIFO queues refuse (test_posting_to_fifo_requires_deduplicationid_group_id)', async () => {
    await rejects(
      send('x', '1', { DelaySeconds: 2 }),
      'InvalidParameterValueException',
      'Value 2 for parameter DelaySeconds is invalid. Reason: The request include parameter that is not valid for this queue type.',
    );
    await rejects(
      h.call('SendMessage', { QueueUrl: url, MessageBody: 'x' }),
      'MissingRequiredParameterException',
      'The request must contain the parameter MessageGroupId.',
    );
    const explicit = await h.queue('explicit.fifo', { FifoQueue: 'true' });
    await rejects(
      h.call('SendMessage', { QueueUrl: explicit, MessageBody: 'x', MessageGroupId: 'g' }),
      'InvalidParameterValueException',
      'The queue should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly',
    );
    for (const id of ['', 'a'.repeat(129), 'group 123']) {
      await rejects(
        h.call('SendMessage', { QueueUrl: explicit, MessageBody: 'x', MessageGroupId: 'g', MessageDeduplicationId: id }),
        'InvalidParameterValueException',
        `Value ${id} for parameter MessageDeduplicationId is invalid. Reason: MessageDeduplicationId can only include alphanumeric and punctuation characters. 1 to 128 in length.`,
      );
    }
    assert.ok(await h.call('SendMessage', { QueueUrl: explicit, MessageBody: 'x', MessageGroupId: 'g', MessageDeduplicationId: 'a'.repeat(128) }));
  });

  it('numbers messages in increasing sequence and reports them', async () => {
    const sent = [];
    for (let i = 0; i < 3; i++) sent.push(await send(`m${i}`, 'g'));
    const seqs = sent.map((s) => s.SequenceNumber as string);
    assert.ok(seqs.every((s) => /^\d{20}$/.test(s)));
    assert.ok(BigInt(seqs[0]) < BigInt(seqs[1]) && BigInt(seqs[1]) < BigInt(seqs[2]));
    const m = (await receive({ AttributeNames: ['All'] }))[0];
    assert.equal(m.Attributes.SequenceNumber, seqs[0]);
    assert.equal(m.Attributes.MessageGroupId, 'g');
    assert.equal(m.Attributes.MessageDeduplicationId, createHash('sha256').update('m0').digest('hex'));
  });

  it('deduplicates within five minutes, even after delete (test_fifo_deduplication_arrives_once_after_delete)', async () => {
    const first = await send('{"foo": "bar"}', 'group-1');
    const got = await receive();
    await h.call('DeleteMessage', { QueueUrl: url, ReceiptHandle: got[0].ReceiptHandle });
    const dup = await send('{"foo": "bar"}', 'group-1');
    assert.equal(dup.MessageId, first.MessageId);
    assert.equal(dup.SequenceNumber, first.SequenceNumber);
    assert.deepEqual(await receive(), []);
    h.advance(5 * 60);
    const fresh = await send('{"foo": "bar"}', 'group-1');
    assert.notEqual(fresh.MessageId, first.MessageId);
    assert.deepEqual(await bodies(h, url), ['{"foo": "bar"}']);
  });

  it('deduplicates across groups unless the queue was created with messageGroup scope (test_fifo_change_to_high_throughput_after_creation)', async () => {
    await send('same', 'group-1');
    await send('same', 'group-2');
    assert.deepEqual(await bodies(h, url), ['same']);

    const perGroup = await h.queue('hi.fifo', { FifoQueue: 'true', DeduplicationScope: 'messageGroup', FifoThroughputLimit: 'perMessageGroupId' });
    const sendTo = (q: string, body: string, group: string) =>
      h.call('SendMessage', { QueueUrl: q, MessageBody: body, MessageGroupId: group, MessageDeduplicationId: 'same-dedup' });
    await sendTo(perGroup, 'Test1', 'group1');
    await sendTo(perGroup, 'Test2', 'group2');
    await sendTo(perGroup, 'Test2 again', 'group2');
    // The reported scope changes; the scope in force is the one the queue was created with.
    await h.call('SetQueueAttributes', { QueueUrl: perGroup, Attributes: { DeduplicationScope: 'queue', FifoThroughputLimit: 'perQueue' } });
    await sendTo(perGroup, 'Test3', 'group3');
    assert.deepEqual(await bodies(h, perGroup), ['Test1', 'Test2', 'Test3']);
    const a = (await h.call('GetQueueAttributes', { QueueUrl: perGroup, AttributeNames: ['DeduplicationScope'] })).Attributes;
    assert.deepEqual(a, { DeduplicationScope: 'queue' });
  });

  it('deduplicates within one batch and forgets deduplication on purge (test_purge_queue_clears_fifo_deduplication_cache)', async () => {
    const res = await h.call('SendMessageBatch', {
      QueueUrl: url,
      Entries: [
        { Id: 'a', MessageBody: 'same', MessageGroupId: 'g' },
        { Id: 'b', MessageBody: 'same', MessageGroupId: 'g' },
      ],
    });
    assert.equal(res.Successful.length, 2);
    assert.equal(res.Successful[0].MessageId, res.Successful[1].MessageId);
    assert.deepEqual(await counts(h, url), [1, 0, 0]);
    await h.call('PurgeQueue', { QueueUrl: url });
    await send('same', 'g');
    assert.deepEqual(await bodies(h, url), ['same']);
  });

  it('refuses a handle whose visibility ended (test_fifo_delete_after_visibility_timeout)', async () => {
    await h.call('SetQueueAttributes', { QueueUrl: url, Attributes: { VisibilityTimeout: '1' } });
    await send('foobar', '1');
    const [m] = await receive();
    h.advance(1);
    await rejects(
      h.call('DeleteMessage', { QueueUrl: url, ReceiptHandle: m.ReceiptHandle }),
      'InvalidParameterValueException',
      `Value ${m.ReceiptHandle} for parameter ReceiptHandle is invalid. Reason: The receipt handle has expired.`,
    );
    // An extended one still deletes (test_fifo_delete_after_visibility_timeout_extended).
    const [again] = await receive();
    await h.call('ChangeMessageVisibility', { QueueUrl: url, ReceiptHandle: again.ReceiptHandle, VisibilityTimeout: 5 });
    h.advance(1.5);
    await h.call('DeleteMessage', { QueueUrl: url, ReceiptHandle: again.ReceiptHandle });
    assert.deepEqual(await counts(h, url), [0, 0, 0]);
    // The older handle of the same message, from before it was received again, has expired too.
    await send('second', '1');
    const [x] = await receive({ VisibilityTimeout: 0 });
    await receive({ VisibilityTimeout: 10 });
    await rejects(h.call('DeleteMessage', { QueueUrl: url, ReceiptHandle: x.ReceiptHandle }), 'InvalidParameterValueException');
  });

  it('stays usable once a group is emptied (test_fifo_empty_message_groups_added_back_to_queue)', async () => {
    await send('Message 1', 'g1');
    const [m] = await receive();
    await h.call('DeleteMessage', { QueueUrl: url, ReceiptHandle: m.ReceiptHandle });
    assert.deepEqual(await receive(), []);
    await send('Message 2', 'g1');
    assert.deepEqual(await bodies(h, url), ['Message 2']);
  });
});
