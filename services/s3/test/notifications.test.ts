import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, beforeEach, describe, it } from 'node:test';
import { ACCOUNT, HOST, OTHER_ACCOUNT, T0, harness, rejects, type Harness } from './harness.js';

const QUEUE_ARN = `arn:aws:sqs:us-east-1:${ACCOUNT}:events`;
const md5 = (s: string) => createHash('md5').update(s).digest('hex');

interface EventRecord {
  eventVersion: string;
  eventSource: string;
  awsRegion: string;
  eventTime: string;
  eventName: string;
  userIdentity: { principalId: string };
  requestParameters: { sourceIPAddress: string };
  responseElements: Record<string, string>;
  s3: {
    s3SchemaVersion: string;
    configurationId: string;
    bucket: { name: string; ownerIdentity: { principalId: string }; arn: string };
    object: { key: string; size?: number; eTag?: string; versionId?: string; sequencer?: string };
  };
}

describe('S3 event notifications to SQS', () => {
  let h: Harness;
  const records = async (): Promise<EventRecord[]> => {
    await h.service.idle();
    return h.sent.flatMap((m) => {
      const body = JSON.parse(m.MessageBody);
      return body.Records ?? [];
    });
  };

  before(async () => {
    h = await harness();
    h.queues.add(`${ACCOUNT}/events`);
    h.queues.add(`${OTHER_ACCOUNT}/elsewhere`);
    await h.bucket('notified');
  });
  beforeEach(async () => {
    await h.service.idle();
    h.sent.length = 0;
  });
  after(() => h.close());

  it('checks the configuration: ARNs, rules, events, and that the queues exist', async () => {
    const put = (config: unknown) => h.call('PutBucketNotificationConfiguration', { Bucket: 'notified', NotificationConfiguration: config });
    const bad = await rejects(put({ QueueConfigurations: [{ QueueArn: 'invalid-queue', Events: ['s3:ObjectCreated:*'] }] }), 'InvalidArgument', 400, 'The ARN could not be parsed');
    assert.deepEqual(bad.fields, { ArgumentName: 'Queue', ArgumentValue: 'invalid-queue' });
    const missing = await rejects(
      put({
        QueueConfigurations: [
          { QueueArn: `arn:aws:sqs:us-east-1:${ACCOUNT}:my-queue`, Events: ['s3:ObjectCreated:*'] },
          { QueueArn: `arn:aws:sqs:us-east-1:${ACCOUNT}:my-queue-2`, Events: ['s3:ObjectCreated:*'] },
        ],
      }),
      'InvalidArgument',
      400,
      'Unable to validate the following destination configurations',
    );
    assert.deepEqual(missing.fields, {
      ArgumentName1: `arn:aws:sqs:us-east-1:${ACCOUNT}:my-queue`,
      ArgumentValue1: 'The destination queue does not exist',
      ArgumentName2: `arn:aws:sqs:us-east-1:${ACCOUNT}:my-queue-2`,
      ArgumentValue2: 'The destination queue does not exist',
    });
    const rule = await rejects(
      put({ QueueConfigurations: [{ QueueArn: QUEUE_ARN, Events: ['s3:ObjectCreated:*'], Filter: { Key: { FilterRules: [{ Name: 'INVALID', Value: 'x' }] } } }] }),
      'InvalidArgument',
      400,
      'filter rule name must be either prefix or suffix',
    );
    assert.deepEqual(rule.fields, { ArgumentName: 'FilterRule.Name', ArgumentValue: 'INVALID' });
    await rejects(put({ QueueConfigurations: [{ QueueArn: QUEUE_ARN, Events: ['s3:ObjectCreated:*'], Filter: { Key: { FilterRules: [{ Name: 'prefix' }] } } }] }), 'MalformedXML', 400);
    await rejects(put({ QueueConfigurations: [{ QueueArn: QUEUE_ARN, Events: ['s3:Nothing'] }] }), 'InvalidArgument', 400);
    // Skipping validation stores a configuration for a queue that does not exist, and sends nothing.
    await h.call('PutBucketNotificationConfiguration', {
      Bucket: 'notified',
      SkipDestinationValidation: true,
      NotificationConfiguration: { QueueConfigurations: [{ Id: 'id123', QueueArn: `arn:aws:sqs:us-east-1:${ACCOUNT}:my-queue`, Events: ['s3:ObjectCreated:*'] }] },
    });
    assert.deepEqual(await h.call('GetBucketNotificationConfiguration', { Bucket: 'notified' }), {
      QueueConfigurations: [{ Id: 'id123', QueueArn: `arn:aws:sqs:us-east-1:${ACCOUNT}:my-queue`, Events: ['s3:ObjectCreated:*'] }],
    });
    await rejects(h.call('GetBucketNotificationConfiguration', { Bucket: 'nope' }), 'NoSuchBucket', 404);
  });

  it('sends s3:TestEvent to each queue when configured, and stores SNS, Lambda and EventBridge targets', async () => {
    await h.call('PutBucketNotificationConfiguration', {
      Bucket: 'notified',
      NotificationConfiguration: {
        QueueConfigurations: [
          { Id: 'all', QueueArn: QUEUE_ARN, Events: ['s3:ObjectCreated:*', 's3:ObjectRemoved:*', 's3:ObjectTagging:*'] },
          { Id: 'txt', QueueArn: QUEUE_ARN, Events: ['s3:ObjectCreated:Put'], Filter: { Key: { FilterRules: [{ Name: 'PREFIX', Value: 'docs/' }, { Name: 'suffix', Value: '.txt' }] } } },
        ],
        TopicConfigurations: [{ TopicArn: `arn:aws:sns:us-east-1:${ACCOUNT}:topic`, Events: ['s3:ObjectCreated:*'] }],
        LambdaFunctionConfigurations: [{ LambdaFunctionArn: `arn:aws:lambda:us-east-1:${ACCOUNT}:function:fn`, Events: ['s3:ObjectRemoved:*'] }],
        EventBridgeConfiguration: {},
      },
    });
    await h.service.idle();
    assert.equal(h.sent.length, 1);
    assert.equal(h.sent[0].QueueUrl, `http://${HOST}/${ACCOUNT}/events`);
    assert.equal(h.sent[0].ctx.account, ACCOUNT);
    assert.equal(h.sent[0].ctx.region, 'us-east-1');
    assert.deepEqual(JSON.parse(h.sent[0].MessageBody), {
      Service: 'Amazon S3',
      Event: 's3:TestEvent',
      Time: new Date(T0).toISOString(),
      Bucket: 'notified',
      RequestId: 'req-1',
      HostId: JSON.parse(h.sent[0].MessageBody).HostId,
    });
    const stored = await h.call('GetBucketNotificationConfiguration', { Bucket: 'notified' });
    assert.deepEqual(stored.QueueConfigurations[1].Filter, { Key: { FilterRules: [{ Name: 'Prefix', Value: 'docs/' }, { Name: 'Suffix', Value: '.txt' }] } });
    assert.equal(stored.TopicConfigurations.length, 1);
    assert.ok(stored.TopicConfigurations[0].Id);
    assert.equal(stored.LambdaFunctionConfigurations.length, 1);
    assert.deepEqual(stored.EventBridgeConfiguration, {});
  });

  it('sends the exact S3 event record for a put', async () => {
    await h.put('notified', 'my_key_0', 'some data', {}, { requestId: 'put-request' });
    const [record] = await records();
    assert.deepEqual(record, {
      eventVersion: '2.1',
      eventSource: 'aws:s3',
      awsRegion: 'us-east-1',
      eventTime: new Date(T0).toISOString(),
      eventName: 'ObjectCreated:Put',
      userIdentity: { principalId: 'AWS:AKIDEXAMPLE' },
      requestParameters: { sourceIPAddress: '127.0.0.1' },
      responseElements: { 'x-amz-request-id': 'put-request', 'x-amz-id-2': record.responseElements['x-amz-id-2'] },
      s3: {
        s3SchemaVersion: '1.0',
        configurationId: 'all',
        bucket: { name: 'notified', ownerIdentity: { principalId: record.s3.bucket.ownerIdentity.principalId }, arn: 'arn:aws:s3:::notified' },
        object: { key: 'my_key_0', size: 9, eTag: md5('some data'), sequencer: record.s3.object.sequencer },
      },
    });
    assert.match(record.s3.object.sequencer!, /^[0-9A-F]{18}$/);
    await h.put('notified', 'my_key_1', 'more');
    const [, next] = await records();
    assert.ok(next.s3.object.sequencer! > record.s3.object.sequencer!, 'sequencers grow');
  });

  it('applies filter rules and URL-encodes keys', async () => {
    await h.put('notified', 'docs/a b@c.txt', 'x');
    const rs = await records();
    assert.deepEqual(
      rs.map((r) => [r.s3.configurationId, r.s3.object.key]),
      [
        ['all', 'docs/a+b%40c.txt'],
        ['txt', 'docs/a+b%40c.txt'],
      ],
    );
    h.sent.length = 0;
    await h.put('notified', 'docs/a.pdf', 'x');
    assert.deepEqual((await records()).map((r) => r.s3.configurationId), ['all']);
  });

  it('names copies, multipart completions, deletes and tagging', async () => {
    await h.put('notified', 'src', 'abc');
    await h.call('CopyObject', { Bucket: 'notified', Key: 'copy', CopySource: 'notified/src' });
    const id = (await h.call('CreateMultipartUpload', { Bucket: 'notified', Key: 'mpu' })).UploadId;
    const p = await h.call('UploadPart', { Bucket: 'notified', Key: 'mpu', UploadId: id, PartNumber: 1, Body: await h.body('xyz') });
    await h.call('CompleteMultipartUpload', { Bucket: 'notified', Key: 'mpu', UploadId: id, MultipartUpload: { Parts: [{ PartNumber: 1, ETag: p.ETag }] } });
    await h.call('DeleteObject', { Bucket: 'notified', Key: 'copy' });
    await h.call('DeleteObjects', { Bucket: 'notified', Delete: { Objects: [{ Key: 'src' }] } });
    await h.call('PutObjectTagging', { Bucket: 'notified', Key: 'mpu', Tagging: { TagSet: [{ Key: 'k', Value: 'v' }] } });
    const rs = (await records()).filter((r) => r.s3.configurationId === 'all');
    assert.deepEqual(
      rs.map((r) => [r.eventName, r.s3.object.key]),
      [
        ['ObjectCreated:Put', 'src'],
        ['ObjectCreated:Copy', 'copy'],
        ['ObjectCreated:CompleteMultipartUpload', 'mpu'],
        ['ObjectRemoved:Delete', 'copy'],
        ['ObjectRemoved:Delete', 'src'],
        ['ObjectTagging:Put', 'mpu'],
      ],
    );
    assert.equal(rs[1].s3.object.eTag, md5('abc'));
    assert.equal(rs[2].s3.object.size, 3);
    assert.match(rs[2].s3.object.eTag!, /-1$/);
    assert.deepEqual(Object.keys(rs[3].s3.object).sort(), ['key', 'sequencer']);
    assert.equal(rs[5].eventVersion, '2.3');
    assert.deepEqual(Object.keys(rs[5].s3.object).sort(), ['eTag', 'key']);
  });

  it('includes version ids, and names delete markers, in versioned buckets', async () => {
    await h.bucket('notified-v');
    await h.call('PutBucketVersioning', { Bucket: 'notified-v', VersioningConfiguration: { Status: 'Enabled' } });
    await h.call('PutBucketNotificationConfiguration', {
      Bucket: 'notified-v',
      NotificationConfiguration: { QueueConfigurations: [{ Id: 'v', QueueArn: QUEUE_ARN, Events: ['s3:ObjectCreated:*', 's3:ObjectRemoved:*'] }] },
    });
    const v1 = (await h.put('notified-v', 'k', 'one')).VersionId;
    const marker = (await h.call('DeleteObject', { Bucket: 'notified-v', Key: 'k' })).VersionId;
    await h.call('DeleteObject', { Bucket: 'notified-v', Key: 'k', VersionId: v1 });
    const rs = await records();
    assert.deepEqual(
      rs.map((r) => [r.eventName, r.s3.object.versionId]),
      [
        ['ObjectCreated:Put', v1],
        ['ObjectRemoved:DeleteMarkerCreated', marker],
        ['ObjectRemoved:Delete', v1],
      ],
    );
    assert.deepEqual(rs[1].s3.object, { key: 'k', eTag: 'd41d8cd98f00b204e9800998ecf8427e', versionId: marker, sequencer: rs[1].s3.object.sequencer });
  });

  it('delivers to a queue in another account and region, and survives SQS failures', async () => {
    await h.bucket('notified-x');
    await h.call('PutBucketNotificationConfiguration', {
      Bucket: 'notified-x',
      NotificationConfiguration: { QueueConfigurations: [{ QueueArn: `arn:aws:sqs:eu-west-1:${OTHER_ACCOUNT}:elsewhere`, Events: ['s3:ObjectCreated:*'] }] },
    });
    await h.put('notified-x', 'k', 'v');
    await h.service.idle();
    const last = h.sent[h.sent.length - 1];
    assert.equal(last.QueueUrl, `http://${HOST}/${OTHER_ACCOUNT}/elsewhere`);
    assert.equal(last.ctx.account, OTHER_ACCOUNT);
    assert.equal(last.ctx.region, 'eu-west-1');
    // The queue goes away: the write still succeeds.
    h.queues.delete(`${OTHER_ACCOUNT}/elsewhere`);
    await h.bus.serve('sqs', async () => {
      throw new Error('sqs down');
    });
    await h.put('notified-x', 'k2', 'v');
    await h.service.idle();
  });
});
