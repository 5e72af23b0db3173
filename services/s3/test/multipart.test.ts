import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { checksumOf, compositeChecksum, type ChecksumAlgorithm } from '@stratus/shared/checksums/index';
import { MiB, blobExists, harness, rejects, type Harness } from './harness.js';

const md5 = (b: Buffer) => createHash('md5').update(b).digest('hex');
const md5raw = (b: Buffer) => createHash('md5').update(b).digest();
const multipartEtag = (...parts: Buffer[]) => `${createHash('md5').update(Buffer.concat(parts.map(md5raw))).digest('hex')}-${parts.length}`;

describe('S3 multipart uploads', () => {
  let h: Harness;
  const big1 = Buffer.alloc(5 * MiB, 'a');
  const big2 = Buffer.alloc(5 * MiB + 3, 'b');
  const tail = Buffer.from('the end');

  before(async () => {
    h = await harness();
    await h.bucket('mpu');
  });
  after(() => h.close());

  async function upload(key: string, input: Record<string, unknown> = {}): Promise<string> {
    return (await h.call('CreateMultipartUpload', { Bucket: 'mpu', Key: key, ...input })).UploadId;
  }

  async function part(key: string, uploadId: string, partNumber: number, data: Buffer, input: Record<string, unknown> = {}, algorithms: ChecksumAlgorithm[] = []) {
    return h.call('UploadPart', { Bucket: 'mpu', Key: key, UploadId: uploadId, PartNumber: partNumber, Body: await h.body(data, algorithms), ...input });
  }

  it('assembles parts into an object with the multipart ETag and a CRC64NVME full-object checksum', async () => {
    const created = await h.call('CreateMultipartUpload', { Bucket: 'mpu', Key: 'obj', ContentType: 'text/plain', Metadata: { a: '1' }, Tagging: 't=1' });
    assert.deepEqual(Object.keys(created).sort(), ['Bucket', 'Key', 'ServerSideEncryption', 'UploadId']);
    const id = created.UploadId;
    const p1 = await part('obj', id, 1, big1);
    assert.deepEqual(p1, { ETag: `"${md5(big1)}"`, ServerSideEncryption: 'AES256' });
    const p2 = await part('obj', id, 2, big2);
    const p3 = await part('obj', id, 3, tail);
    const done = await h.call('CompleteMultipartUpload', {
      Bucket: 'mpu',
      Key: 'obj',
      UploadId: id,
      MultipartUpload: { Parts: [p1, p2, p3].map((p, i) => ({ PartNumber: i + 1, ETag: p.ETag })) },
    });
    const whole = Buffer.concat([big1, big2, tail]);
    assert.deepEqual(done, {
      Location: 'http://localhost:4566/mpu/obj',
      Bucket: 'mpu',
      Key: 'obj',
      ETag: `"${multipartEtag(big1, big2, tail)}"`,
      ChecksumCRC64NVME: checksumOf('CRC64NVME', whole),
      ChecksumType: 'FULL_OBJECT',
      ServerSideEncryption: 'AES256',
    });
    const get = await h.call('GetObject', { Bucket: 'mpu', Key: 'obj', ChecksumMode: 'ENABLED' });
    assert.ok((await h.read(get)).equals(whole));
    assert.equal(get.ContentType, 'text/plain');
    assert.deepEqual(get.Metadata, { a: '1' });
    assert.equal(get.TagCount, 1);
    assert.equal(get.ChecksumCRC64NVME, done.ChecksumCRC64NVME);

    const second = await h.call('GetObject', { Bucket: 'mpu', Key: 'obj', PartNumber: 2, ChecksumMode: 'ENABLED' });
    assert.equal(second.$status, 206);
    assert.equal(second.PartsCount, 3);
    assert.equal(second.ContentRange, `bytes ${5 * MiB}-${10 * MiB + 2}/${whole.length}`);
    assert.equal(second.ChecksumCRC64NVME, undefined);
    assert.ok((await h.read(second)).equals(big2));
    const e = await rejects(h.call('HeadObject', { Bucket: 'mpu', Key: 'obj', PartNumber: 10 }), 'InvalidPartNumber', 416);
    assert.deepEqual(e.fields, { ActualPartCount: '3', PartNumberRequested: '10' });

    const attrs = await h.call('GetObjectAttributes', { Bucket: 'mpu', Key: 'obj', ObjectAttributes: ['ETag', 'ObjectParts', 'ObjectSize', 'Checksum'] });
    assert.deepEqual(attrs.ObjectParts, { TotalPartsCount: 3 });
    assert.equal(attrs.ETag, multipartEtag(big1, big2, tail));
    assert.deepEqual(attrs.Checksum, { ChecksumCRC64NVME: done.ChecksumCRC64NVME, ChecksumType: 'FULL_OBJECT' });
    // The upload is gone.
    await rejects(h.call('ListParts', { Bucket: 'mpu', Key: 'obj', UploadId: id }), 'NoSuchUpload', 404);
  });

  it('checks parts at completion: order, existence, ETags, minimum size', async () => {
    const id = await upload('checks');
    const p1 = await part('checks', id, 1, Buffer.from('tiny'));
    const p2 = await part('checks', id, 2, tail);
    const complete = (parts: unknown[]) => h.call('CompleteMultipartUpload', { Bucket: 'mpu', Key: 'checks', UploadId: id, MultipartUpload: { Parts: parts } });
    await rejects(complete([]), 'InvalidRequest', 400, 'You must specify at least one part');
    const order = await rejects(complete([{ PartNumber: 2, ETag: p2.ETag }, { PartNumber: 1, ETag: p1.ETag }]), 'InvalidPartOrder', 400);
    assert.deepEqual(order.fields, { UploadId: id });
    const missing = await rejects(complete([{ PartNumber: 1, ETag: p1.ETag }, { PartNumber: 3, ETag: p1.ETag }]), 'InvalidPart', 400);
    assert.deepEqual(missing.fields, { ETag: md5(Buffer.from('tiny')), PartNumber: '3', UploadId: id });
    await rejects(complete([{ PartNumber: 1, ETag: '"0000"' }]), 'InvalidPart', 400);
    const small = await rejects(complete([{ PartNumber: 1, ETag: p1.ETag }, { PartNumber: 2, ETag: p2.ETag }]), 'EntityTooSmall', 400);
    assert.deepEqual(small.fields, { ETag: md5(Buffer.from('tiny')), MinSizeAllowed: '5242880', PartNumber: '1', ProposedSize: '4' });
    await rejects(complete([{ PartNumber: 0, ETag: p1.ETag }]), 'InvalidArgument', 400, 'Part number must be an integer between 1 and 10000, inclusive');
    const size = await rejects(
      h.call('CompleteMultipartUpload', { Bucket: 'mpu', Key: 'checks', UploadId: id, MpuObjectSize: 5, MultipartUpload: { Parts: [{ PartNumber: 1, ETag: p1.ETag }] } }),
      'InvalidRequest',
    );
    assert.equal(size.message, "The provided 'x-amz-mp-object-size' header value 5 does not match what was computed: 4");
    // A single small part is fine.
    const done = await complete([{ PartNumber: 1, ETag: p1.ETag }]);
    assert.equal(done.ETag, `"${multipartEtag(Buffer.from('tiny'))}"`);
  });

  it('replaces a re-uploaded part and releases its earlier body', async () => {
    const id = await upload('redo');
    const first = await h.body(Buffer.alloc(64 * 1024, 1));
    await h.call('UploadPart', { Bucket: 'mpu', Key: 'redo', UploadId: id, PartNumber: 1, Body: first });
    const second = await part('redo', id, 1, Buffer.alloc(64 * 1024, 2));
    await h.service.idle();
    assert.equal(await blobExists(h, first.id), false);
    const parts = await h.call('ListParts', { Bucket: 'mpu', Key: 'redo', UploadId: id });
    assert.equal(parts.Parts.length, 1);
    assert.equal(parts.Parts[0].ETag, second.ETag);
    await rejects(
      h.call('CompleteMultipartUpload', { Bucket: 'mpu', Key: 'redo', UploadId: id, MultipartUpload: { Parts: [{ PartNumber: 1, ETag: `"${first.etag}"` }] } }),
      'InvalidPart',
    );
  });

  it('aborts: the upload is gone and its part bodies deleted', async () => {
    const id = await upload('aborted');
    const body = await h.body(Buffer.alloc(64 * 1024, 9));
    await h.call('UploadPart', { Bucket: 'mpu', Key: 'aborted', UploadId: id, PartNumber: 1, Body: body });
    assert.deepEqual(await h.call('AbortMultipartUpload', { Bucket: 'mpu', Key: 'aborted', UploadId: id }), { $status: 204 });
    await h.service.idle();
    assert.equal(await blobExists(h, body.id), false);
    for (const op of ['AbortMultipartUpload', 'ListParts']) {
      const e = await rejects(h.call(op, { Bucket: 'mpu', Key: 'aborted', UploadId: id }), 'NoSuchUpload', 404);
      assert.deepEqual(e.fields, { UploadId: id });
    }
    await rejects(part('aborted', id, 1, tail), 'NoSuchUpload', 404);
    await rejects(h.call('CompleteMultipartUpload', { Bucket: 'mpu', Key: 'aborted', UploadId: id, MultipartUpload: { Parts: [{ PartNumber: 1, ETag: 'x' }] } }), 'NoSuchUpload');
    await rejects(part('aborted', 'no-such-upload', 1, tail), 'NoSuchUpload', 404);
  });

  it('lists parts with pagination', async () => {
    const id = await upload('paged');
    const empty = await h.call('ListParts', { Bucket: 'mpu', Key: 'paged', UploadId: id });
    assert.equal(empty.NextPartNumberMarker, 0);
    assert.equal(empty.Parts, undefined);
    assert.equal(empty.Initiator.DisplayName, 'webfile');
    for (let n = 1; n <= 3; n++) await part('paged', id, n, Buffer.from(`part ${n}`));
    const first = await h.call('ListParts', { Bucket: 'mpu', Key: 'paged', UploadId: id, MaxParts: 2 });
    assert.deepEqual(first.Parts.map((p: { PartNumber: number }) => p.PartNumber), [1, 2]);
    assert.equal(first.IsTruncated, true);
    assert.equal(first.NextPartNumberMarker, 2);
    assert.equal(first.PartNumberMarker, 0);
    assert.deepEqual(Object.keys(first.Parts[0]).sort(), ['ETag', 'LastModified', 'PartNumber', 'Size']);
    const rest = await h.call('ListParts', { Bucket: 'mpu', Key: 'paged', UploadId: id, MaxParts: 2, PartNumberMarker: 2 });
    assert.deepEqual(rest.Parts.map((p: { PartNumber: number }) => p.PartNumber), [3]);
    assert.equal(rest.IsTruncated, false);
    // An upload id only names an upload of its own key.
    await rejects(h.call('ListParts', { Bucket: 'mpu', Key: 'other', UploadId: id }), 'NoSuchUpload');
  });

  it('lists uploads by key and initiation, with prefix, delimiter and markers', async () => {
    await h.bucket('uploads');
    const ids: Record<string, string[]> = {};
    for (const key of ['b', 'a', 'a', 'dir/x', 'dir/y']) {
      h.advance(1000);
      (ids[key] ??= []).push((await h.call('CreateMultipartUpload', { Bucket: 'uploads', Key: key })).UploadId);
    }
    const all = await h.call('ListMultipartUploads', { Bucket: 'uploads' });
    assert.deepEqual(all.Uploads.map((u: { Key: string; UploadId: string }) => [u.Key, u.UploadId]), [
      ['a', ids.a[0]],
      ['a', ids.a[1]],
      ['b', ids.b[0]],
      ['dir/x', ids['dir/x'][0]],
      ['dir/y', ids['dir/y'][0]],
    ]);
    assert.equal(all.NextKeyMarker, 'dir/y');
    assert.equal(all.KeyMarker, '');
    const one = await h.call('ListMultipartUploads', { Bucket: 'uploads', MaxUploads: 1 });
    assert.equal(one.IsTruncated, true);
    assert.equal(one.NextUploadIdMarker, ids.a[0]);
    const next = await h.call('ListMultipartUploads', { Bucket: 'uploads', MaxUploads: 1, KeyMarker: 'a', UploadIdMarker: ids.a[0] });
    assert.deepEqual(next.Uploads.map((u: { UploadId: string }) => u.UploadId), [ids.a[1]]);
    const afterA = await h.call('ListMultipartUploads', { Bucket: 'uploads', MaxUploads: 1, KeyMarker: 'a' });
    assert.deepEqual(afterA.Uploads.map((u: { Key: string }) => u.Key), ['b']);
    const e = await rejects(h.call('ListMultipartUploads', { Bucket: 'uploads', KeyMarker: 'b', UploadIdMarker: ids.a[0] }), 'InvalidArgument', 400, 'Invalid uploadId marker');
    assert.deepEqual(e.fields, { ArgumentName: 'upload-id-marker', ArgumentValue: ids.a[0] });
    const grouped = await h.call('ListMultipartUploads', { Bucket: 'uploads', Delimiter: '/' });
    assert.deepEqual(grouped.CommonPrefixes, [{ Prefix: 'dir/' }]);
    assert.equal(grouped.Uploads.length, 3);
    const prefixed = await h.call('ListMultipartUploads', { Bucket: 'uploads', Prefix: 'dir/' });
    assert.deepEqual(prefixed.Uploads.map((u: { Key: string }) => u.Key), ['dir/x', 'dir/y']);
    assert.equal(prefixed.Prefix, 'dir/');
  });

  it('copies parts from objects, whole or by range', async () => {
    await h.put('mpu', 'source', '0123456789');
    const id = await upload('copied');
    const whole = await h.call('UploadPartCopy', { Bucket: 'mpu', Key: 'copied', UploadId: id, PartNumber: 1, CopySource: 'mpu/source' });
    assert.equal(whole.CopyPartResult.ETag, `"${md5(Buffer.from('0123456789'))}"`);
    const ranged = await h.call('UploadPartCopy', { Bucket: 'mpu', Key: 'copied', UploadId: id, PartNumber: 2, CopySource: 'mpu/source', CopySourceRange: 'bytes=2-4' });
    assert.equal(ranged.CopyPartResult.ETag, `"${md5(Buffer.from('234'))}"`);
    const bad = await rejects(
      h.call('UploadPartCopy', { Bucket: 'mpu', Key: 'copied', UploadId: id, PartNumber: 2, CopySource: 'mpu/source', CopySourceRange: '0-8' }),
      'InvalidArgument',
      400,
    );
    assert.deepEqual(bad.fields, { ArgumentName: 'x-amz-copy-source-range', ArgumentValue: '0-8' });
    const beyond = await rejects(
      h.call('UploadPartCopy', { Bucket: 'mpu', Key: 'copied', UploadId: id, PartNumber: 2, CopySource: 'mpu/source', CopySourceRange: 'bytes=0-100' }),
      'InvalidArgument',
      400,
      'Range specified is not valid for source object of size: 10',
    );
    assert.equal(beyond.fields?.ArgumentValue, 'bytes=0-100');
    const failed = await rejects(
      h.call('UploadPartCopy', { Bucket: 'mpu', Key: 'copied', UploadId: id, PartNumber: 2, CopySource: 'mpu/source', CopySourceIfMatch: '"nope"' }),
      'PreconditionFailed',
      412,
    );
    assert.deepEqual(failed.fields, { Condition: 'x-amz-copy-source-If-Match' });
    // Both parts are small: complete with the last one only... the first is too small to lead.
    await h.call('CompleteMultipartUpload', {
      Bucket: 'mpu',
      Key: 'copied',
      UploadId: id,
      MultipartUpload: { Parts: [{ PartNumber: 2, ETag: ranged.CopyPartResult.ETag }] },
    });
    assert.equal(await h.text('mpu', 'copied'), '234');
  });

  it('keeps composite checksums of uploads created with an algorithm', async () => {
    const created = await h.call('CreateMultipartUpload', { Bucket: 'mpu', Key: 'composite', ChecksumAlgorithm: 'SHA256' });
    assert.equal(created.ChecksumAlgorithm, 'SHA256');
    assert.equal(created.ChecksumType, 'COMPOSITE');
    const id = created.UploadId;
    const data = [big1, tail];
    const sums = data.map((d) => checksumOf('SHA256', d));
    const p1 = await part('composite', id, 1, big1, { ChecksumSHA256: sums[0] }, ['SHA256']);
    assert.equal(p1.ChecksumSHA256, sums[0]);
    const mismatch = await rejects(part('composite', id, 2, tail, { ChecksumCRC32: checksumOf('CRC32', tail) }, ['CRC32']), 'InvalidRequest', 400);
    assert.equal(mismatch.message, 'Checksum Type mismatch occurred, expected checksum Type: sha256, actual checksum Type: crc32');
    await rejects(part('composite', id, 2, tail, { ChecksumSHA256: sums[0] }, ['SHA256']), 'BadDigest', 400, 'The SHA256 you specified did not match the calculated checksum.');
    // Computed when the gateway did not: a part sent without a checksum.
    const p2 = await part('composite', id, 2, tail);
    assert.equal(p2.ChecksumSHA256, sums[1]);
    const listed = await h.call('ListParts', { Bucket: 'mpu', Key: 'composite', UploadId: id });
    assert.equal(listed.ChecksumAlgorithm, 'SHA256');
    assert.deepEqual(listed.Parts.map((p: { ChecksumSHA256: string }) => p.ChecksumSHA256), sums);

    const complete = (parts: unknown[], extra: Record<string, unknown> = {}) =>
      h.call('CompleteMultipartUpload', { Bucket: 'mpu', Key: 'composite', UploadId: id, MultipartUpload: { Parts: parts }, ...extra });
    const without = await rejects(complete([{ PartNumber: 1, ETag: p1.ETag }, { PartNumber: 2, ETag: p2.ETag }]), 'InvalidRequest', 400);
    assert.equal(without.message, 'The upload was created using a sha256 checksum. The complete request must include the checksum for each part. It was missing for part 1 in the request.');
    await rejects(complete([{ PartNumber: 1, ETag: p1.ETag, ChecksumSHA256: sums[1] }, { PartNumber: 2, ETag: p2.ETag, ChecksumSHA256: sums[1] }]), 'InvalidPart', 400);
    const good = [
      { PartNumber: 1, ETag: p1.ETag, ChecksumSHA256: sums[0] },
      { PartNumber: 2, ETag: p2.ETag, ChecksumSHA256: sums[1] },
    ];
    const mode = await rejects(complete(good, { ChecksumType: 'FULL_OBJECT' }), 'InvalidRequest', 400);
    assert.equal(mode.message, 'The upload was created using the COMPOSITE checksum mode. The complete request must use the same checksum mode.');
    const done = await complete(good);
    assert.equal(done.ChecksumSHA256, compositeChecksum('SHA256', sums));
    assert.match(done.ChecksumSHA256, /-2$/);
    assert.equal(done.ChecksumType, 'COMPOSITE');
    const part2 = await h.call('GetObject', { Bucket: 'mpu', Key: 'composite', PartNumber: 2, ChecksumMode: 'ENABLED' });
    assert.equal(part2.ChecksumSHA256, sums[1]);
    assert.equal(part2.ChecksumType, 'COMPOSITE');
    const attrs = await h.call('GetObjectAttributes', { Bucket: 'mpu', Key: 'composite', ObjectAttributes: ['Checksum', 'ObjectParts'] });
    assert.deepEqual(attrs.Checksum, { ChecksumSHA256: done.ChecksumSHA256.replace(/-2$/, ''), ChecksumType: 'COMPOSITE' });
    assert.deepEqual(attrs.ObjectParts, {
      TotalPartsCount: 2,
      PartNumberMarker: 0,
      MaxParts: 1000,
      IsTruncated: false,
      NextPartNumberMarker: 2,
      Parts: [
        { PartNumber: 1, Size: big1.length, ChecksumSHA256: sums[0] },
        { PartNumber: 2, Size: tail.length, ChecksumSHA256: sums[1] },
      ],
    });
    // A copy of a multipart object is one piece: the plain MD5 ETag, a full-object checksum.
    const copy = await h.call('CopyObject', { Bucket: 'mpu', Key: 'composite-copy', CopySource: 'mpu/composite' });
    assert.equal(copy.CopyObjectResult.ETag, `"${md5(Buffer.concat(data))}"`);
    assert.equal(copy.CopyObjectResult.ChecksumSHA256, checksumOf('SHA256', Buffer.concat(data)));
    assert.equal(copy.CopyObjectResult.ChecksumType, 'FULL_OBJECT');
  });

  it('combines CRCs into a full-object checksum, and checks what the completion declares', async () => {
    await rejects(h.call('CreateMultipartUpload', { Bucket: 'mpu', Key: 'full', ChecksumType: 'FULL_OBJECT' }), 'InvalidRequest', 400, 'The x-amz-checksum-type header can only be used with the x-amz-checksum-algorithm header.');
    await rejects(
      h.call('CreateMultipartUpload', { Bucket: 'mpu', Key: 'full', ChecksumAlgorithm: 'SHA1', ChecksumType: 'FULL_OBJECT' }),
      'InvalidRequest',
      400,
      'The FULL_OBJECT checksum type cannot be used with the sha1 checksum algorithm.',
    );
    await rejects(
      h.call('CreateMultipartUpload', { Bucket: 'mpu', Key: 'full', ChecksumAlgorithm: 'CRC64NVME', ChecksumType: 'COMPOSITE' }),
      'InvalidRequest',
      400,
      'The COMPOSITE checksum type cannot be used with the crc64nvme checksum algorithm.',
    );
    assert.equal((await h.call('CreateMultipartUpload', { Bucket: 'mpu', Key: 'x', ChecksumAlgorithm: 'CRC64NVME' })).ChecksumType, 'FULL_OBJECT');
    const id = await upload('full', { ChecksumAlgorithm: 'CRC32C', ChecksumType: 'FULL_OBJECT' });
    const p1 = await part('full', id, 1, big1, {}, ['CRC32C']);
    const p2 = await part('full', id, 2, tail, {}, ['CRC32C']);
    const whole = checksumOf('CRC32C', Buffer.concat([big1, tail]));
    const parts = [
      { PartNumber: 1, ETag: p1.ETag },
      { PartNumber: 2, ETag: p2.ETag },
    ];
    const complete = (extra: Record<string, unknown>) => h.call('CompleteMultipartUpload', { Bucket: 'mpu', Key: 'full', UploadId: id, MultipartUpload: { Parts: parts }, ...extra });
    await rejects(complete({ ChecksumCRC32C: whole }), 'BadDigest', 400, 'The crc32c you specified did not match the calculated checksum.');
    await rejects(complete({ ChecksumCRC32C: checksumOf('CRC32C', tail), ChecksumType: 'FULL_OBJECT' }), 'BadDigest', 400, 'The crc32c you specified did not match the calculated checksum.');
    await rejects(complete({ ChecksumType: 'COMPOSITE' }), 'InvalidRequest', 400);
    const done = await complete({ ChecksumCRC32C: whole, ChecksumType: 'FULL_OBJECT' });
    assert.equal(done.ChecksumCRC32C, whole);
    assert.equal(done.ChecksumType, 'FULL_OBJECT');

    const plain = await upload('plain');
    const pp = await part('plain', plain, 1, tail, { ChecksumCRC32C: checksumOf('CRC32C', tail) }, ['CRC32C']);
    assert.equal(pp.ChecksumCRC32C, checksumOf('CRC32C', tail));
    const noMode = await rejects(
      h.call('CompleteMultipartUpload', { Bucket: 'mpu', Key: 'plain', UploadId: plain, ChecksumType: 'FULL_OBJECT', MultipartUpload: { Parts: [{ PartNumber: 1, ETag: pp.ETag }] } }),
      'InvalidRequest',
    );
    assert.equal(noMode.message, 'The upload was created using the null checksum mode. The complete request must use the same checksum mode.');
    await rejects(
      h.call('CompleteMultipartUpload', { Bucket: 'mpu', Key: 'plain', UploadId: plain, MultipartUpload: { Parts: [{ PartNumber: 1, ETag: pp.ETag, ChecksumCRC32C: pp.ChecksumCRC32C }] } }),
      'InvalidPart',
    );
  });

  it('makes completion conditional, with a conflict when the key changed after the upload began', async () => {
    const etag1 = (await h.put('mpu', 'cond', 'test')).ETag;
    let id = await upload('cond');
    let p = await part('cond', id, 1, Buffer.from('test'));
    const etag2 = (await h.put('mpu', 'cond', 'test2')).ETag;
    const complete = (extra: Record<string, unknown>) =>
      h.call('CompleteMultipartUpload', { Bucket: 'mpu', Key: 'cond', UploadId: id, MultipartUpload: { Parts: [{ PartNumber: 1, ETag: p.ETag }] }, ...extra });
    let e = await rejects(complete({ IfMatch: etag1 }), 'PreconditionFailed', 412);
    assert.deepEqual(e.fields, { Condition: 'If-Match' });
    e = await rejects(complete({ IfMatch: etag2 }), 'ConditionalRequestConflict', 409, 'The conditional request cannot succeed due to a conflicting operation against this resource.');
    assert.deepEqual(e.fields, { Condition: 'If-Match', Key: 'cond' });
    id = await upload('cond');
    p = await part('cond', id, 1, Buffer.from('test'));
    await complete({ IfMatch: etag2 });

    // If-None-Match: an object is there; after a delete during the upload, a conflict.
    id = await upload('cond');
    p = await part('cond', id, 1, Buffer.from('test'));
    e = await rejects(complete({ IfNoneMatch: '*' }), 'PreconditionFailed', 412);
    assert.deepEqual(e.fields, { Condition: 'If-None-Match' });
    await h.call('DeleteObject', { Bucket: 'mpu', Key: 'cond' });
    await rejects(complete({ IfNoneMatch: '*' }), 'ConditionalRequestConflict', 409);
    await rejects(complete({ IfMatch: etag2 }), 'NoSuchKey', 404);
    id = await upload('cond');
    p = await part('cond', id, 1, Buffer.from('test'));
    await complete({ IfNoneMatch: '*' });
    assert.equal(await h.text('mpu', 'cond'), 'test');
  });
});
