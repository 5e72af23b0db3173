import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import {
  CompleteMultipartUploadCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetBucketAclCommand,
  GetBucketLocationCommand,
  GetBucketPolicyCommand,
  GetBucketTaggingCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListBucketsCommand,
  ListObjectsV2Command,
  PutBucketPolicyCommand,
  PutBucketTaggingCommand,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { startS3Fixture, type S3Fixture } from './s3-fixture.js';

function client(endpoint: string, extra: Partial<ConstructorParameters<typeof S3Client>[0]> = {}): S3Client {
  return new S3Client({
    endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: '123456789012', secretAccessKey: 'secret' },
    maxAttempts: 1,
    ...extra,
  });
}

async function rejection(promise: Promise<unknown>): Promise<S3ServiceException> {
  try {
    await promise;
  } catch (e) {
    return e as S3ServiceException;
  }
  assert.fail('expected the call to fail');
}

describe('S3 wire through @aws-sdk/client-s3', () => {
  let fx: S3Fixture;
  let s3: S3Client;
  before(async () => {
    fx = await startS3Fixture();
    s3 = client(fx.endpoint);
  });
  after(async () => {
    s3.destroy();
    await fx.close();
  });

  it('routes bucket operations and decodes the context from the signature', async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'alpha', CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' } }));
    const call = fx.last('CreateBucket');
    assert.equal(call.input.Bucket, 'alpha');
    assert.deepEqual(call.input.CreateBucketConfiguration, { LocationConstraint: 'eu-west-1' });
    assert.equal(call.ctx.account, '123456789012');
    assert.equal(call.ctx.region, 'us-east-1');
    assert.equal(call.ctx.protocol, 'rest-xml');

    const list = await s3.send(new ListBucketsCommand({}));
    assert.equal(list.Buckets?.[0].Name, 'alpha');
    assert.equal(list.Buckets?.[0].CreationDate?.toISOString(), '2024-01-02T03:04:05.000Z');
    assert.equal(list.Owner?.DisplayName, 'stratus');

    const head = await s3.send(new HeadBucketCommand({ Bucket: 'alpha' }));
    assert.equal(head.$metadata.httpStatusCode, 200);
    const missing = await rejection(s3.send(new HeadBucketCommand({ Bucket: 'missing' })));
    assert.equal(missing.$metadata.httpStatusCode, 404);
    assert.equal(missing.name, 'NotFound', 'a HEAD error has no body, so the SDK names it from the status');
  });

  it('writes GetBucketLocation as the root element itself', async () => {
    const eu = await s3.send(new GetBucketLocationCommand({ Bucket: 'europe' }));
    assert.equal(eu.LocationConstraint, 'eu-west-1');
    const us = await s3.send(new GetBucketLocationCommand({ Bucket: 'alpha' }));
    assert.equal(us.LocationConstraint, undefined);
  });

  it('PutObject with a header checksum, then GetObject whole and by range', async () => {
    const body = Buffer.from('hello stratus, these are the bytes of a small object');
    const put = await s3.send(
      new PutObjectCommand({ Bucket: 'alpha', Key: 'dir/hello world+.txt', Body: body, ContentType: 'text/plain', Metadata: { Owner: 'Me', note: 'x y' } }),
    );
    assert.equal(put.ETag, `"${createHash('md5').update(body).digest('hex')}"`);
    const call = fx.last('PutObject');
    assert.equal(call.input.Key, 'dir/hello world+.txt');
    assert.equal(call.input.ContentType, 'text/plain');
    assert.deepEqual(call.input.Metadata, { owner: 'Me', note: 'x y' });
    assert.equal(call.input.Body.size, body.length);
    assert.equal(call.input.ContentLength, body.length);
    assert.equal(call.input.ChecksumCRC32, call.input.Body.checksums.CRC32, 'the SDK sends a CRC32 by default');
    assert.equal(call.input.Body.checksums.CRC64NVME, undefined, "S3's default CRC64NVME only when none is declared");
    assert.equal(put.ChecksumCRC32, call.input.ChecksumCRC32);

    const got = await s3.send(new GetObjectCommand({ Bucket: 'alpha', Key: 'dir/hello world+.txt' }));
    assert.equal(got.ContentType, 'text/plain');
    assert.equal(got.ContentLength, body.length);
    assert.deepEqual(got.Metadata, { owner: 'Me', note: 'x y' });
    assert.equal(got.LastModified?.toISOString(), '2024-05-01T12:00:00.000Z');
    assert.equal(Buffer.from(await got.Body!.transformToByteArray()).toString(), body.toString());

    const part = await s3.send(new GetObjectCommand({ Bucket: 'alpha', Key: 'dir/hello world+.txt', Range: 'bytes=6-12' }));
    assert.equal(part.$metadata.httpStatusCode, 206);
    assert.equal(part.ContentRange, `bytes 6-12/${body.length}`);
    assert.equal(part.ContentLength, 7);
    assert.equal(await part.Body!.transformToString(), 'stratus');

    const head = await s3.send(new HeadObjectCommand({ Bucket: 'alpha', Key: 'dir/hello world+.txt' }));
    assert.equal(head.ContentLength, body.length);
    assert.equal(head.ETag, put.ETag);
  });

  it('PutObject of a stream: aws-chunked with a CRC32 trailer, decoded into the blob store', async () => {
    const size = 200 * 1024 + 17;
    const data = Buffer.alloc(size, 7);
    for (let i = 0; i < size; i += 101) data[i] = i & 0xff;
    await s3.send(new PutObjectCommand({ Bucket: 'alpha', Key: 'streamed', Body: Readable.from([data.subarray(0, 70000), data.subarray(70000)]), ContentLength: size }));
    const call = fx.last('PutObject');
    assert.equal(call.input.Body.size, size);
    assert.equal(call.input.Body.etag, createHash('md5').update(data).digest('hex'));
    assert.equal(call.input.ContentLength, size, 'the decoded length, not that of the framing');
    assert.equal(call.input.ContentEncoding, undefined, 'aws-chunked is not the object content coding');
    assert.ok(call.input.ChecksumCRC32, 'the trailer checksum arrives as the ChecksumCRC32 member');
    assert.equal(call.input.ChecksumCRC32, call.input.Body.checksums.CRC32);

    const got = await s3.send(new GetObjectCommand({ Bucket: 'alpha', Key: 'streamed', Range: 'bytes=100000-' }));
    assert.deepEqual(Buffer.from(await got.Body!.transformToByteArray()), data.subarray(100000));
  });

  it('errors carry the S3 code, message and status', async () => {
    const e = await rejection(s3.send(new GetObjectCommand({ Bucket: 'alpha', Key: 'nope' })));
    assert.equal(e.name, 'NoSuchKey');
    assert.equal(e.message, 'The specified key does not exist.');
    assert.equal(e.$metadata.httpStatusCode, 404);
    assert.equal((e as unknown as { Key?: string }).Key, 'nope', 'extra fields of the error document reach the exception');
    const range = await rejection(s3.send(new GetObjectCommand({ Bucket: 'alpha', Key: 'streamed', Range: 'bytes=999999999-' })));
    assert.equal(range.name, 'InvalidRange');
    assert.equal(range.$metadata.httpStatusCode, 416);
    const head = await rejection(s3.send(new HeadObjectCommand({ Bucket: 'alpha', Key: 'nope' })));
    assert.equal(head.name, 'NotFound');
  });

  it('ListObjectsV2: query members in, the ListBucketResult document out', async () => {
    const out = await s3.send(new ListObjectsV2Command({ Bucket: 'alpha', Prefix: 'a/', Delimiter: '/', MaxKeys: 2, StartAfter: 'a/0' }));
    const call = fx.last('ListObjectsV2');
    assert.equal(call.input.Prefix, 'a/');
    assert.equal(call.input.Delimiter, '/');
    assert.equal(call.input.MaxKeys, 2);
    assert.equal(call.input.StartAfter, 'a/0');
    assert.equal(out.IsTruncated, true);
    assert.equal(out.KeyCount, 2);
    assert.equal(out.NextContinuationToken, 'token-1');
    assert.deepEqual(
      out.Contents?.map((c) => [c.Key, c.Size, c.ETag, c.LastModified?.toISOString()]),
      [
        ['a/one.txt', 3, '"abc"', '2024-01-01T00:00:00.000Z'],
        ['a/<two>&.txt', 12345678901, '"def"', '2024-01-02T00:00:00.000Z'],
      ],
    );
    assert.deepEqual(out.Contents?.[0].ChecksumAlgorithm, ['CRC32']);
    assert.deepEqual(
      out.CommonPrefixes?.map((p) => p.Prefix),
      ['a/b/', 'a/c/'],
    );
  });

  it('multipart: UploadPart bodies stream in, CompleteMultipartUpload decodes its XML body', async () => {
    const created = await s3.send(new CreateMultipartUploadCommand({ Bucket: 'alpha', Key: 'big', ChecksumAlgorithm: 'CRC32' }));
    assert.equal(created.UploadId, 'upload-1');
    assert.equal(fx.last('CreateMultipartUpload').input.ChecksumAlgorithm, 'CRC32');
    const p1 = Buffer.alloc(5 * 1024 * 1024, 1);
    const p2 = Buffer.from('tail');
    const r1 = await s3.send(new UploadPartCommand({ Bucket: 'alpha', Key: 'big', UploadId: 'upload-1', PartNumber: 1, Body: p1, ChecksumAlgorithm: 'CRC32' }));
    assert.deepEqual([fx.last('UploadPart').input.PartNumber, fx.last('UploadPart').input.UploadId], [1, 'upload-1']);
    const r2 = await s3.send(new UploadPartCommand({ Bucket: 'alpha', Key: 'big', UploadId: 'upload-1', PartNumber: 2, Body: p2, ChecksumAlgorithm: 'CRC32' }));
    const done = await s3.send(
      new CompleteMultipartUploadCommand({
        Bucket: 'alpha',
        Key: 'big',
        UploadId: 'upload-1',
        MultipartUpload: {
          Parts: [
            { PartNumber: 1, ETag: r1.ETag, ChecksumCRC32: r1.ChecksumCRC32 },
            { PartNumber: 2, ETag: r2.ETag, ChecksumCRC32: r2.ChecksumCRC32 },
          ],
        },
      }),
    );
    const call = fx.last('CompleteMultipartUpload');
    assert.equal(call.input.UploadId, 'upload-1');
    assert.deepEqual(call.input.MultipartUpload, {
      Parts: [
        { PartNumber: 1, ETag: r1.ETag, ChecksumCRC32: r1.ChecksumCRC32 },
        { PartNumber: 2, ETag: r2.ETag, ChecksumCRC32: r2.ChecksumCRC32 },
      ],
    });
    assert.match(done.ETag ?? '', /^"[0-9a-f]{32}-2"$/);
    assert.equal(done.Location, `http://127.0.0.1:${fx.port}/alpha/big`);
    const got = await s3.send(new GetObjectCommand({ Bucket: 'alpha', Key: 'big', Range: `bytes=${p1.length - 2}-` }));
    assert.equal(await got.Body!.transformToString(), '\u0001\u0001tail');
  });

  it('lib-storage Upload of an unknown-length stream goes multipart through the gateway', async () => {
    const chunks = [Buffer.alloc(3 * 1024 * 1024, 2), Buffer.alloc(3 * 1024 * 1024, 3)];
    const upload = new Upload({ client: s3, params: { Bucket: 'alpha', Key: 'lib', Body: Readable.from(chunks) }, partSize: 5 * 1024 * 1024 });
    const out = await upload.done();
    assert.match(out.ETag ?? '', /-2"$/);
    assert.equal(fx.last('CompleteMultipartUpload').input.MultipartUpload.Parts.length, 2);
  });

  it('DeleteObjects: the Delete document in, Deleted and Error lists out', async () => {
    const out = await s3.send(
      new DeleteObjectsCommand({ Bucket: 'alpha', Delete: { Objects: [{ Key: 'x' }, { Key: 'locked' }, { Key: 'y & z', VersionId: 'v1' }] } }),
    );
    const call = fx.last('DeleteObjects');
    assert.deepEqual(call.input.Delete, { Objects: [{ Key: 'x' }, { Key: 'locked' }, { Key: 'y & z', VersionId: 'v1' }] });
    assert.deepEqual(out.Deleted, [{ Key: 'x' }, { Key: 'y & z', VersionId: 'v1' }]);
    assert.deepEqual(out.Errors, [{ Key: 'locked', Code: 'AccessDenied', Message: 'Access Denied' }]);
    await s3.send(new DeleteObjectsCommand({ Bucket: 'alpha', Delete: { Objects: [{ Key: 'q' }], Quiet: true } }));
    assert.equal(fx.last('DeleteObjects').input.Delete.Quiet, true);
  });

  it('DeleteObject answers 204', async () => {
    const out = await s3.send(new DeleteObjectCommand({ Bucket: 'alpha', Key: 'streamed' }));
    assert.equal(out.$metadata.httpStatusCode, 204);
  });

  it('XML and text configuration bodies, and documents with attributes', async () => {
    await s3.send(new PutBucketTaggingCommand({ Bucket: 'alpha', Tagging: { TagSet: [{ Key: 'k', Value: 'v<1>' }] } }));
    assert.deepEqual(fx.last('PutBucketTagging').input.Tagging, { TagSet: [{ Key: 'k', Value: 'v<1>' }] });
    const tags = await s3.send(new GetBucketTaggingCommand({ Bucket: 'alpha' }));
    assert.deepEqual(tags.TagSet, [{ Key: 'team', Value: 'a&b' }]);
    const policy = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow"}]}';
    await s3.send(new PutBucketPolicyCommand({ Bucket: 'alpha', Policy: policy }));
    assert.equal(fx.last('PutBucketPolicy').input.Policy, policy);
    const got = await s3.send(new GetBucketPolicyCommand({ Bucket: 'alpha' }));
    assert.equal(got.Policy, '{"Version":"2012-10-17","Statement":[]}');
    const acl = await s3.send(new GetBucketAclCommand({ Bucket: 'alpha' }));
    assert.equal(acl.Grants?.[0].Grantee?.Type, 'CanonicalUser', 'xsi:type comes back as an attribute');
    assert.equal(acl.Grants?.[0].Permission, 'FULL_CONTROL');
  });

  it('virtual-hosted addressing through the SDK (bucket in the Host header)', async () => {
    const vhost = client(`http://s3.localhost:${fx.port}`, { forcePathStyle: false });
    // The SDK names the bucket in the host (vhost-bucket.s3.localhost); connect to loopback, keep that Host header.
    vhost.middlewareStack.add(
      (next) => async (args) => {
        const request = args.request as { hostname: string; headers: Record<string, string> };
        request.headers.host ??= `${request.hostname}:${fx.port}`;
        request.hostname = '127.0.0.1';
        return next(args);
      },
      { step: 'finalizeRequest', name: 'toLoopback', priority: 'low' },
    );
    try {
      await vhost.send(new PutObjectCommand({ Bucket: 'vhost-bucket', Key: 'k/1', Body: 'v' }));
      const call = fx.last('PutObject');
      assert.equal(call.input.Bucket, 'vhost-bucket');
      assert.equal(call.input.Key, 'k/1');
      const list = await vhost.send(new ListObjectsV2Command({ Bucket: 'vhost-bucket', Prefix: 'k/' }));
      assert.equal(list.Name, 'vhost-bucket');
    } finally {
      vhost.destroy();
    }
  });
});
