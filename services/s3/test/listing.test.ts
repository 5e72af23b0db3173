import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { harness, rejects, type Harness } from './harness.js';

const keysOf = (out: { Contents?: Array<{ Key: string }> }) => (out.Contents ?? []).map((c) => c.Key);
const prefixesOf = (out: { CommonPrefixes?: Array<{ Prefix: string }> }) => (out.CommonPrefixes ?? []).map((c) => c.Prefix);

describe('S3 listing', () => {
  let h: Harness;
  before(async () => {
    h = await harness();
    await h.bucket('list');
    for (const key of ['a.txt', 'dir/x', 'dir/y', 'dir/sub/z', 'other/q', 'z', 'Z', 'é', '😀', '\uffff']) await h.put('list', key, key);
  });
  after(() => h.close());

  it('lists keys in UTF-8 byte order with V2 defaults', async () => {
    const out = await h.call('ListObjectsV2', { Bucket: 'list' });
    assert.deepEqual(keysOf(out), ['Z', 'a.txt', 'dir/sub/z', 'dir/x', 'dir/y', 'other/q', 'z', 'é', '\uffff', '😀']);
    assert.equal(out.KeyCount, 10);
    assert.equal(out.MaxKeys, 1000);
    assert.equal(out.IsTruncated, false);
    assert.equal(out.Name, 'list');
    assert.equal(out.Prefix, '');
    const entry = out.Contents[0];
    assert.deepEqual(Object.keys(entry).sort(), ['ChecksumAlgorithm', 'ChecksumType', 'ETag', 'Key', 'LastModified', 'Size', 'StorageClass']);
    assert.deepEqual(entry.ChecksumAlgorithm, ['CRC64NVME']);
    const owned = await h.call('ListObjectsV2', { Bucket: 'list', FetchOwner: true, MaxKeys: 1 });
    assert.equal(owned.Contents[0].Owner.ID.length, 64);
  });

  it('rolls keys up into common prefixes by delimiter', async () => {
    const out = await h.call('ListObjectsV2', { Bucket: 'list', Delimiter: '/' });
    assert.deepEqual(keysOf(out), ['Z', 'a.txt', 'z', 'é', '\uffff', '😀']);
    assert.deepEqual(prefixesOf(out), ['dir/', 'other/']);
    assert.equal(out.KeyCount, 8);
    assert.equal(out.Delimiter, '/');
    const dir = await h.call('ListObjectsV2', { Bucket: 'list', Prefix: 'dir/', Delimiter: '/' });
    assert.deepEqual(keysOf(dir), ['dir/x', 'dir/y']);
    assert.deepEqual(prefixesOf(dir), ['dir/sub/']);
    assert.deepEqual(keysOf(await h.call('ListObjectsV2', { Bucket: 'list', Prefix: 'dir/s' })), ['dir/sub/z']);
    assert.deepEqual(keysOf(await h.call('ListObjectsV2', { Bucket: 'list', Prefix: 'nothing' })), []);
  });

  it('pages with continuation tokens, counting common prefixes as entries', async () => {
    const seen: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const out = await h.call('ListObjectsV2', { Bucket: 'list', Delimiter: '/', MaxKeys: 3, ...(token ? { ContinuationToken: token } : {}) });
      seen.push(...keysOf(out), ...prefixesOf(out));
      assert.ok(out.KeyCount <= 3);
      token = out.NextContinuationToken;
      assert.equal(out.IsTruncated, token !== undefined);
      pages++;
    } while (token);
    assert.equal(pages, 3);
    assert.deepEqual(seen.sort(), ['Z', 'a.txt', 'dir/', 'other/', 'z', 'é', '\uffff', '😀'].sort());

    const startAfter = await h.call('ListObjectsV2', { Bucket: 'list', StartAfter: 'dir/x', MaxKeys: 2 });
    assert.deepEqual(keysOf(startAfter), ['dir/y', 'other/q']);
    assert.equal(startAfter.StartAfter, 'dir/x');
    const first = await h.call('ListObjectsV2', { Bucket: 'list', MaxKeys: 5 });
    // A continuation token wins over StartAfter.
    const both = await h.call('ListObjectsV2', { Bucket: 'list', StartAfter: 'z', ContinuationToken: first.NextContinuationToken });
    assert.deepEqual(keysOf(both), ['other/q', 'z', 'é', '\uffff', '😀']);
    assert.equal(both.ContinuationToken, first.NextContinuationToken);
    for (const token of ['', 'garbage!']) {
      const e = await rejects(h.call('ListObjectsV2', { Bucket: 'list', ContinuationToken: token }), 'InvalidArgument', 400, 'The continuation token provided is incorrect');
      assert.deepEqual(e.fields, { ArgumentName: 'continuation-token' });
    }
  });

  it('lists with V1 markers; NextMarker only with a delimiter', async () => {
    const first = await h.call('ListObjects', { Bucket: 'list', MaxKeys: 2 });
    assert.deepEqual(keysOf(first), ['Z', 'a.txt']);
    assert.equal(first.IsTruncated, true);
    assert.equal(first.NextMarker, undefined);
    assert.equal(first.Marker, '');
    assert.ok(first.Contents[0].Owner);
    const next = await h.call('ListObjects', { Bucket: 'list', MaxKeys: 2, Marker: 'a.txt' });
    assert.deepEqual(keysOf(next), ['dir/sub/z', 'dir/x']);
    assert.equal(next.Marker, 'a.txt');
    const delimited = await h.call('ListObjects', { Bucket: 'list', MaxKeys: 3, Delimiter: '/' });
    assert.deepEqual(keysOf(delimited), ['Z', 'a.txt']);
    assert.deepEqual(prefixesOf(delimited), ['dir/']);
    assert.equal(delimited.NextMarker, 'dir/');
    const rest = await h.call('ListObjects', { Bucket: 'list', Delimiter: '/', Marker: delimited.NextMarker });
    assert.deepEqual(prefixesOf(rest), ['other/']);
    assert.deepEqual(keysOf(rest), ['z', 'é', '\uffff', '😀']);
  });

  it('url-encodes keys and prefixes when asked, and rejects other encodings', async () => {
    await h.bucket('enc');
    await h.put('enc', 'a b+c/%d@é', 'x');
    const out = await h.call('ListObjectsV2', { Bucket: 'enc', EncodingType: 'url', Delimiter: '/', Prefix: 'a b' });
    assert.deepEqual(prefixesOf(out), ['a+b%2Bc/']);
    assert.equal(out.Prefix, 'a+b');
    assert.equal(out.EncodingType, 'url');
    const keys = await h.call('ListObjectsV2', { Bucket: 'enc', EncodingType: 'url' });
    assert.deepEqual(keysOf(keys), ['a+b%2Bc/%25d%40%C3%A9']);
    for (const op of ['ListObjects', 'ListObjectsV2', 'ListObjectVersions', 'ListMultipartUploads']) {
      const e = await rejects(h.call(op, { Bucket: 'enc', EncodingType: 'value' }), 'InvalidArgument', 400, 'Invalid Encoding Method specified in Request');
      assert.deepEqual(e.fields, { ArgumentName: 'encoding-type', ArgumentValue: 'value' });
      const empty = await rejects(h.call(op, { Bucket: 'enc', EncodingType: '' }), 'InvalidArgument', 400);
      assert.deepEqual(empty.fields, { ArgumentName: 'encoding-type' });
    }
  });

  it('lists thousands of keys in pages of 1000 without sorting per call', async () => {
    await h.bucket('many');
    const keys = Array.from({ length: 2500 }, (_, i) => `k/${String(i).padStart(5, '0')}`);
    for (const key of [...keys].reverse()) await h.put('many', key, '');
    const started = process.hrtime.bigint();
    const first = await h.call('ListObjectsV2', { Bucket: 'many' });
    const elapsedMs = Number(process.hrtime.bigint() - started) / 1e6;
    assert.equal(first.KeyCount, 1000);
    assert.equal(first.IsTruncated, true);
    const second = await h.call('ListObjectsV2', { Bucket: 'many', ContinuationToken: first.NextContinuationToken });
    const third = await h.call('ListObjectsV2', { Bucket: 'many', ContinuationToken: second.NextContinuationToken });
    assert.deepEqual([...keysOf(first), ...keysOf(second), ...keysOf(third)], keys);
    assert.equal(third.IsTruncated, false);
    // Not a benchmark: a sanity bound far above what a sorted index needs.
    assert.ok(elapsedMs < 200, `listing 1000 keys took ${elapsedMs} ms`);
    const capped = await h.call('ListObjectsV2', { Bucket: 'many', MaxKeys: 5000 });
    assert.equal(capped.MaxKeys, 1000);
    const none = await h.call('ListObjectsV2', { Bucket: 'many', MaxKeys: 0 });
    assert.equal(none.KeyCount, 0);
    assert.equal(none.IsTruncated, false);
  });

  it('answers NoSuchBucket', async () => {
    await rejects(h.call('ListObjectsV2', { Bucket: 'missing-bucket' }), 'NoSuchBucket', 404);
    await rejects(h.call('ListObjects', { Bucket: 'missing-bucket' }), 'NoSuchBucket', 404);
  });
});
