import { describe, it, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { ACCOUNT, HOST, T0, counts, harness, rejects, type Harness } from './harness.js';

describe('queues', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await harness();
  });
  afterEach(() => h.close());

  it('creates a queue, finds it by name and URL, and deletes it', async () => {
    const url = await h.queue('orders');
    assert.equal(url, `http://${HOST}/${ACCOUNT}/orders`);
    assert.deepEqual(await h.call('GetQueueUrl', { QueueName: 'orders' }), { QueueUrl: url });
    assert.deepEqual(await h.call('GetQueueUrl', { QueueName: 'orders', QueueOwnerAWSAccountId: ACCOUNT }), { QueueUrl: url });
    // Any host, and a bare name, resolve to the same queue.
    const viaOtherHost = await h.call('GetQueueAttributes', { QueueUrl: `https://sqs.us-east-1.amazonaws.com/${ACCOUNT}/orders`, AttributeNames: ['QueueArn'] });
    assert.deepEqual(viaOtherHost, { Attributes: { QueueArn: `arn:aws:sqs:us-east-1:${ACCOUNT}:orders` } });
    const sent = await h.call('SendMessage', { QueueUrl: 'orders', MessageBody: 'by name' });
    assert.equal(sent.MD5OfMessageBody, createHash('md5').update('by name').digest('hex'));
    assert.deepEqual(await counts(h, url), [1, 0, 0]);
    await h.call('DeleteQueue', { QueueUrl: url });
    await rejects(h.call('GetQueueUrl', { QueueName: 'orders' }), 'QueueDoesNotExist', 'The specified queue does not exist.', 400);
    const e = await rejects(h.call('GetQueueAttributes', { QueueUrl: url }, { protocol: 'query' }), 'QueueDoesNotExist');
    assert.equal(e.message, 'The specified queue does not exist for this wsdl version.');
    assert.equal(e.queryCode, 'AWS.SimpleQueueService.NonExistentQueue');
  });

  it('reports every attribute with AWS defaults (test_set_queue_attributes_default_values)', async () => {
    const url = await h.queue('defaults');
    const { Attributes: a } = await h.call('GetQueueAttributes', { QueueUrl: url, AttributeNames: ['All'] });
    assert.deepEqual(a, {
      ApproximateNumberOfMessages: '0',
      ApproximateNumberOfMessagesDelayed: '0',
      ApproximateNumberOfMessagesNotVisible: '0',
      CreatedTimestamp: String(T0 / 1000),
      DelaySeconds: '0',
      LastModifiedTimestamp: String(T0 / 1000),
      MaximumMessageSize: '1048576',
      MessageRetentionPeriod: '345600',
      QueueArn: `arn:aws:sqs:us-east-1:${ACCOUNT}:defaults`,
      ReceiveMessageWaitTimeSeconds: '0',
      SqsManagedSseEnabled: 'true',
      VisibilityTimeout: '30',
    });
    // KMS encryption replaces SQS-managed encryption; default KMS values remove the attributes again.
    await h.call('SetQueueAttributes', { QueueUrl: url, Attributes: { KmsMasterKeyId: 'testKeyId', KmsDataKeyReusePeriodSeconds: '6000' } });
    const kms = (await h.call('GetQueueAttributes', { QueueUrl: url, AttributeNames: ['KmsMasterKeyId', 'KmsDataKeyReusePeriodSeconds', 'SqsManagedSseEnabled'] })).Attributes;
    assert.deepEqual(kms, { KmsMasterKeyId: 'testKeyId', KmsDataKeyReusePeriodSeconds: '6000', SqsManagedSseEnabled: 'false' });
    await h.call('SetQueueAttributes', { QueueUrl: url, Attributes: { KmsMasterKeyId: '', KmsDataKeyReusePeriodSeconds: '300' } });
    const after = (await h.call('GetQueueAttributes', { QueueUrl: url, AttributeNames: ['All'] })).Attributes;
    assert.equal(after.KmsMasterKeyId, undefined);
    assert.equal(after.KmsDataKeyReusePeriodSeconds, undefined);
    assert.equal(after.SqsManagedSseEnabled, 'false');
    await rejects(
      h.call('SetQueueAttributes', { QueueUrl: url, Attributes: { KmsMasterKeyId: 'k', SqsManagedSseEnabled: 'true' } }),
      'InvalidAttributeName',
      'You can use one type of server-side encryption (SSE) at one time. You can either enable KMS SSE or SQS SSE.',
    );
  });

  it('reports FIFO attributes for FIFO queues (test_fifo_set_content_based_deduplication_strategy)', async () => {
    const url = await h.queue('jobs.fifo', { FifoQueue: 'true', ContentBasedDeduplication: 'True' });
    const names = ['FifoQueue', 'ContentBasedDeduplication', 'DeduplicationScope', 'FifoThroughputLimit'];
    assert.deepEqual((await h.call('GetQueueAttributes', { QueueUrl: url, AttributeNames: names })).Attributes, {
      FifoQueue: 'true',
      ContentBasedDeduplication: 'true',
      DeduplicationScope: 'queue',
      FifoThroughputLimit: 'perQueue',
    });
    h.advance(5);
    await h.call('SetQueueAttributes', { QueueUrl: url, Attributes: { ContentBasedDeduplication: 'false' } });
    const a = (await h.call('GetQueueAttributes', { QueueUrl: url, AttributeNames: ['ContentBasedDeduplication', 'LastModifiedTimestamp', 'CreatedTimestamp'] }))
      .Attributes;
    assert.deepEqual(a, { ContentBasedDeduplication: 'false', LastModifiedTimestamp: String(T0 / 1000 + 5), CreatedTimestamp: String(T0 / 1000) });
  });

  it('is idempotent for the same attributes and refuses different ones (test_create_queue_with_different_attributes_raises_exception)', async () => {
    const url = await h.queue('idem', { ReceiveMessageWaitTimeSeconds: '1', DelaySeconds: '1' });
    assert.equal(await h.queue('idem'), url);
    assert.equal(await h.queue('idem', { DelaySeconds: '1' }), url);
    const e = await rejects(
      h.queue('idem', { ReceiveMessageWaitTimeSeconds: '1', DelaySeconds: '2' }),
      'QueueNameExists',
      'A queue already exists with the same name and a different value for attribute DelaySeconds',
      400,
    );
    assert.equal(e.queryCode, 'QueueAlreadyExists');
    await h.call('SetQueueAttributes', { QueueUrl: url, Attributes: { DelaySeconds: '2' } });
    assert.equal(await h.queue('idem', { ReceiveMessageWaitTimeSeconds: '1', DelaySeconds: '2' }), url);
    await rejects(h.queue('idem', { DelaySeconds: '1' }), 'QueueNameExists');
    // Sending messages does not change what CreateQueue compares (test_create_queue_after_send).
    await h.call('SendMessage', { QueueUrl: url, MessageBody: 'x' });
    assert.equal(await h.queue('idem'), url);

    await h.queue('f.fifo', { FifoQueue: 'true', ContentBasedDeduplication: 'true' });
    await rejects(
      h.queue('f.fifo', { FifoQueue: 'true', ContentBasedDeduplication: 'false' }),
      'QueueNameExists',
      'A queue already exists with the same name and a different value for attribute ContentBasedDeduplication',
    );
  });

  it('validates names and attributes as AWS does', async () => {
    await rejects(h.queue('bad name!'), 'InvalidParameterValueException', 'Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length');
    await rejects(h.queue('x'.repeat(81)), 'InvalidParameterValueException');
    assert.ok(await h.queue('x'.repeat(80)));
    await rejects(h.queue('standard.fifo'), 'InvalidParameterValueException');
    await rejects(h.queue('nosuffix', { FifoQueue: 'true' }), 'InvalidParameterValueException');
    assert.ok(await h.queue(`${'y'.repeat(75)}.fifo`, { FifoQueue: 'true' }));
    await rejects(h.queue(`${'y'.repeat(76)}.fifo`, { FifoQueue: 'true' }), 'InvalidParameterValueException');

    // test_create_standard_queue_with_fifo_attribute_raises_error
    await rejects(h.queue('std', { FifoQueue: 'false' }), 'InvalidAttributeName', 'Unknown Attribute FifoQueue.');
    await rejects(h.queue('std', { ContentBasedDeduplication: 'false' }), 'InvalidAttributeName', 'Unknown Attribute ContentBasedDeduplication.');
    await rejects(h.queue('std', { DeduplicationScope: 'queue' }), 'InvalidAttributeName', 'You can specify the DeduplicationScope only when FifoQueue is set to true.');
    await rejects(h.queue('std', { FifoThroughputLimit: 'perQueue' }), 'InvalidAttributeName', 'You can specify the FifoThroughputLimit only when FifoQueue is set to true.');
    await rejects(h.queue('std', { Bogus: '1' }), 'InvalidAttributeName', 'Unknown Attribute Bogus.');

    for (const [name, bad] of [
      ['VisibilityTimeout', '43201'],
      ['VisibilityTimeout', '-1'],
      ['DelaySeconds', '901'],
      ['MaximumMessageSize', '1023'],
      ['MaximumMessageSize', '1048577'],
      ['MessageRetentionPeriod', '59'],
      ['MessageRetentionPeriod', '1209601'],
      ['ReceiveMessageWaitTimeSeconds', '21'],
      ['VisibilityTimeout', 'abc'],
    ]) {
      await rejects(h.queue('std', { [name]: bad }), 'InvalidAttributeValue', `Invalid value for the parameter ${name}.`);
    }
    const url = await h.queue('edges', { VisibilityTimeout: '43200', MaximumMessageSize: '1024', MessageRetentionPeriod: '60', DelaySeconds: '900' });
    const a = (await h.call('GetQueueAttributes', { QueueUrl: url, AttributeNames: ['VisibilityTimeout', 'MaximumMessageSize'] })).Attributes;
    assert.deepEqual(a, { VisibilityTimeout: '43200', MaximumMessageSize: '1024' });
  });

  it('refuses attribute changes AWS refuses (test_set_unsupported_attribute_fifo/standard)', async () => {
    const std = await h.queue('std');
    await rejects(h.call('SetQueueAttributes', { QueueUrl: std, Attributes: { FifoQueue: 'true' } }), 'InvalidAttributeName', 'Unknown Attribute FifoQueue.');
    await rejects(h.call('SetQueueAttributes', { QueueUrl: std, Attributes: { QueueArn: 'x' } }), 'InvalidAttributeName', 'Unknown Attribute QueueArn.');
    await rejects(
      h.call('SetQueueAttributes', { QueueUrl: std, Attributes: { ApproximateNumberOfMessages: '1' } }),
      'InvalidAttributeName',
      'Unknown Attribute ApproximateNumberOfMessages.',
    );
    const fifo = await h.queue('q.fifo', { FifoQueue: 'true' });
    await h.call('SetQueueAttributes', { QueueUrl: fifo, Attributes: { FifoQueue: 'true' } });
    await rejects(
      h.call('SetQueueAttributes', { QueueUrl: fifo, Attributes: { FifoQueue: 'false' } }),
      'InvalidAttributeValue',
      'Invalid value for the parameter FifoQueue. Reason: Modifying queue type is not supported.',
    );
    await rejects(h.call('GetQueueAttributes', { QueueUrl: std, AttributeNames: ['Foobar'] }), 'InvalidAttributeName', 'Unknown Attribute Foobar.');
    // FIFO-only names asked of a standard queue are simply absent.
    assert.deepEqual(await h.call('GetQueueAttributes', { QueueUrl: std, AttributeNames: ['FifoQueue'] }), {});
    assert.deepEqual(await h.call('GetQueueAttributes', { QueueUrl: std }), {});
  });

  it('keeps and removes policies (test_set_empty_queue_policy, test_set_empty_redrive_policy)', async () => {
    const url = await h.queue('pol');
    const policy = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: '*' }, Action: 'sqs:SendMessage', Resource: '*' }] };
    await h.call('SetQueueAttributes', { QueueUrl: url, Attributes: { Policy: JSON.stringify(policy, null, 2) } });
    const got = (await h.call('GetQueueAttributes', { QueueUrl: url, AttributeNames: ['Policy'] })).Attributes.Policy;
    assert.deepEqual(JSON.parse(got), policy);
    await h.call('SetQueueAttributes', { QueueUrl: url, Attributes: { Policy: '' } });
    assert.equal((await h.call('GetQueueAttributes', { QueueUrl: url, AttributeNames: ['All'] })).Attributes.Policy, undefined);
    await rejects(h.call('SetQueueAttributes', { QueueUrl: url, Attributes: { Policy: 'not json' } }), 'InvalidAttributeValue', 'Invalid value for the parameter Policy.');

    const dlq = await h.queue('pol-dlq');
    const arn = `arn:aws:sqs:us-east-1:${ACCOUNT}:pol-dlq`;
    await h.call('SetQueueAttributes', { QueueUrl: url, Attributes: { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: arn, maxReceiveCount: '42' }) } });
    const redrive = JSON.parse((await h.call('GetQueueAttributes', { QueueUrl: url, AttributeNames: ['RedrivePolicy'] })).Attributes.RedrivePolicy);
    assert.deepEqual(redrive, { deadLetterTargetArn: arn, maxReceiveCount: 42 });
    await h.call('SetQueueAttributes', { QueueUrl: url, Attributes: { RedrivePolicy: '' } });
    assert.equal((await h.call('GetQueueAttributes', { QueueUrl: url, AttributeNames: ['All'] })).Attributes.RedrivePolicy, undefined);
    assert.ok(dlq);
  });

  it('validates redrive policies against their dead-letter queue', async () => {
    const dlq = `arn:aws:sqs:us-east-1:${ACCOUNT}:dead`;
    await h.queue('dead');
    const bad = async (policy: unknown, reason: string) => {
      const raw = typeof policy === 'string' ? policy : JSON.stringify(policy);
      await rejects(h.queue('src', { RedrivePolicy: raw }), 'InvalidParameterValueException', `Value ${raw} for parameter RedrivePolicy is invalid. Reason: ${reason}`);
    };
    await bad({}, 'Redrive policy does not contain mandatory attribute: deadLetterTargetArn.');
    await bad({ deadLetterTargetArn: dlq }, 'Redrive policy does not contain mandatory attribute: maxReceiveCount.');
    await bad({ deadLetterTargetArn: dlq, maxReceiveCount: 0 }, 'Invalid value for maxReceiveCount: 0, valid values are from 1 to 1000 both inclusive.');
    await bad({ deadLetterTargetArn: dlq, maxReceiveCount: 1001 }, 'Invalid value for maxReceiveCount: 1001, valid values are from 1 to 1000 both inclusive.');
    await bad({ deadLetterTargetArn: `${dlq}-missing`, maxReceiveCount: 1 }, 'Dead letter target does not exist.');
    await h.queue('dead.fifo', { FifoQueue: 'true' });
    await bad({ deadLetterTargetArn: `${dlq}.fifo`, maxReceiveCount: 1 }, 'Dead-letter queue must be same type of queue as the source..');
    assert.ok(await h.queue('src', { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq, maxReceiveCount: 5 }) }));
  });

  it('enforces the dead-letter queue RedriveAllowPolicy (allowAll, denyAll, byQueue)', async () => {
    const url = await h.queue('guarded');
    const arn = `arn:aws:sqs:us-east-1:${ACCOUNT}:guarded`;
    const redrive = JSON.stringify({ deadLetterTargetArn: arn, maxReceiveCount: 3 });
    await h.call('SetQueueAttributes', { QueueUrl: url, Attributes: { RedriveAllowPolicy: JSON.stringify({ redrivePermission: 'denyAll' }) } });
    await rejects(h.queue('denied', { RedrivePolicy: redrive }), 'InvalidParameterValueException');
    const allowed = `arn:aws:sqs:us-east-1:${ACCOUNT}:allowed`;
    await h.call('SetQueueAttributes', {
      QueueUrl: url,
      Attributes: { RedriveAllowPolicy: JSON.stringify({ redrivePermission: 'byQueue', sourceQueueArns: [allowed] }) },
    });
    await rejects(h.queue('denied', { RedrivePolicy: redrive }), 'InvalidParameterValueException');
    assert.ok(await h.queue('allowed', { RedrivePolicy: redrive }));
    await h.call('SetQueueAttributes', { QueueUrl: url, Attributes: { RedriveAllowPolicy: JSON.stringify({ redrivePermission: 'allowAll' }) } });
    assert.ok(await h.queue('denied', { RedrivePolicy: redrive }));
    await rejects(
      h.call('SetQueueAttributes', { QueueUrl: url, Attributes: { RedriveAllowPolicy: JSON.stringify({ redrivePermission: 'byQueue' }) } }),
      'InvalidParameterValueException',
    );
    const sources = await h.call('ListDeadLetterSourceQueues', { QueueUrl: url });
    assert.deepEqual(sources, { queueUrls: [`http://${HOST}/${ACCOUNT}/allowed`, `http://${HOST}/${ACCOUNT}/denied`] });
  });

  it('lists queues by prefix with pages (test_list_queues_pagination)', async () => {
    for (let i = 0; i < 10; i++) await h.queue(`page-${i}`);
    await h.queue('other');
    const all = await h.call('ListQueues', { QueueNamePrefix: 'page-' });
    assert.deepEqual(
      all.QueueUrls,
      Array.from({ length: 10 }, (_, i) => `http://${HOST}/${ACCOUNT}/page-${i}`),
    );
    assert.equal(all.NextToken, undefined);
    const first = await h.call('ListQueues', { QueueNamePrefix: 'page-', MaxResults: 2 });
    assert.deepEqual(first.QueueUrls, [`http://${HOST}/${ACCOUNT}/page-0`, `http://${HOST}/${ACCOUNT}/page-1`]);
    assert.ok(first.NextToken);
    const rest = await h.call('ListQueues', { QueueNamePrefix: 'page-', MaxResults: 10, NextToken: first.NextToken });
    assert.equal(rest.QueueUrls.length, 8);
    assert.equal(rest.NextToken, undefined);
    assert.deepEqual(await h.call('ListQueues', { QueueNamePrefix: 'nothing' }), {});
    assert.equal((await h.call('ListQueues', {})).QueueUrls.length, 11);
    await rejects(h.call('ListQueues', { MaxResults: 0 }), 'InvalidParameterValueException');
  });

  it('keeps accounts and regions apart', async () => {
    await h.queue('shared-name');
    await rejects(h.call('GetQueueUrl', { QueueName: 'shared-name' }, { account: '111122223333' }), 'QueueDoesNotExist');
    await rejects(h.call('GetQueueUrl', { QueueName: 'shared-name' }, { region: 'eu-west-1' }), 'QueueDoesNotExist');
    const other = (await h.call('CreateQueue', { QueueName: 'shared-name' }, { account: '111122223333' })).QueueUrl;
    assert.equal(other, `http://${HOST}/111122223333/shared-name`);
    assert.deepEqual((await h.call('ListQueues', {}, { account: '111122223333' })).QueueUrls, [other]);
    // Another account's queue is reachable through its URL (the URL names the account).
    await h.call('SendMessage', { QueueUrl: other, MessageBody: 'cross' });
    assert.deepEqual(await counts(h, other), [1, 0, 0]);
    await h.service.reset('111122223333');
    await rejects(h.call('GetQueueUrl', { QueueName: 'shared-name' }, { account: '111122223333' }), 'QueueDoesNotExist');
    assert.ok(await h.call('GetQueueUrl', { QueueName: 'shared-name' }));
    await h.service.reset();
    await rejects(h.call('GetQueueUrl', { QueueName: 'shared-name' }), 'QueueDoesNotExist');
  });

  it('purges once a minute (test_successive_purge_calls_fail)', async () => {
    const url = await h.queue('purged');
    await h.call('SendMessageBatch', { QueueUrl: url, Entries: [0, 1, 2].map((i) => ({ Id: `m${i}`, MessageBody: 'x' })) });
    await h.call('ReceiveMessage', { QueueUrl: url });
    await h.call('SendMessage', { QueueUrl: url, MessageBody: 'later', DelaySeconds: 60 });
    assert.deepEqual(await counts(h, url), [2, 1, 1]);
    await h.call('PurgeQueue', { QueueUrl: url });
    assert.deepEqual(await counts(h, url), [0, 0, 0]);
    const e = await rejects(h.call('PurgeQueue', { QueueUrl: url }), 'PurgeQueueInProgress', 'Only one PurgeQueue operation on purged is allowed every 60 seconds.', 403);
    assert.equal(e.queryCode, 'AWS.SimpleQueueService.PurgeQueueInProgress');
    h.advance(60);
    await h.call('PurgeQueue', { QueueUrl: url });
    await h.call('SendMessage', { QueueUrl: url, MessageBody: 'after purge' });
    assert.deepEqual((await h.call('ReceiveMessage', { QueueUrl: url })).Messages.map((m: { Body: string }) => m.Body), ['after purge']);
  });

  it('tags queues (test_tag_untag_queue)', async () => {
    const url = (await h.call('CreateQueue', { QueueName: 'tagged', tags: { team: 'a' } })).QueueUrl;
    assert.deepEqual(await h.call('ListQueueTags', { QueueUrl: url }), { Tags: { team: 'a' } });
    await h.call('TagQueue', { QueueUrl: url, Tags: { tag1: 'value1', tag2: 'value2', tag3: '', team: 'b' } });
    assert.deepEqual((await h.call('ListQueueTags', { QueueUrl: url })).Tags, { team: 'b', tag1: 'value1', tag2: 'value2', tag3: '' });
    await h.call('UntagQueue', { QueueUrl: url, TagKeys: ['tag1', 'tag3', 'team', 'missing'] });
    assert.deepEqual((await h.call('ListQueueTags', { QueueUrl: url })).Tags, { tag2: 'value2' });
    await h.call('UntagQueue', { QueueUrl: url, TagKeys: ['tag2'] });
    assert.deepEqual(await h.call('ListQueueTags', { QueueUrl: url }), {});
  });

  it('manages permissions in the queue policy (test_sqs_permission_lifecycle)', async () => {
    const url = await h.queue('shared');
    const arn = `arn:aws:sqs:us-east-1:${ACCOUNT}:shared`;
    await h.call('AddPermission', { QueueUrl: url, Label: 'cross', AWSAccountIds: ['668614515564', ACCOUNT], Actions: ['ReceiveMessage'] });
    const policy = () => h.call('GetQueueAttributes', { QueueUrl: url, AttributeNames: ['Policy'] }).then((r) => r.Attributes && JSON.parse(r.Attributes.Policy));
    assert.deepEqual(await policy(), {
      Version: '2008-10-17',
      Id: `${arn}/SQSDefaultPolicy`,
      Statement: [
        {
          Sid: 'cross',
          Effect: 'Allow',
          Principal: { AWS: ['arn:aws:iam::668614515564:root', `arn:aws:iam::${ACCOUNT}:root`] },
          Action: 'SQS:ReceiveMessage',
          Resource: arn,
        },
      ],
    });
    await rejects(
      h.call('AddPermission', { QueueUrl: url, Label: 'cross', AWSAccountIds: [ACCOUNT], Actions: ['ReceiveMessage'] }),
      'InvalidParameterValueException',
      'Value cross for parameter Label is invalid. Reason: Already exists.',
    );
    await rejects(
      h.call('AddPermission', { QueueUrl: url, Label: 'bad', AWSAccountIds: [ACCOUNT], Actions: ['Fly'] }),
      'InvalidParameterValueException',
      'Value SQS:Fly for parameter ActionName is invalid. Reason: Please refer to the appropriate WSDL for a list of valid actions. ',
    );
    await h.call('RemovePermission', { QueueUrl: url, Label: 'cross' });
    assert.equal(await policy(), undefined);
    await rejects(
      h.call('RemovePermission', { QueueUrl: url, Label: 'cross' }),
      'InvalidParameterValueException',
      "Value cross for parameter Label is invalid. Reason: can't find label.",
    );
  });

  it('dumps queues with counts and in-flight messages', async () => {
    const url = await h.queue('dumped');
    await h.call('SendMessage', { QueueUrl: url, MessageBody: 'a' });
    await h.call('SendMessage', { QueueUrl: url, MessageBody: 'b' });
    const m = (await h.call('ReceiveMessage', { QueueUrl: url, VisibilityTimeout: 45 })).Messages[0];
    const dump = (await h.service.dump()) as { queues: Array<Record<string, any>> };
    assert.equal(dump.queues.length, 1);
    const q = dump.queues[0];
    assert.equal(q.name, 'dumped');
    assert.equal(q.arn, `arn:aws:sqs:us-east-1:${ACCOUNT}:dumped`);
    assert.deepEqual(q.counts, { visible: 1, notVisible: 1, delayed: 0 });
    assert.deepEqual(q.inFlight, [{ messageId: m.MessageId, groupId: undefined, receiveCount: 1, visibleAt: new Date(T0 + 45_000).toISOString() }]);
  });
});
