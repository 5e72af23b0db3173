import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import {
  CreateBucketCommand,
  GetObjectCommand,
  HeadBucketCommand,
  ListBucketsCommand,
  ListObjectsV2Command,
  PutBucketNotificationConfigurationCommand,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { Upload } from '@aws-sdk/lib-storage';
import { credentialsFor, sqsClient, uniqueName } from '../src/clients.js';
import { Cluster } from '../src/cluster.js';

const ACCOUNT = '123456789012';
const MiB = 1024 * 1024;

function s3Client(endpoint: string, account = ACCOUNT): S3Client {
  return new S3Client({ endpoint, region: 'us-east-1', forcePathStyle: true, credentials: credentialsFor(account), maxAttempts: 1 });
}

function sha256(data: Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** S3 bucket names: lower case, 3..63 characters. */
function bucketName(prefix: string): string {
  return uniqueName(prefix).toLowerCase().slice(0, 63);
}

describe('distributed: S3 through a gateway and two S3 replicas sharing Redis and a blob directory', () => {
  let cluster: Cluster;
  let s3: S3Client;
  let sqs: SQSClient;

  before(async () => {
    cluster = await Cluster.start({ s3: 2, sqs: 1, sts: 1 });
    s3 = s3Client(cluster.endpoint);
    sqs = sqsClient(cluster.endpoint, ACCOUNT);
  });
  after(async () => {
    s3?.destroy();
    sqs?.destroy();
    await cluster?.stop();
  });

  it('creates buckets every replica sees and lists them', async () => {
    const names = [bucketName('b-one'), bucketName('b-two')];
    for (const Bucket of names) await s3.send(new CreateBucketCommand({ Bucket }));
    // Requests spread over both replicas: each must find the buckets.
    await Promise.all(Array.from({ length: 10 }, (_, i) => s3.send(new HeadBucketCommand({ Bucket: names[i % 2] }))));
    const listed = (await s3.send(new ListBucketsCommand({}))).Buckets?.map((b) => b.Name) ?? [];
    for (const n of names) assert.ok(listed.includes(n), `${n} in ${listed.join(', ')}`);
    // Bucket names are global: another account cannot take one.
    const other = s3Client(cluster.endpoint, '210987654321');
    const taken = await other.send(new CreateBucketCommand({ Bucket: names[0] })).catch((e: Error) => e);
    other.destroy();
    assert.equal((taken as Error).name, 'BucketAlreadyExists');
  });

  it('puts a 1 MiB object and reads it back through either replica', async () => {
    const Bucket = bucketName('big');
    await s3.send(new CreateBucketCommand({ Bucket }));
    const body = randomBytes(MiB);
    const put = await s3.send(new PutObjectCommand({ Bucket, Key: 'data/one-mib.bin', Body: body, ContentType: 'application/octet-stream' }));
    assert.equal(put.ETag, `"${createHash('md5').update(body).digest('hex')}"`);
    const reads = await Promise.all(
      Array.from({ length: 6 }, async () => {
        const got = await s3.send(new GetObjectCommand({ Bucket, Key: 'data/one-mib.bin' }));
        assert.equal(got.ContentLength, MiB);
        assert.equal(got.ContentType, 'application/octet-stream');
        return sha256(await got.Body!.transformToByteArray());
      }),
    );
    for (const digest of reads) assert.equal(digest, sha256(body));
    const listing = await s3.send(new ListObjectsV2Command({ Bucket, Prefix: 'data/' }));
    assert.deepEqual(
      listing.Contents?.map((o) => [o.Key, o.Size]),
      [['data/one-mib.bin', MiB]],
    );
  });

  it('uploads in parts with lib-storage, parts landing on both replicas', async () => {
    const Bucket = bucketName('mpu');
    await s3.send(new CreateBucketCommand({ Bucket }));
    const body = randomBytes(12 * MiB);
    const upload = new Upload({ client: s3, params: { Bucket, Key: 'multi.bin', Body: body }, partSize: 5 * MiB, queueSize: 3 });
    const done = await upload.done();
    assert.match(done.ETag ?? '', /^"[0-9a-f]{32}-3"$/);
    const got = await s3.send(new GetObjectCommand({ Bucket, Key: 'multi.bin' }));
    assert.equal(got.ContentLength, 12 * MiB);
    assert.equal(got.ETag, done.ETag);
    assert.equal(sha256(await got.Body!.transformToByteArray()), sha256(body));
  });

  it('lets one of concurrent If-None-Match: * puts win across replicas', async () => {
    const Bucket = bucketName('race');
    await s3.send(new CreateBucketCommand({ Bucket }));
    const bodies = Array.from({ length: 12 }, (_, i) => `writer ${i}`);
    const results = await Promise.all(
      bodies.map((Body) =>
        s3.send(new PutObjectCommand({ Bucket, Key: 'contended', Body, IfNoneMatch: '*' })).then(
          () => 'ok',
          (e: Error & { $metadata?: { httpStatusCode?: number } }) => `${e.name} ${e.$metadata?.httpStatusCode}`,
        ),
      ),
    );
    const winners = results.flatMap((r, i) => (r === 'ok' ? [i] : []));
    assert.equal(winners.length, 1, results.join(', '));
    for (const r of results) if (r !== 'ok') assert.equal(r, 'PreconditionFailed 412');
    const got = await s3.send(new GetObjectCommand({ Bucket, Key: 'contended' }));
    assert.equal(await got.Body!.transformToString(), bodies[winners[0]]);
  });

  it('notifies an SQS queue of a new object', async () => {
    const Bucket = bucketName('notify');
    await s3.send(new CreateBucketCommand({ Bucket }));
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: uniqueName('s3-events') }));
    const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }));
    await s3.send(
      new PutBucketNotificationConfigurationCommand({
        Bucket,
        NotificationConfiguration: { QueueConfigurations: [{ QueueArn: Attributes!.QueueArn, Events: ['s3:ObjectCreated:*'] }] },
      }),
    );
    await s3.send(new PutObjectCommand({ Bucket, Key: 'reports/jan.csv', Body: 'a,b\n1,2\n' }));

    const deadline = Date.now() + 10_000;
    let record: Record<string, any> | undefined;
    while (!record && Date.now() < deadline) {
      const { Messages } = await sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }));
      for (const m of Messages ?? []) {
        const event = JSON.parse(m.Body!) as { Records?: Record<string, any>[]; Event?: string };
        if (event.Records) record = event.Records[0];
      }
    }
    assert.ok(record, 'no ObjectCreated event arrived');
    assert.equal(record.eventSource, 'aws:s3');
    assert.equal(record.eventName, 'ObjectCreated:Put');
    assert.equal(record.s3.bucket.name, Bucket);
    assert.equal(record.s3.object.key, 'reports/jan.csv');
    assert.equal(record.s3.object.size, 8);
  });

  it('keeps serving objects after a replica dies', async () => {
    const Bucket = bucketName('survive');
    await s3.send(new CreateBucketCommand({ Bucket }));
    const body = randomBytes(64 * 1024);
    await s3.send(new PutObjectCommand({ Bucket, Key: 'k', Body: body }));
    await cluster.kill(cluster.replicas('s3')[0]);
    const got = await s3.send(new GetObjectCommand({ Bucket, Key: 'k' }));
    assert.equal(sha256(await got.Body!.transformToByteArray()), sha256(body));
  });
});
