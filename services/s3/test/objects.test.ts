import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { checksumOf } from '@stratus/shared/checksums/index';
import { T0, blobExists, harness, rejects, type Harness } from './harness.js';

const md5 = (s: string | Buffer) => createHash('md5').update(s).digest('hex');

describe('S3 objects', () => {
  let h: Harness;
  before(async () => {
    h = await harness();
    await h.bucket('objs');
  });
  after(() => h.close());

  it('puts and gets an object with metadata, content headers and S3 defaults', async () => {
    const put = await h.put('objs', 'hello.txt', 'hello world', {
      ContentType: 'text/plain',
      CacheControl: 'no-cache',
      ContentDisposition: 'attachment',
      ContentLanguage: 'en',
      ContentEncoding: 'aws-chunked',
      Expires: Date.UTC(2030, 0, 1),
      Metadata: { color: 'blue' },
    });
    assert.deepEqual(put, {
      ETag: `"${md5('hello world')}"`,
      ChecksumCRC64NVME: checksumOf('CRC64NVME', Buffer.from('hello world')),
      ChecksumType: 'FULL_OBJECT',
      ServerSideEncryption: 'AES256',
    });
    const get = await h.call('GetObject', { Bucket: 'objs', Key: 'hello.txt' });
    const { Body: _body, ...headers } = get;
    assert.deepEqual(headers, {
      AcceptRanges: 'bytes',
      LastModified: T0,
      ContentLength: 11,
      ETag: `"${md5('hello world')}"`,
      ContentType: 'text/plain',
      CacheControl: 'no-cache',
      ContentDisposition: 'attachment',
      ContentLanguage: 'en',
      Expires: Date.UTC(2030, 0, 1),
      Metadata: { color: 'blue' },
      ServerSideEncryption: 'AES256',
    });
    assert.equal((await h.read(get)).toString(), 'hello world');
    const head = await h.call('HeadObject', { Bucket: 'objs', Key: 'hello.txt', ChecksumMode: 'ENABLED' });
    assert.equal(head.Body, undefined);
    assert.equal(head.ChecksumCRC64NVME, put.ChecksumCRC64NVME);
    assert.equal(head.ChecksumType, 'FULL_OBJECT');

    const plain = await h.call('HeadObject', { Bucket: 'objs', Key: 'hello.txt' });
    assert.equal(plain.ChecksumCRC64NVME, undefined);
    await h.put('objs', 'untyped');
    const untyped = await h.call('HeadObject', { Bucket: 'objs', Key: 'untyped' });
    assert.equal(untyped.ContentType, 'binary/octet-stream');
    assert.equal(untyped.ContentLength, 0);
    assert.equal(untyped.ETag, '"d41d8cd98f00b204e9800998ecf8427e"');
  });

  it('answers NoSuchKey, and applies response header overrides', async () => {
    const e = await rejects(h.call('GetObject', { Bucket: 'objs', Key: 'missing' }), 'NoSuchKey', 404, 'The specified key does not exist.');
    assert.deepEqual(e.fields, { Key: 'missing' });
    await rejects(h.call('HeadObject', { Bucket: 'objs', Key: 'missing' }), 'NoSuchKey', 404);
    await rejects(h.call('GetObject', { Bucket: 'nobucket', Key: 'missing' }), 'NoSuchBucket', 404);
    const get = await h.call('GetObject', {
      Bucket: 'objs',
      Key: 'hello.txt',
      ResponseContentType: 'application/json',
      ResponseContentDisposition: 'inline',
      ResponseCacheControl: 'max-age=1',
      ResponseContentEncoding: 'gzip',
      ResponseContentLanguage: 'fr',
      ResponseExpires: Date.UTC(2031, 0, 1),
    });
    assert.equal(get.ContentType, 'application/json');
    assert.equal(get.ContentDisposition, 'inline');
    assert.equal(get.CacheControl, 'max-age=1');
    assert.equal(get.ContentEncoding, 'gzip');
    assert.equal(get.ContentLanguage, 'fr');
    assert.equal(get.Expires, Date.UTC(2031, 0, 1));
  });

  it('serves byte ranges with 206 and refuses unsatisfiable ones with 416', async () => {
    await h.put('objs', 'digits', '0123456789');
    const cases: Array<[string, string, string]> = [
      ['bytes=0-3', '0123', 'bytes 0-3/10'],
      ['bytes=7-', '789', 'bytes 7-9/10'],
      ['bytes=-2', '89', 'bytes 8-9/10'],
      ['bytes=5-100', '56789', 'bytes 5-9/10'],
      ['bytes=-20', '0123456789', 'bytes 0-9/10'],
    ];
    for (const [range, body, contentRange] of cases) {
      const out = await h.call('GetObject', { Bucket: 'objs', Key: 'digits', Range: range, ChecksumMode: 'ENABLED' });
      assert.equal(out.$status, 206, range);
      assert.equal(out.ContentRange, contentRange);
      assert.equal(out.ContentLength, body.length);
      assert.equal(out.ChecksumCRC64NVME, undefined, 'no whole-object checksum on a range');
      assert.equal((await h.read(out)).toString(), body);
    }
    const e = await rejects(h.call('GetObject', { Bucket: 'objs', Key: 'digits', Range: 'bytes=10-20' }), 'InvalidRange', 416, 'The requested range is not satisfiable');
    assert.deepEqual(e.fields, { ActualObjectSize: '10', RangeRequested: 'bytes=10-20' });
    // A range S3 cannot parse is ignored: the whole object, 200.
    const whole = await h.call('GetObject', { Bucket: 'objs', Key: 'digits', Range: 'bytes=5-2' });
    assert.equal(whole.$status, undefined);
    assert.equal((await h.read(whole)).toString(), '0123456789');
    await rejects(h.call('GetObject', { Bucket: 'objs', Key: 'untyped', Range: 'bytes=0-1' }), 'InvalidRange', 416);
    await rejects(h.call('GetObject', { Bucket: 'objs', Key: 'missing', Range: 'bytes=0-1' }), 'NoSuchKey', 404);
  });

  it('evaluates read conditions in S3\'s order', async () => {
    const etag = (await h.put('objs', 'cond', 'data')).ETag;
    h.advance(5000);
    const now = h.clock.now();
    const yesterday = now - 86_400_000;
    const get = (c: Record<string, unknown>) => h.call('GetObject', { Bucket: 'objs', Key: 'cond', ...c });
    let e = await rejects(get({ IfModifiedSince: now, IfUnmodifiedSince: yesterday, IfMatch: 'etag123', IfNoneMatch: etag }), 'PreconditionFailed', 412);
    assert.deepEqual(e.fields, { Condition: 'If-Match' });
    e = await rejects(get({ IfModifiedSince: now, IfUnmodifiedSince: yesterday, IfNoneMatch: etag }), 'PreconditionFailed', 412);
    assert.deepEqual(e.fields, { Condition: 'If-Unmodified-Since' });
    e = await rejects(get({ IfModifiedSince: now, IfNoneMatch: etag }), 'NotModified', 304);
    assert.equal(e.headers?.ETag, etag);
    await rejects(get({ IfModifiedSince: now }), 'NotModified', 304);
    await rejects(get({ IfNoneMatch: etag.replaceAll('"', '') }), 'NotModified', 304);
    await rejects(h.call('HeadObject', { Bucket: 'objs', Key: 'cond', IfNoneMatch: '*' }), 'NotModified', 304);
    // If-Modified-Since in the future is ignored; If-Match that holds wins over If-Unmodified-Since.
    await get({ IfModifiedSince: now + 86_400_000 });
    await get({ IfMatch: etag, IfUnmodifiedSince: yesterday });
    await get({ IfMatch: `"x", ${etag}` });
    await get({ IfNoneMatch: '"other"', IfModifiedSince: now });
  });

  it('makes writes conditional on If-None-Match: * and If-Match', async () => {
    const first = await h.put('objs', 'once', 'a', { IfNoneMatch: '*' });
    let e = await rejects(h.put('objs', 'once', 'b', { IfNoneMatch: '*' }), 'PreconditionFailed', 412);
    assert.deepEqual(e.fields, { Condition: 'If-None-Match' });
    e = await rejects(h.put('objs', 'once', 'b', { IfMatch: '"abc"' }), 'PreconditionFailed', 412);
    assert.deepEqual(e.fields, { Condition: 'If-Match' });
    await h.put('objs', 'once', 'b', { IfMatch: first.ETag });
    assert.equal(await h.text('objs', 'once'), 'b');
    await rejects(h.put('objs', 'never', 'b', { IfMatch: first.ETag }), 'NoSuchKey', 404);
    e = await rejects(h.put('objs', 'never', 'b', { IfMatch: '*' }), 'NotImplemented', 501);
    assert.deepEqual(e.fields, { Header: 'If-Match', additionalMessage: "We don't accept the provided value of If-Match header for this API" });
    e = await rejects(h.put('objs', 'never', 'b', { IfNoneMatch: first.ETag }), 'NotImplemented', 501);
    assert.equal(e.fields?.Header, 'If-None-Match');
    e = await rejects(h.put('objs', 'never', 'b', { IfNoneMatch: '*', IfMatch: 'x' }), 'NotImplemented', 501);
    assert.deepEqual(e.fields, { Header: 'If-Match,If-None-Match', additionalMessage: 'Multiple conditional request headers present in the request' });
  });

  it('checks Content-MD5 and declared checksums against the body', async () => {
    await rejects(h.put('objs', 'md5', 'body', { ContentMD5: '__invalid__' }), 'InvalidDigest', 400, 'The Content-MD5 you specified was invalid.');
    const wrong = Buffer.from(md5('other'), 'hex').toString('base64');
    const e = await rejects(h.put('objs', 'md5', 'body', { ContentMD5: wrong }), 'BadDigest', 400, 'The Content-MD5 you specified did not match what we received.');
    assert.deepEqual(e.fields, { ExpectedDigest: md5('other'), CalculatedDigest: Buffer.from(md5('body'), 'hex').toString('base64') });
    await h.put('objs', 'md5', 'body', { ContentMD5: Buffer.from(md5('body'), 'hex').toString('base64') });

    for (const algorithm of ['CRC32', 'CRC32C', 'CRC64NVME', 'SHA1', 'SHA256'] as const) {
      const member = `Checksum${algorithm}`;
      const good = checksumOf(algorithm, Buffer.from('checked'));
      const put = await h.call('PutObject', { Bucket: 'objs', Key: `sum-${algorithm}`, Body: await h.body('checked', [algorithm]), [member]: good });
      assert.equal(put[member], good);
      assert.equal(put.ChecksumType, 'FULL_OBJECT');
      const bad = checksumOf(algorithm, Buffer.from('other'));
      await rejects(
        h.call('PutObject', { Bucket: 'objs', Key: `sum-${algorithm}`, Body: await h.body('checked', [algorithm]), [member]: bad }),
        'BadDigest',
        400,
        `The ${algorithm} you specified did not match the calculated checksum.`,
      );
      await rejects(
        h.call('PutObject', { Bucket: 'objs', Key: `sum-${algorithm}`, Body: await h.body('checked'), [member]: 'wrong' }),
        'InvalidRequest',
        400,
        `Value for x-amz-checksum-${algorithm.toLowerCase()} header is invalid.`,
      );
      // Computed here when the gateway did not (an algorithm asked for without a value).
      const asked = await h.call('PutObject', { Bucket: 'objs', Key: `asked-${algorithm}`, Body: await h.body('checked'), ChecksumAlgorithm: algorithm });
      assert.equal(asked[member], good);
      const attrs = await h.call('GetObjectAttributes', { Bucket: 'objs', Key: `asked-${algorithm}`, ObjectAttributes: ['Checksum'] });
      assert.deepEqual(attrs.Checksum, { [member]: good, ChecksumType: 'FULL_OBJECT' });
    }
    await rejects(
      h.call('PutObject', {
        Bucket: 'objs',
        Key: 'two',
        Body: await h.body('x'),
        ChecksumCRC32: checksumOf('CRC32', Buffer.from('x')),
        ChecksumSHA1: checksumOf('SHA1', Buffer.from('x')),
      }),
      'InvalidRequest',
      400,
      'Expecting a single x-amz-checksum- header. Multiple checksum Types are not allowed.',
    );
  });

  it('stores keys exactly, whatever they contain', async () => {
    const keys = ['a/../b', 'a//b', '100%', 'a+b c', 'ünïcødé/😀', '/leading', 'trailing/', '.', '..', 'k'.repeat(1024)];
    for (const key of keys) await h.put('objs', key, key);
    for (const key of keys) assert.equal(await h.text('objs', key), key);
    const listed = await h.call('ListObjectsV2', { Bucket: 'objs' });
    for (const key of keys) assert.ok(listed.Contents.some((c: { Key: string }) => c.Key === key), key);
    const e = await rejects(h.put('objs', 'k'.repeat(1025), 'x'), 'KeyTooLongError', 400, 'Your key is too long');
    assert.deepEqual(e.fields, { MaxSizeAllowed: '1024', Size: '1025' });
    await rejects(h.put('objs', '€'.repeat(342), 'x'), 'KeyTooLongError', 400);
  });

  it('validates storage classes and tagging headers', async () => {
    const e = await rejects(h.put('objs', 'sc', 'x', { StorageClass: 'OUTPOSTS' }), 'InvalidStorageClass', 400, 'The storage class you specified is not valid');
    assert.deepEqual(e.fields, { StorageClassRequested: 'OUTPOSTS' });
    await h.put('objs', 'sc', 'x', { StorageClass: 'STANDARD_IA', Tagging: 'a=1&b=two%20words' });
    const head = await h.call('HeadObject', { Bucket: 'objs', Key: 'sc' });
    assert.equal(head.StorageClass, 'STANDARD_IA');
    assert.equal(head.TagCount, 2);
    assert.deepEqual((await h.call('GetObjectTagging', { Bucket: 'objs', Key: 'sc' })).TagSet, [
      { Key: 'a', Value: '1' },
      { Key: 'b', Value: 'two words' },
    ]);
    for (const tagging of ['key1=val1&key1=val2', 'key1=val1,key2=val2']) {
      const t = await rejects(h.put('objs', 'tags', 'x', { Tagging: tagging }), 'InvalidArgument', 400);
      assert.deepEqual(t.fields, { ArgumentName: 'x-amz-tagging', ArgumentValue: tagging });
    }
    await h.put('objs', 'glacier', 'x', { StorageClass: 'GLACIER' });
    await rejects(h.call('GetObject', { Bucket: 'objs', Key: 'glacier' }), 'InvalidObjectState', 403);
    assert.equal((await h.call('HeadObject', { Bucket: 'objs', Key: 'glacier' })).StorageClass, 'GLACIER');
  });

  it('deletes objects (204 whether or not there was one) and their blobs', async () => {
    const body = await h.body(Buffer.alloc(64 * 1024, 1));
    await h.call('PutObject', { Bucket: 'objs', Key: 'big', Body: body });
    assert.ok(await blobExists(h, body.id));
    // An overwrite releases the previous body.
    await h.put('objs', 'big', Buffer.alloc(64 * 1024, 2));
    await h.service.idle();
    assert.equal(await blobExists(h, body.id), false);
    assert.deepEqual(await h.call('DeleteObject', { Bucket: 'objs', Key: 'big' }), { $status: 204 });
    assert.deepEqual(await h.call('DeleteObject', { Bucket: 'objs', Key: 'big' }), { $status: 204 });
    await rejects(h.call('GetObject', { Bucket: 'objs', Key: 'big' }), 'NoSuchKey');
    // A failed conditional write leaves no blob behind.
    const refused = await h.body(Buffer.alloc(64 * 1024, 3));
    await rejects(h.call('PutObject', { Bucket: 'objs', Key: 'once', Body: refused, IfNoneMatch: '*' }), 'PreconditionFailed');
    await h.service.idle();
    assert.equal(await blobExists(h, refused.id), false);
    // So does any failed put, the bucket missing included.
    const orphan = await h.body(Buffer.alloc(64 * 1024, 4));
    await rejects(h.call('PutObject', { Bucket: 'no-such-bucket', Key: 'k', Body: orphan }), 'NoSuchBucket', 404);
    await h.service.idle();
    assert.equal(await blobExists(h, orphan.id), false);
    await rejects(h.call('DeleteObject', { Bucket: 'objs', Key: 'once', IfMatch: '"nope"' }), 'PreconditionFailed', 412);
    await rejects(h.call('DeleteObject', { Bucket: 'objs', Key: 'once', IfMatchSize: 10 }), 'NotImplemented', 501);
  });

  it('deletes many objects, quietly or not, with per-key errors', async () => {
    await h.put('objs', 'm1', '1');
    await h.put('objs', 'm2', '2');
    const out = await h.call('DeleteObjects', {
      Bucket: 'objs',
      Delete: { Objects: [{ Key: 'm1' }, { Key: 'm2' }, { Key: 'not-there' }, { Key: 'm1', VersionId: 'bogus' }] },
    });
    assert.deepEqual(out.Deleted, [{ Key: 'm1' }, { Key: 'm2' }, { Key: 'not-there' }]);
    assert.deepEqual(out.Errors, [{ Key: 'm1', VersionId: 'bogus', Code: 'NoSuchVersion', Message: 'The specified version does not exist.' }]);
    await h.put('objs', 'm3', '3');
    assert.deepEqual(await h.call('DeleteObjects', { Bucket: 'objs', Delete: { Objects: [{ Key: 'm3' }], Quiet: true } }), {});
    await rejects(h.call('DeleteObjects', { Bucket: 'objs', Delete: { Objects: [] } }), 'MalformedXML', 400);
  });

  it('reports object attributes', async () => {
    await h.put('objs', 'attrs', '69\n420\n', { ChecksumAlgorithm: 'CRC32' });
    const out = await h.call('GetObjectAttributes', { Bucket: 'objs', Key: 'attrs', ObjectAttributes: ['StorageClass', 'ETag', 'ObjectSize', 'ObjectParts', 'Checksum'] });
    assert.deepEqual(out, {
      LastModified: T0 + 5000,
      ETag: md5('69\n420\n'),
      Checksum: { ChecksumCRC32: checksumOf('CRC32', Buffer.from('69\n420\n')), ChecksumType: 'FULL_OBJECT' },
      StorageClass: 'STANDARD',
      ObjectSize: 7,
    });
    // The header may come as one comma-separated value.
    const spaced = await h.call('GetObjectAttributes', { Bucket: 'objs', Key: 'attrs', ObjectAttributes: ['ETag, ObjectSize'] });
    assert.deepEqual(Object.keys(spaced).sort(), ['ETag', 'LastModified', 'ObjectSize']);
    await rejects(h.call('GetObjectAttributes', { Bucket: 'objs', Key: 'nope', ObjectAttributes: ['ETag'] }), 'NoSuchKey', 404);
  });

  it('reads a one-part object as part 1, and refuses other part numbers', async () => {
    await h.put('objs', 'single', 'test-123', { ChecksumAlgorithm: 'CRC32' });
    const out = await h.call('GetObject', { Bucket: 'objs', Key: 'single', PartNumber: 1, ChecksumMode: 'ENABLED' });
    assert.equal(out.$status, 206);
    assert.equal(out.ContentRange, 'bytes 0-7/8');
    assert.equal(out.ChecksumCRC32, checksumOf('CRC32', Buffer.from('test-123')));
    assert.equal(out.PartsCount, undefined);
    const e = await rejects(h.call('GetObject', { Bucket: 'objs', Key: 'single', PartNumber: 2 }), 'InvalidPartNumber', 416);
    assert.deepEqual(e.fields, { ActualPartCount: '1', PartNumberRequested: '2' });
    await rejects(h.call('GetObject', { Bucket: 'objs', Key: 'single', PartNumber: 1, Range: 'bytes=0-1' }), 'InvalidRequest', 400, 'Cannot specify both Range header and partNumber query parameter');
  });

  it('stores object tags and ACLs', async () => {
    await h.put('objs', 'tagged', 'x');
    assert.deepEqual(await h.call('GetObjectTagging', { Bucket: 'objs', Key: 'tagged' }), { TagSet: [] });
    await h.call('PutObjectTagging', { Bucket: 'objs', Key: 'tagged', Tagging: { TagSet: [{ Key: 'k', Value: 'v' }] } });
    assert.deepEqual(await h.call('GetObjectTagging', { Bucket: 'objs', Key: 'tagged' }), { TagSet: [{ Key: 'k', Value: 'v' }] });
    assert.deepEqual(await h.call('DeleteObjectTagging', { Bucket: 'objs', Key: 'tagged' }), { $status: 204 });
    assert.deepEqual((await h.call('GetObjectTagging', { Bucket: 'objs', Key: 'tagged' })).TagSet, []);
    const e = await rejects(h.call('GetObjectTagging', { Bucket: 'objs', Key: 'fake-key' }), 'NoSuchKey', 404);
    assert.deepEqual(e.fields, { Key: 'objs/fake-key' });
    await rejects(h.call('PutObjectTagging', { Bucket: 'objs', Key: 'fake-key', Tagging: { TagSet: [] } }), 'NoSuchKey', 404);
    await rejects(
      h.call('PutObjectTagging', { Bucket: 'objs', Key: 'tagged', Tagging: { TagSet: [{ Key: 'aws:x', Value: 'v' }] } }),
      'InvalidTag',
      400,
      'Your TagKey cannot be prefixed with aws:',
    );
    const tooMany = Array.from({ length: 11 }, (_, i) => ({ Key: `k${i}`, Value: 'v' }));
    await rejects(h.call('PutObjectTagging', { Bucket: 'objs', Key: 'tagged', Tagging: { TagSet: tooMany } }), 'InvalidTag', 400);
    const acl = await h.call('GetObjectAcl', { Bucket: 'objs', Key: 'tagged' });
    assert.equal(acl.Grants[0].Permission, 'FULL_CONTROL');
  });
});

describe('S3 CopyObject', () => {
  let h: Harness;
  before(async () => {
    h = await harness();
    await h.bucket('src');
    await h.bucket('dst');
  });
  after(() => h.close());

  it('copies body, metadata and tags by default, and replaces them when asked', async () => {
    const put = await h.put('src', 'a', 'payload', { ContentType: 'text/plain', Metadata: { m: '1' }, Tagging: 't=1', ChecksumAlgorithm: 'SHA1' });
    h.advance(1000);
    const copy = await h.call('CopyObject', { Bucket: 'dst', Key: 'b', CopySource: 'src/a' });
    assert.deepEqual(copy, {
      CopyObjectResult: { ETag: put.ETag, LastModified: T0 + 1000, ChecksumSHA1: put.ChecksumSHA1, ChecksumType: 'FULL_OBJECT' },
      ServerSideEncryption: 'AES256',
    });
    const head = await h.call('HeadObject', { Bucket: 'dst', Key: 'b' });
    assert.equal(head.ContentType, 'text/plain');
    assert.deepEqual(head.Metadata, { m: '1' });
    assert.equal(head.TagCount, 1);
    assert.equal(await h.text('dst', 'b'), 'payload');

    await h.call('CopyObject', {
      Bucket: 'dst',
      Key: 'c',
      CopySource: '/src/a',
      MetadataDirective: 'REPLACE',
      Metadata: { n: '2' },
      TaggingDirective: 'REPLACE',
      Tagging: 'x=y',
    });
    const replaced = await h.call('HeadObject', { Bucket: 'dst', Key: 'c' });
    assert.equal(replaced.ContentType, 'binary/octet-stream');
    assert.deepEqual(replaced.Metadata, { n: '2' });
    assert.deepEqual((await h.call('GetObjectTagging', { Bucket: 'dst', Key: 'c' })).TagSet, [{ Key: 'x', Value: 'y' }]);
    await h.call('CopyObject', { Bucket: 'dst', Key: 'd', CopySource: 'src/a', TaggingDirective: 'REPLACE' });
    assert.equal((await h.call('HeadObject', { Bucket: 'dst', Key: 'd' })).TagCount, undefined);
  });

  it('shares the body with its source, which survives the source being deleted', async () => {
    const body = await h.body(Buffer.alloc(40 * 1024, 7));
    await h.call('PutObject', { Bucket: 'src', Key: 'shared', Body: body });
    await h.call('CopyObject', { Bucket: 'dst', Key: 'shared', CopySource: 'src/shared' });
    await h.call('DeleteObject', { Bucket: 'src', Key: 'shared' });
    await h.service.idle();
    assert.ok(await blobExists(h, body.id));
    assert.equal((await h.read(await h.call('GetObject', { Bucket: 'dst', Key: 'shared' }))).length, 40 * 1024);
    await h.call('DeleteObject', { Bucket: 'dst', Key: 'shared' });
    await h.service.idle();
    assert.equal(await blobExists(h, body.id), false);
  });

  it('refuses a copy onto itself that changes nothing', async () => {
    await h.put('src', 'self', 'x', { Metadata: { a: '1' } });
    await rejects(
      h.call('CopyObject', { Bucket: 'src', Key: 'self', CopySource: 'src/self' }),
      'InvalidRequest',
      400,
      "This copy request is illegal because it is trying to copy an object to itself without changing the object's metadata, storage class, website redirect location or encryption attributes.",
    );
    await h.call('CopyObject', { Bucket: 'src', Key: 'self', CopySource: 'src/self', MetadataDirective: 'REPLACE', Metadata: { b: '2' } });
    assert.deepEqual((await h.call('HeadObject', { Bucket: 'src', Key: 'self' })).Metadata, { b: '2' });
    assert.equal(await h.text('src', 'self'), 'x');
    await h.call('CopyObject', { Bucket: 'src', Key: 'self', CopySource: 'src/self', StorageClass: 'STANDARD' });
    await h.call('CopyObject', { Bucket: 'src', Key: 'self', CopySource: 'src/self', WebsiteRedirectLocation: '/x' });
    assert.equal((await h.call('HeadObject', { Bucket: 'src', Key: 'self' })).WebsiteRedirectLocation, '/x');
  });

  it('checks the copy source and its conditions', async () => {
    await rejects(h.call('CopyObject', { Bucket: 'dst', Key: 'x', CopySource: 'no-slash' }), 'InvalidArgument', 400, 'Invalid copy source object key');
    await rejects(h.call('CopyObject', { Bucket: 'dst', Key: 'x', CopySource: 'nobucket/a' }), 'NoSuchBucket', 404);
    const e = await rejects(h.call('CopyObject', { Bucket: 'dst', Key: 'x', CopySource: 'src/random-src-key' }), 'NoSuchKey', 404);
    assert.deepEqual(e.fields, { Key: 'random-src-key' });
    await h.put('src', 'spaced key+plus', 'x');
    await h.call('CopyObject', { Bucket: 'dst', Key: 'spaced', CopySource: 'src/spaced%20key%2Bplus' });
    assert.equal(await h.text('dst', 'spaced'), 'x');

    const etag = (await h.put('src', 'cond', 'c')).ETag;
    h.advance(5000);
    const now = h.clock.now();
    const copy = (c: Record<string, unknown>) => h.call('CopyObject', { Bucket: 'dst', Key: 'cond', CopySource: 'src/cond', ...c });
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ CopySourceIfMatch: '"etag123"' }, 'x-amz-copy-source-If-Match'],
      [{ CopySourceIfUnmodifiedSince: now - 86_400_000 }, 'x-amz-copy-source-If-Unmodified-Since'],
      [{ CopySourceIfNoneMatch: etag }, 'x-amz-copy-source-If-None-Match'],
      [{ CopySourceIfModifiedSince: now }, 'x-amz-copy-source-If-Modified-Since'],
    ];
    for (const [condition, name] of cases) {
      const failed = await rejects(copy(condition), 'PreconditionFailed', 412);
      assert.deepEqual(failed.fields, { Condition: name });
    }
    await copy({ CopySourceIfMatch: etag, CopySourceIfUnmodifiedSince: now - 86_400_000 });
    await copy({ CopySourceIfModifiedSince: now + 86_400_000 });
    // Conditional writes apply to the destination.
    await rejects(copy({ IfNoneMatch: '*' }), 'PreconditionFailed', 412);
  });

  it('copies a version, refuses a delete marker, and reports the source version', async () => {
    await h.call('PutBucketVersioning', { Bucket: 'src', VersioningConfiguration: { Status: 'Enabled' } });
    const v1 = (await h.put('src', 'ver', 'one')).VersionId;
    await h.put('src', 'ver', 'two');
    const copy = await h.call('CopyObject', { Bucket: 'dst', Key: 'ver', CopySource: `src/ver?versionId=${v1}` });
    assert.equal(copy.CopySourceVersionId, v1);
    assert.equal(await h.text('dst', 'ver'), 'one');
    const marker = (await h.call('DeleteObject', { Bucket: 'src', Key: 'ver' })).VersionId;
    await rejects(h.call('CopyObject', { Bucket: 'dst', Key: 'ver', CopySource: 'src/ver' }), 'NoSuchKey', 404);
    await rejects(
      h.call('CopyObject', { Bucket: 'dst', Key: 'ver', CopySource: `src/ver?versionId=${marker}` }),
      'InvalidRequest',
      400,
      'The source of a copy request may not specifically refer to a delete marker by version id.',
    );
  });
});
