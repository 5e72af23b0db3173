import { describe, it, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { T0, bodies, counts, harness, rejects, type Harness } from './harness.js';
import { encodeReceiptHandle } from '../src/handles.js';

const md5 = (s: string) => createHash('md5').update(s).digest('hex');

describe('messages', () => {
  let h: Harness;
  let url: string;
  beforeEach(async () => {
    h = await harness();
    url = await h.queue('work');
  });
  afterEach(() => h.close());

  it('sends, receives and deletes a message with matching MD5s', async () => {
    const sent = await h.call('SendMessage', { QueueUrl: url, MessageBody: 'message' });
    assert.equal(sent.MD5OfMessageBody, '78e731027d8fd50ed642340b7c9a63b3');
    assert.match(sent.MessageId, /^[0-9a-f-]{36}$/);
    assert.equal(sent.SequenceNumber, undefined);
    assert.equal(sent.MD5OfMessageAttributes, undefined);
    const { Messages } = await h.call('ReceiveMessage', { QueueUrl: url });
    assert.equal(Messages.length, 1);
    const m = Messages[0];
    assert.deepEqual(Object.keys(m).sort(), ['Body', 'MD5OfBody', 'MessageId', 'ReceiptHandle']);
    assert.equal(m.Body, 'message');
    assert.equal(m.MessageId, sent.MessageId);
    assert.equal(m.MD5OfBody, sent.MD5OfMessageBody);
    assert.deepEqual(await counts(h, url), [0, 1, 0]);
    await h.call('DeleteMessage', { QueueUrl: url, ReceiptHandle: m.ReceiptHandle });
    assert.deepEqual(await counts(h, url), [0, 0, 0]);
    // Deleting again with the same handle succeeds (test_delete_message_with_deleted_receipt_handle).
    await h.call('DeleteMessage', { QueueUrl: url, ReceiptHandle: m.ReceiptHandle });
    assert.deepEqual(await h.call('ReceiveMessage', { QueueUrl: url, WaitTimeSeconds: 0 }), {});
  });

  it('keeps bodies byte for byte, including markup and carriage returns', async () => {
    for (const body of ['"&quot;&quot;\r', '{\r\n"machineID" : "d357006e26ff47439e1ef894225d4307"}', 'héllo ✓ \u{1F600} <x/>']) {
      const sent = await h.call('SendMessage', { QueueUrl: url, MessageBody: body });
      assert.equal(sent.MD5OfMessageBody, md5(body));
      const m = (await h.call('ReceiveMessage', { QueueUrl: url })).Messages[0];
      assert.equal(m.Body, body);
      await h.call('DeleteMessage', { QueueUrl: url, ReceiptHandle: m.ReceiptHandle });
    }
  });

  it('validates bodies (test_send_empty_message, test_send_message_with_invalid_payload_characters, test_send_oversized_message)', async () => {
    await rejects(h.call('SendMessage', { QueueUrl: url, MessageBody: '' }), 'MissingRequiredParameterException', 'The request must contain the parameter MessageBody.');
    await rejects(h.call('SendMessage', { QueueUrl: url }), 'MissingRequiredParameterException');
    for (const bad of ['\u0000', '\u0008', '\u0013', '\uFFFF', 'lone \uD800 surrogate']) {
      await rejects(
        h.call('SendMessage', { QueueUrl: url, MessageBody: `x${bad}x` }),
        'InvalidMessageContents',
        'Invalid characters found. Valid unicode characters are #x9 | #xA | #xD | #x20 to #xD7FF | #xE000 to #xFFFD | #x10000 to #x10FFFF',
      );
    }
    const attributes = { k: { DataType: 'String', StringValue: 'x' } };
    // Body plus attribute name, type and value may be exactly the maximum, not more.
    await h.call('SendMessage', { QueueUrl: url, MessageBody: 'a'.repeat(1048576 - 8), MessageAttributes: attributes });
    await rejects(
      h.call('SendMessage', { QueueUrl: url, MessageBody: 'a'.repeat(1048576 - 7), MessageAttributes: attributes }),
      'InvalidParameterValueException',
      'One or more parameters are invalid. Reason: Message must be shorter than 1048576 bytes.',
    );
    await h.call('SetQueueAttributes', { QueueUrl: url, Attributes: { MaximumMessageSize: '1024' } });
    await h.call('SendMessage', { QueueUrl: url, MessageBody: 'a'.repeat(1024) });
    await rejects(
      h.call('SendMessage', { QueueUrl: url, MessageBody: 'a'.repeat(1018), MessageAttributes: attributes }),
      'InvalidParameterValueException',
      'One or more parameters are invalid. Reason: Message must be shorter than 1024 bytes.',
    );
  });

  it('validates message attributes', async () => {
    const send = (attrs: Record<string, unknown>) => h.call('SendMessage', { QueueUrl: url, MessageBody: 'x', MessageAttributes: attrs });
    await rejects(
      send({ ErrorDetails: { DataType: 'String', StringValue: '' } }),
      'InvalidParameterValueException',
      "Message (user) attribute 'ErrorDetails' must contain a non-empty value of type 'String'.",
    );
    await rejects(send({ attr1: { DataType: 'String', StringValue: 'Invalid-\u0008,\u000b' } }), 'InvalidParameterValueException');
    for (const name of ['aWs.x', 'AMAZON.x', '.x', 'x.', 'a..b', 'Invalid-!-attr', 'L'.repeat(257)]) {
      await rejects(send({ [name]: { DataType: 'String', StringValue: 'v' } }), 'InvalidParameterValueException');
    }
    await rejects(send({ a: { DataType: 'Invalid', StringValue: 'v' } }), 'InvalidParameterValueException');
    await rejects(send({ a: { DataType: `Number.${'L'.repeat(256)}`, StringValue: '1' } }), 'InvalidParameterValueException');
    await rejects(send({ a: { DataType: 'Number', StringValue: 'twelve' } }), 'InvalidParameterValueException', "Can't cast the value of message (user) attribute 'a' to a number.");
    await rejects(send({ a: { DataType: 'Binary' } }), 'InvalidParameterValueException');
    const eleven = Object.fromEntries(Array.from({ length: 11 }, (_, i) => [`a${i}`, { DataType: 'String', StringValue: 'v' }]));
    await rejects(send(eleven), 'InvalidParameterValueException', 'Number of message attributes [11] exceeds the allowed maximum [10].');
    // Accepted: custom types, umlauts in names, numbers of every shape.
    const ok = {
      'attr.1øßä': { DataType: 'String', StringValue: 'Valida' },
      custom: { DataType: 'String.custom', StringValue: 'x' },
      n: { DataType: 'Number.float', StringValue: '-1.5e3' },
    };
    const sent = await send(ok);
    const m = (await h.call('ReceiveMessage', { QueueUrl: url, MessageAttributeNames: ['All'] })).Messages[0];
    assert.deepEqual(m.MessageAttributes, ok);
    assert.equal(m.MD5OfMessageAttributes, sent.MD5OfMessageAttributes);
  });

  it('carries binary attributes and AWSTraceHeader (test_send_message_with_binary_attributes, test_system_attributes_have_no_effect_on_attr_md5)', async () => {
    const binary = Buffer.from('traceparent\x1e00-774062d6c37081a5a0b9b5b88e30627c-2d2482211f6489da-01', 'latin1').toString('base64');
    const trace = 'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1';
    const sent = await h.call('SendMessage', {
      QueueUrl: url,
      MessageBody: 'test',
      MessageAttributes: { attr1: { DataType: 'Binary', BinaryValue: binary } },
      MessageSystemAttributes: { AWSTraceHeader: { DataType: 'String', StringValue: trace } },
    });
    assert.equal(sent.MD5OfMessageAttributes, '8cbe4db156db8a94db8b801b7addb984');
    assert.equal(sent.MD5OfMessageSystemAttributes, '5ae4d5d7636402d80f4eb6d213245a88');
    const m = (
      await h.call('ReceiveMessage', { QueueUrl: url, MessageAttributeNames: ['All'], AttributeNames: ['SentTimestamp', 'AWSTraceHeader'] })
    ).Messages[0];
    assert.deepEqual(m.MessageAttributes, { attr1: { DataType: 'Binary', BinaryValue: binary } });
    assert.equal(m.MD5OfMessageAttributes, '8cbe4db156db8a94db8b801b7addb984');
    assert.deepEqual(m.Attributes, { SentTimestamp: String(T0), AWSTraceHeader: trace });
    await rejects(
      h.call('SendMessage', { QueueUrl: url, MessageBody: 'x', MessageSystemAttributes: { Other: { DataType: 'String', StringValue: 'v' } } }),
      'InvalidParameterValueException',
    );
  });

  it('filters message attributes on receive (test_receive_message_message_attribute_names_filters)', async () => {
    await h.call('SetQueueAttributes', { QueueUrl: url, Attributes: { VisibilityTimeout: '0' } });
    await h.call('SendMessage', {
      QueueUrl: url,
      MessageBody: 'msg',
      MessageAttributes: {
        'Help.Me': { DataType: 'String', StringValue: 'Me' },
        Hello: { DataType: 'String', StringValue: 'There' },
        General: { DataType: 'String', StringValue: 'Kenobi' },
      },
    });
    const receive = async (names: string[]) => (await h.call('ReceiveMessage', { QueueUrl: url, MessageAttributeNames: names })).Messages[0];
    const none = await receive([]);
    assert.equal(none.MessageAttributes, undefined);
    assert.equal(none.MD5OfMessageAttributes, undefined);
    for (const all of [['All'], ['.*'], ['*']]) assert.equal((await receive(all)).MD5OfMessageAttributes, '4c360f3fdafd970e05fae2f149d997f5');
    const missing = await receive(['Foo', 'Help']);
    assert.equal(missing.MessageAttributes, undefined);
    const two = await receive(['Hello', 'General']);
    assert.deepEqual(Object.keys(two.MessageAttributes).sort(), ['General', 'Hello']);
    assert.equal(two.MD5OfMessageAttributes, 'fca026605781cb4126a1e9044df24232');
    assert.equal((await receive(['Foo', 'Hello'])).MD5OfMessageAttributes, 'a311262e065454b75da111d535b8dacd');
    const prefixed = await receive(['Hel.*']);
    assert.deepEqual(Object.keys(prefixed.MessageAttributes).sort(), ['Hello', 'Help.Me']);
    assert.equal(prefixed.MD5OfMessageAttributes, '83fee93c1bcd8b9a5a923ffacdc636c7');
    assert.equal((await receive(['AWS.'])).MessageAttributes, undefined);
  });

  it('selects system attributes by AttributeNames and MessageSystemAttributeNames', async () => {
    await h.call('SetQueueAttributes', { QueueUrl: url, Attributes: { VisibilityTimeout: '0' } });
    await h.call('SendMessage', { QueueUrl: url, MessageBody: 'msg' });
    const receive = async (input: Record<string, unknown>, protocol = 'json') =>
      (await h.call('ReceiveMessage', { QueueUrl: url, ...input }, { protocol })).Messages[0].Attributes;
    const all = { ApproximateFirstReceiveTimestamp: String(T0), ApproximateReceiveCount: '1', SenderId: 'AKIDEXAMPLE', SentTimestamp: String(T0) };
    assert.deepEqual(await receive({ MessageSystemAttributeNames: ['All'] }), all);
    assert.deepEqual(await receive({ AttributeNames: ['All'] }), { ...all, ApproximateReceiveCount: '2' });
    assert.deepEqual(await receive({ AttributeNames: ['SenderId', 'SequenceNumber'] }), { SenderId: 'AKIDEXAMPLE' });
    assert.equal(await receive({}), undefined);
    // JSON: the union of both lists; query: AttributeNames decides (test_message_system_attribute_names_with_attribute_names).
    assert.equal(Object.keys(await receive({ MessageSystemAttributeNames: ['All'], AttributeNames: ['SenderId'] })).length, 4);
    assert.deepEqual(await receive({ MessageSystemAttributeNames: ['All'], AttributeNames: ['SenderId'] }, 'query'), { SenderId: 'AKIDEXAMPLE' });
  });

  it('hides a received message until its visibility timeout ends on the clock', async () => {
    await h.call('SetQueueAttributes', { QueueUrl: url, Attributes: { VisibilityTimeout: '20' } });
    await h.call('SendMessage', { QueueUrl: url, MessageBody: 'once' });
    h.advance(3);
    const first = (await h.call('ReceiveMessage', { QueueUrl: url, AttributeNames: ['All'] })).Messages[0];
    assert.equal(first.Attributes.ApproximateFirstReceiveTimestamp, String(T0 + 3000));
    assert.deepEqual(await bodies(h, url), []);
    h.advance(19);
    assert.deepEqual(await bodies(h, url), []);
    h.advance(1);
    const second = (await h.call('ReceiveMessage', { QueueUrl: url, AttributeNames: ['All'], VisibilityTimeout: 300 })).Messages[0];
    assert.equal(second.MessageId, first.MessageId);
    assert.notEqual(second.ReceiptHandle, first.ReceiptHandle);
    assert.equal(second.Attributes.ApproximateReceiveCount, '2');
    assert.equal(second.Attributes.ApproximateFirstReceiveTimestamp, String(T0 + 3000));
    h.advance(299);
    assert.deepEqual(await counts(h, url), [0, 1, 0]);
    h.advance(1);
    assert.deepEqual(await counts(h, url), [1, 0, 0]);
    // A receive with VisibilityTimeout 0 leaves the message visible (test_receive_terminate_visibility_timeout).
    assert.deepEqual(await bodies(h, url, { VisibilityTimeout: 0 }), ['once']);
    assert.deepEqual(await bodies(h, url, { VisibilityTimeout: 0 }), ['once']);
  });

  it('changes visibility, also after the timeout passed (test_change_message_visibility_after_visibility_timeout_expiration)', async () => {
    await h.call('SendMessage', { QueueUrl: url, MessageBody: 'x' });
    const m = (await h.call('ReceiveMessage', { QueueUrl: url, VisibilityTimeout: 1 })).Messages[0];
    h.advance(2);
    await h.call('ChangeMessageVisibility', { QueueUrl: url, ReceiptHandle: m.ReceiptHandle, VisibilityTimeout: 10 });
    assert.deepEqual(await counts(h, url), [0, 1, 0]);
    await h.call('ChangeMessageVisibility', { QueueUrl: url, ReceiptHandle: m.ReceiptHandle, VisibilityTimeout: 0 });
    const again = (await h.call('ReceiveMessage', { QueueUrl: url })).Messages[0];
    assert.equal(again.MessageId, m.MessageId);
    // At most 12 hours from the latest receive.
    await h.call('ChangeMessageVisibility', { QueueUrl: url, ReceiptHandle: again.ReceiptHandle, VisibilityTimeout: 43200 });
    h.advance(10);
    await rejects(
      h.call('ChangeMessageVisibility', { QueueUrl: url, ReceiptHandle: again.ReceiptHandle, VisibilityTimeout: 43200 }),
      'InvalidParameterValueException',
      'Value 43200 for parameter VisibilityTimeout is invalid. Reason: Total VisibilityTimeout for the message is beyond the limit [43200 seconds]',
    );
    await rejects(
      h.call('ChangeMessageVisibility', { QueueUrl: url, ReceiptHandle: again.ReceiptHandle, VisibilityTimeout: 43201 }),
      'InvalidParameterValueException',
    );
    await h.call('DeleteMessage', { QueueUrl: url, ReceiptHandle: again.ReceiptHandle });
    await rejects(
      h.call('ChangeMessageVisibility', { QueueUrl: url, ReceiptHandle: again.ReceiptHandle, VisibilityTimeout: 42 }),
      'InvalidParameterValueException',
      `Value ${again.ReceiptHandle} for parameter ReceiptHandle is invalid. Reason: Message does not exist or is not available for visibility timeout change.`,
    );
  });

  it('deletes with a handle whose timeout passed (test_delete_after_visibility_timeout, test_remove_message_with_old_receipt_handle)', async () => {
    await h.call('SendMessage', { QueueUrl: url, MessageBody: 'x' });
    const m = (await h.call('ReceiveMessage', { QueueUrl: url, VisibilityTimeout: 1 })).Messages[0];
    h.advance(2);
    await h.call('DeleteMessage', { QueueUrl: url, ReceiptHandle: m.ReceiptHandle });
    assert.deepEqual(await counts(h, url), [0, 0, 0]);
  });

  it('refuses receipt handles that are garbage or belong to another queue', async () => {
    const other = await h.queue('other');
    await h.call('SendMessage', { QueueUrl: other, MessageBody: 'x' });
    const foreign = (await h.call('ReceiveMessage', { QueueUrl: other })).Messages[0].ReceiptHandle;
    for (const handle of ['garbage', foreign, encodeReceiptHandle({ account: '000000000000', region: 'us-east-1', name: 'work' }, { messageId: 'm', receipt: 1 }).slice(0, -4)]) {
      const e = await rejects(
        h.call('DeleteMessage', { QueueUrl: url, ReceiptHandle: handle }),
        'ReceiptHandleIsInvalid',
        `The input receipt handle "${handle}" is not a valid receipt handle.`,
        404,
      );
      assert.equal(e.queryCode, 'ReceiptHandleIsInvalid');
      await rejects(h.call('ChangeMessageVisibility', { QueueUrl: url, ReceiptHandle: handle, VisibilityTimeout: 1 }), 'ReceiptHandleIsInvalid');
    }
    assert.deepEqual(await counts(h, other), [0, 1, 0]);
  });

  it('delays messages per message and per queue on the clock', async () => {
    await h.call('SendMessage', { QueueUrl: url, MessageBody: 'later', DelaySeconds: 120 });
    await h.call('SendMessage', { QueueUrl: url, MessageBody: 'now' });
    assert.deepEqual(await counts(h, url), [1, 0, 1]);
    assert.deepEqual(await bodies(h, url, { VisibilityTimeout: 600 }), ['now']);
    h.advance(119);
    assert.deepEqual(await bodies(h, url), []);
    h.advance(1);
    assert.deepEqual(await bodies(h, url, { VisibilityTimeout: 600 }), ['later']);
    await h.call('SetQueueAttributes', { QueueUrl: url, Attributes: { DelaySeconds: '5' } });
    await h.call('SendMessage', { QueueUrl: url, MessageBody: 'queue delay' });
    await h.call('SendMessage', { QueueUrl: url, MessageBody: 'no delay', DelaySeconds: 0 });
    assert.deepEqual(await bodies(h, url, { VisibilityTimeout: 600 }), ['no delay']);
    h.advance(5);
    assert.deepEqual(await bodies(h, url, { VisibilityTimeout: 600 }), ['queue delay']);
    await rejects(
      h.call('SendMessage', { QueueUrl: url, MessageBody: 'x', DelaySeconds: 901 }),
      'InvalidParameterValueException',
      'Value 901 for parameter DelaySeconds is invalid. Reason: DelaySeconds must be >= 0 and <= 900.',
    );
  });

  it('drops messages past the retention period, in flight or not', async () => {
    await h.call('SetQueueAttributes', { QueueUrl: url, Attributes: { MessageRetentionPeriod: '60', VisibilityTimeout: '60' } });
    await h.call('SendMessage', { QueueUrl: url, MessageBody: 'm1' });
    await h.call('SendMessage', { QueueUrl: url, MessageBody: 'm2' });
    h.advance(10);
    const m = (await h.call('ReceiveMessage', { QueueUrl: url })).Messages[0];
    assert.equal(m.Body, 'm1');
    h.advance(50);
    assert.deepEqual(await counts(h, url), [0, 0, 0]);
    assert.deepEqual(await bodies(h, url), []);
    h.advance(20);
    assert.deepEqual(await bodies(h, url), []);
    await h.call('DeleteMessage', { QueueUrl: url, ReceiptHandle: m.ReceiptHandle });
  });

  it('receives up to MaxNumberOfMessages and validates receive parameters', async () => {
    for (let i = 0; i < 12; i++) await h.call('SendMessage', { QueueUrl: url, MessageBody: `m${i}` });
    assert.equal((await bodies(h, url, { MaxNumberOfMessages: 3 })).length, 3);
    assert.deepEqual((await bodies(h, url)).length, 9);
    await rejects(
      h.call('ReceiveMessage', { QueueUrl: url, MaxNumberOfMessages: 11 }),
      'InvalidParameterValueException',
      'Value 11 for parameter MaxNumberOfMessages is invalid. Reason: Must be between 1 and 10, if provided.',
    );
    await rejects(h.call('ReceiveMessage', { QueueUrl: url, MaxNumberOfMessages: 0 }), 'InvalidParameterValueException');
    await rejects(
      h.call('ReceiveMessage', { QueueUrl: url, WaitTimeSeconds: 21 }),
      'InvalidParameterValueException',
      'Value 21 for parameter WaitTimeSeconds is invalid. Reason: Must be >= 0 and <= 20, if provided.',
    );
    await rejects(
      h.call('ReceiveMessage', { QueueUrl: url, WaitTimeSeconds: -1 }),
      'InvalidParameterValueException',
      'Value -1 for parameter WaitTimeSeconds is invalid. Reason: Must be >= 0 and <= 20, if provided.',
    );
    await rejects(h.call('ReceiveMessage', { QueueUrl: url, VisibilityTimeout: 43201 }), 'InvalidParameterValueException');
  });

  it('validates group and deduplication ids on a standard queue (test_send_message_to_standard_queue_with_invalid_message_group_id)', async () => {
    for (const group of ['', 'a'.repeat(129), 'group 123']) {
      await rejects(
        h.call('SendMessage', { QueueUrl: url, MessageBody: 'm', MessageGroupId: group }),
        'InvalidParameterValueException',
        `Value ${group} for parameter MessageGroupId is invalid. Reason: MessageGroupId can only include alphanumeric and punctuation characters. 1 to 128 in length.`,
      );
    }
    // A fair queue: the group id is kept and reported (test_fair_queue_with_message_group_id).
    await h.call('SendMessage', { QueueUrl: url, MessageBody: 'message', MessageGroupId: 'test' });
    const m = (await h.call('ReceiveMessage', { QueueUrl: url, AttributeNames: ['All'] })).Messages[0];
    assert.equal(m.Attributes.MessageGroupId, 'test');
    await rejects(h.call('SendMessage', { QueueUrl: url, MessageBody: 'm', MessageDeduplicationId: 'd' }), 'InvalidParameterValueException');
  });
});

describe('long polling', () => {
  let h: Harness;
  let url: string;
  beforeEach(async () => {
    h = await harness();
    url = await h.queue('waiting');
  });
  afterEach(() => h.close());

  it('returns as soon as a message is sent', async () => {
    const waiting = h.call('ReceiveMessage', { QueueUrl: url, WaitTimeSeconds: 20 });
    await new Promise((r) => setImmediate(r));
    await h.call('SendMessage', { QueueUrl: url, MessageBody: 'wake up' });
    const got = await waiting;
    assert.equal(got.Messages[0].Body, 'wake up');
  });

  it('uses the queue ReceiveMessageWaitTimeSeconds when the request has no WaitTimeSeconds', async () => {
    await h.call('SetQueueAttributes', { QueueUrl: url, Attributes: { ReceiveMessageWaitTimeSeconds: '20' } });
    const waiting = h.call('ReceiveMessage', { QueueUrl: url });
    await new Promise((r) => setImmediate(r));
    await h.call('SendMessage', { QueueUrl: url, MessageBody: 'via queue setting' });
    assert.equal((await waiting).Messages[0].Body, 'via queue setting');
  });

  it('returns when a moved clock makes a delayed message visible', async () => {
    await h.call('SendMessage', { QueueUrl: url, MessageBody: 'delayed', DelaySeconds: 600 });
    const waiting = h.call('ReceiveMessage', { QueueUrl: url, WaitTimeSeconds: 20 });
    await new Promise((r) => setImmediate(r));
    h.advance(600);
    assert.equal((await waiting).Messages[0].Body, 'delayed');
  });

  it('wakes for a FIFO group released by a delete (test_fifo_message_group_visibility)', async () => {
    const fifo = await h.queue('w.fifo', { FifoQueue: 'true', ContentBasedDeduplication: 'true', VisibilityTimeout: '60' });
    await h.call('SendMessage', { QueueUrl: fifo, MessageBody: 'message-1', MessageGroupId: '1' });
    const first = (await h.call('ReceiveMessage', { QueueUrl: fifo })).Messages[0];
    const waiting = h.call('ReceiveMessage', { QueueUrl: fifo, WaitTimeSeconds: 20 });
    await h.call('SendMessage', { QueueUrl: fifo, MessageBody: 'message-2', MessageGroupId: '1' });
    await new Promise((r) => setImmediate(r));
    await h.call('DeleteMessage', { QueueUrl: fifo, ReceiptHandle: first.ReceiptHandle });
    assert.equal((await waiting).Messages[0].Body, 'message-2');
  });

  it('answers a waiting poll with nothing when the service stops', async () => {
    const waiting = h.call('ReceiveMessage', { QueueUrl: url, WaitTimeSeconds: 20 });
    await new Promise((r) => setImmediate(r));
    await h.service.close();
    assert.deepEqual(await waiting, {});
  });

  it('answers a poll whose queue is deleted', async () => {
    const waiting = h.call('ReceiveMessage', { QueueUrl: url, WaitTimeSeconds: 20 });
    await new Promise((r) => setImmediate(r));
    await h.call('DeleteQueue', { QueueUrl: url });
    await rejects(waiting, 'QueueDoesNotExist');
  });
});
