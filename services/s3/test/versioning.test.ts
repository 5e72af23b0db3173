import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { harness, rejects, type Harness } from './harness.js';

describe('S3 versioning', () => {
  let h: Harness;
  before(async () => {
    h = await harness();
    await h.bucket('ver');
    await h.call('PutBucketVersioning', { Bucket: 'ver', VersioningConfiguration: { Status: 'Enabled' } });
  });
  after(() => h.close());

  it('keeps every version, reads them by id, and hides the key behind a delete marker', async () => {
    const v1 = (await h.put('ver', 'doc', 'one')).VersionId;
    const v2 = (await h.put('ver', 'doc', 'two')).VersionId;
    assert.match(v1, /^[A-Za-z0-9_-]{32}$/);
    assert.notEqual(v1, v2);
    assert.equal(await h.text('ver', 'doc'), 'two');
    assert.equal(await h.text('ver', 'doc', { VersionId: v1 }), 'one');
    assert.equal((await h.call('HeadObject', { Bucket: 'ver', Key: 'doc' })).VersionId, v2);

    const del = await h.call('DeleteObject', { Bucket: 'ver', Key: 'doc' });
    assert.equal(del.DeleteMarker, true);
    assert.equal(del.$status, 204);
    const marker = del.VersionId;
    const e = await rejects(h.call('GetObject', { Bucket: 'ver', Key: 'doc' }), 'NoSuchKey', 404);
    assert.deepEqual(e.headers, { 'x-amz-delete-marker': 'true', 'x-amz-version-id': marker });
    const m = await rejects(h.call('GetObject', { Bucket: 'ver', Key: 'doc', VersionId: marker }), 'MethodNotAllowed', 405);
    assert.deepEqual(m.fields, { Method: 'GET', ResourceType: 'DeleteMarker' });
    assert.equal(m.headers?.['x-amz-delete-marker'], 'true');
    assert.equal(await h.text('ver', 'doc', { VersionId: v1 }), 'one');

    // Deleting the marker by id brings the object back.
    assert.deepEqual(await h.call('DeleteObject', { Bucket: 'ver', Key: 'doc', VersionId: marker }), { $status: 204, VersionId: marker, DeleteMarker: true });
    assert.equal(await h.text('ver', 'doc'), 'two');
    assert.deepEqual(await h.call('DeleteObject', { Bucket: 'ver', Key: 'doc', VersionId: v2 }), { $status: 204, VersionId: v2 });
    assert.equal(await h.text('ver', 'doc'), 'one');
    await rejects(h.call('GetObject', { Bucket: 'ver', Key: 'doc', VersionId: v2 }), 'NoSuchVersion', 404, 'The specified version does not exist.');
    const bad = await rejects(h.call('DeleteObject', { Bucket: 'ver', Key: 'doc', VersionId: `${v1.slice(0, -4)}ABCD` }), 'InvalidArgument', 400, 'Invalid version id specified');
    assert.equal(bad.fields?.ArgumentName, 'versionId');
  });

  it('lists versions and delete markers newest first, with markers', async () => {
    await h.bucket('lvb');
    await h.call('PutBucketVersioning', { Bucket: 'lvb', VersioningConfiguration: { Status: 'Enabled' } });
    const a1 = (await h.put('lvb', 'a', '1')).VersionId;
    const a2 = (await h.put('lvb', 'a', '22')).VersionId;
    const am = (await h.call('DeleteObject', { Bucket: 'lvb', Key: 'a' })).VersionId;
    const b1 = (await h.put('lvb', 'b', '3')).VersionId;
    const out = await h.call('ListObjectVersions', { Bucket: 'lvb' });
    assert.deepEqual(
      out.Versions.map((v: { Key: string; VersionId: string; IsLatest: boolean }) => [v.Key, v.VersionId, v.IsLatest]),
      [
        ['a', a2, false],
        ['a', a1, false],
        ['b', b1, true],
      ],
    );
    assert.deepEqual(
      out.DeleteMarkers.map((v: { Key: string; VersionId: string; IsLatest: boolean }) => [v.Key, v.VersionId, v.IsLatest]),
      [['a', am, true]],
    );
    assert.equal(out.KeyMarker, '');
    assert.equal(out.VersionIdMarker, '');
    assert.equal(out.Versions[0].Size, 2);
    // Not in V2 listings: a key whose latest version is a delete marker.
    assert.deepEqual((await h.call('ListObjectsV2', { Bucket: 'lvb' })).Contents.map((c: { Key: string }) => c.Key), ['b']);

    const page1 = await h.call('ListObjectVersions', { Bucket: 'lvb', MaxKeys: 2 });
    assert.equal(page1.IsTruncated, true);
    assert.equal(page1.NextKeyMarker, 'a');
    assert.equal(page1.NextVersionIdMarker, a2);
    const page2 = await h.call('ListObjectVersions', { Bucket: 'lvb', MaxKeys: 2, KeyMarker: page1.NextKeyMarker, VersionIdMarker: page1.NextVersionIdMarker });
    assert.deepEqual(page2.Versions.map((v: { VersionId: string; IsLatest: boolean }) => [v.VersionId, v.IsLatest]), [
      [a1, false],
      [b1, true],
    ]);
    assert.equal(page2.IsTruncated, false);
    const afterA = await h.call('ListObjectVersions', { Bucket: 'lvb', KeyMarker: 'a' });
    assert.deepEqual(afterA.Versions.map((v: { Key: string }) => v.Key), ['b']);
    const e = await rejects(h.call('ListObjectVersions', { Bucket: 'lvb', VersionIdMarker: a1 }), 'InvalidArgument', 400, 'A version-id marker cannot be specified without a key marker.');
    assert.deepEqual(e.fields, { ArgumentName: 'version-id-marker', ArgumentValue: a1 });
  });

  it('writes the null version while suspended, replacing the earlier null version', async () => {
    await h.bucket('susp');
    await h.put('susp', 'k', 'before versioning');
    await h.call('PutBucketVersioning', { Bucket: 'susp', VersioningConfiguration: { Status: 'Enabled' } });
    const v1 = (await h.put('susp', 'k', 'enabled')).VersionId;
    await h.call('PutBucketVersioning', { Bucket: 'susp', VersioningConfiguration: { Status: 'Suspended' } });
    const put = await h.put('susp', 'k', 'suspended');
    assert.equal(put.VersionId, undefined);
    const versions = (await h.call('ListObjectVersions', { Bucket: 'susp' })).Versions.map((v: { VersionId: string }) => v.VersionId);
    assert.deepEqual(versions, ['null', v1]);
    assert.equal(await h.text('susp', 'k', { VersionId: 'null' }), 'suspended');
    assert.equal((await h.call('HeadObject', { Bucket: 'susp', Key: 'k' })).VersionId, 'null');
    const del = await h.call('DeleteObject', { Bucket: 'susp', Key: 'k' });
    assert.deepEqual(del, { $status: 204, DeleteMarker: true, VersionId: 'null' });
    const after = await h.call('ListObjectVersions', { Bucket: 'susp' });
    assert.deepEqual(after.Versions.map((v: { VersionId: string }) => v.VersionId), [v1]);
    assert.deepEqual(after.DeleteMarkers.map((v: { VersionId: string }) => v.VersionId), ['null']);
  });

  it('answers InvalidArgument for version ids in an unversioned bucket, except null', async () => {
    await h.bucket('plain');
    await h.put('plain', 'k', 'v');
    await rejects(h.call('GetObject', { Bucket: 'plain', Key: 'k', VersionId: 'HPniJFCxqTsMuIH9KX8K8wEjNUgmABCD' }), 'InvalidArgument', 400, 'Invalid version id specified');
    assert.equal(await h.text('plain', 'k', { VersionId: 'null' }), 'v');
    const head = await h.call('HeadObject', { Bucket: 'plain', Key: 'k' });
    assert.equal(head.VersionId, undefined);
  });

  it('deletes many versions with DeleteObjects', async () => {
    await h.bucket('dvb');
    await h.call('PutBucketVersioning', { Bucket: 'dvb', VersioningConfiguration: { Status: 'Enabled' } });
    const v1 = (await h.put('dvb', 'k', 'v')).VersionId;
    const out = await h.call('DeleteObjects', { Bucket: 'dvb', Delete: { Objects: [{ Key: 'k' }, { Key: 'wrongkey' }] } });
    assert.equal(out.Deleted.length, 2);
    assert.equal(out.Deleted[0].DeleteMarker, true);
    assert.ok(out.Deleted[0].DeleteMarkerVersionId);
    const markerId = out.Deleted[0].DeleteMarkerVersionId;
    const again = await h.call('DeleteObjects', { Bucket: 'dvb', Delete: { Objects: [{ Key: 'k', VersionId: markerId }, { Key: 'k', VersionId: v1 }] } });
    assert.deepEqual(again.Deleted, [
      { Key: 'k', VersionId: markerId, DeleteMarker: true, DeleteMarkerVersionId: markerId },
      { Key: 'k', VersionId: v1 },
    ]);
    await rejects(h.call('GetObject', { Bucket: 'dvb', Key: 'k', VersionId: v1 }), 'NoSuchVersion', 404);
  });

  it('tags a version, and reports the version', async () => {
    await h.bucket('tvb');
    await h.call('PutBucketVersioning', { Bucket: 'tvb', VersioningConfiguration: { Status: 'Enabled' } });
    const v1 = (await h.put('tvb', 'k', '1', { Tagging: 'old=1' })).VersionId;
    const v2 = (await h.put('tvb', 'k', '2')).VersionId;
    assert.deepEqual(await h.call('PutObjectTagging', { Bucket: 'tvb', Key: 'k', Tagging: { TagSet: [{ Key: 'new', Value: '2' }] } }), { VersionId: v2 });
    assert.deepEqual(await h.call('GetObjectTagging', { Bucket: 'tvb', Key: 'k', VersionId: v1 }), { TagSet: [{ Key: 'old', Value: '1' }], VersionId: v1 });
    assert.deepEqual(await h.call('GetObjectTagging', { Bucket: 'tvb', Key: 'k' }), { TagSet: [{ Key: 'new', Value: '2' }], VersionId: v2 });
    const attrs = await h.call('GetObjectAttributes', { Bucket: 'tvb', Key: 'k', VersionId: v1, ObjectAttributes: ['ObjectSize'] });
    assert.equal(attrs.VersionId, v1);
  });
});
