import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { MemoryStore } from '../src/index.js';
import { OTHER_ACCOUNT, T0, frozenClock, harness, rejects } from './harness.js';

describe('S3 durability and administration', () => {
  let dataDir: string;
  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'stratus-s3-data-'));
  });
  after(() => rm(dataDir, { recursive: true, force: true }));

  it('keeps buckets, versions, uploads and configuration across a restart from the data directory', async () => {
    const clock = frozenClock();
    const h1 = await harness({ dataDir, clock });
    await h1.bucket('durable');
    await h1.call('PutBucketVersioning', { Bucket: 'durable', VersioningConfiguration: { Status: 'Enabled' } });
    await h1.call('PutBucketTagging', { Bucket: 'durable', Tagging: { TagSet: [{ Key: 'k', Value: 'v' }] } });
    const v1 = (await h1.put('durable', 'obj', 'first')).VersionId;
    await h1.put('durable', 'obj', 'second', { Metadata: { m: '1' } });
    await h1.put('durable', 'gone', 'x');
    await h1.call('DeleteObject', { Bucket: 'durable', Key: 'gone' });
    const uploadId = (await h1.call('CreateMultipartUpload', { Bucket: 'durable', Key: 'mpu' })).UploadId;
    await h1.call('UploadPart', { Bucket: 'durable', Key: 'mpu', UploadId: uploadId, PartNumber: 1, Body: await h1.body('part') });
    assert.equal(await h1.text('durable', 'obj'), 'second');
    // A restart: the service closes, its state is read back from the data directory alone.
    await h1.close();

    const store = MemoryStore.open(dataDir);
    const bucket = await store.getBucket('durable');
    assert.equal(bucket?.versioning, 'Enabled');
    assert.deepEqual(bucket?.config.tagging, [{ Key: 'k', Value: 'v' }]);
    const current = await store.getObject('durable', 'obj');
    assert.deepEqual(current?.metadata, { m: '1' });
    assert.equal(current?.inline, Buffer.from('second').toString('base64'));
    assert.ok(await store.getObject('durable', 'obj', v1));
    assert.equal((await store.getObject('durable', 'gone'))?.deleteMarker, true);
    assert.equal((await store.listParts('durable', uploadId))?.length, 1);
    // Sequence numbers go on from where they were.
    const before = current!.seq;
    await store.putObject('durable', { ...current!, key: 'new' }, { versionId: 'x'.repeat(32) });
    assert.ok((await store.getObject('durable', 'new'))!.seq > before);
    await store.close();

    // Compacted at close: a second reopen sees the same.
    const again = MemoryStore.open(dataDir);
    assert.equal((await again.listVersions('durable', { prefix: '', limit: 100 })).entries.length, 5);
    await again.close();
  });

  it('dumps state and resets one account or everything', async () => {
    const h = await harness({ clock: frozenClock() });
    await h.bucket('mine');
    await h.bucket('theirs', {}, { account: OTHER_ACCOUNT });
    await h.put('mine', 'k', 'v');
    await h.put('theirs', 'k', 'v', {}, { account: OTHER_ACCOUNT });
    const dump = (await h.service.dump()) as { buckets: Array<{ name: string; account: string; objects: Array<{ key: string; size: number }> }> };
    assert.deepEqual(
      dump.buckets.map((b) => [b.name, b.account, b.objects.map((o) => o.key)]),
      [
        ['mine', '000000000000', ['k']],
        ['theirs', OTHER_ACCOUNT, ['k']],
      ],
    );
    assert.equal((dump.buckets[0] as unknown as { createdAt: string }).createdAt, new Date(T0).toISOString());
    await h.service.reset(OTHER_ACCOUNT);
    await rejects(h.call('HeadBucket', { Bucket: 'theirs' }), 'NoSuchBucket');
    assert.equal(await h.text('mine', 'k'), 'v');
    await h.service.reset();
    await rejects(h.call('HeadBucket', { Bucket: 'mine' }), 'NoSuchBucket');
    await h.close();
  });
});
