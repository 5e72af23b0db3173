import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { T0, harness, rejects, type Harness } from './harness.js';

const DAY = 86_400_000;
/** The first midnight UTC after T0 + n days (T0 is noon). */
const midnightAfter = (days: number) => Math.ceil((T0 + days * DAY) / DAY) * DAY;

describe('S3 lifecycle', () => {
  let h: Harness;
  before(async () => {
    h = await harness();
  });
  after(() => h.close());

  it('validates and stores lifecycle configurations', async () => {
    await h.bucket('lc-conf');
    await rejects(h.call('GetBucketLifecycleConfiguration', { Bucket: 'lc-conf' }), 'NoSuchLifecycleConfiguration', 404, 'The lifecycle configuration does not exist');
    const put = (rules: unknown[]) => h.call('PutBucketLifecycleConfiguration', { Bucket: 'lc-conf', LifecycleConfiguration: { Rules: rules } });
    await rejects(put([{ ID: 'r', Status: 'Enabled', Filter: {} }]), 'MalformedXML', 400);
    await rejects(put([{ ID: 'r', Status: 'enabled', Filter: {}, Expiration: { Days: 1 } }]), 'MalformedXML', 400);
    await rejects(put([{ ID: 'r', Status: 'Enabled', Expiration: { Days: 1 } }]), 'MalformedXML', 400);
    const e = await rejects(put([{ ID: 'r', Status: 'Enabled', Filter: {}, Expiration: { Date: T0 } }]), 'InvalidArgument', 400, "'Date' must be at midnight GMT");
    assert.equal(e.fields?.ArgumentName, 'Date');
    await rejects(
      put([{ ID: 'r', Status: 'Enabled', Filter: { And: { Tags: [{ Key: 'a', Value: '1' }, { Key: 'a', Value: '2' }] } }, Expiration: { Days: 1 } }]),
      'InvalidRequest',
      400,
      'Duplicate Tag Keys are not allowed.',
    );
    const rules = [{ ID: 'rule_number_one', Status: 'Enabled', Filter: { Prefix: '' }, Expiration: { Days: 7 } }];
    assert.deepEqual(await put(rules), { TransitionDefaultMinimumObjectSize: 'all_storage_classes_128K' });
    assert.deepEqual(await h.call('GetBucketLifecycleConfiguration', { Bucket: 'lc-conf' }), { Rules: rules, TransitionDefaultMinimumObjectSize: 'all_storage_classes_128K' });
    await h.call('DeleteBucketLifecycle', { Bucket: 'lc-conf' });
    await rejects(h.call('GetBucketLifecycleConfiguration', { Bucket: 'lc-conf' }), 'NoSuchLifecycleConfiguration');
  });

  it('announces expiry in x-amz-expiration and expires objects when the clock passes it', async () => {
    await h.bucket('expiring');
    await h.call('PutBucketLifecycleConfiguration', {
      Bucket: 'expiring',
      LifecycleConfiguration: {
        Rules: [
          { ID: 'logs', Status: 'Enabled', Filter: { Prefix: 'logs/' }, Expiration: { Days: 1 } },
          { ID: 'tagged', Status: 'Enabled', Filter: { Tag: { Key: 'temp', Value: 'yes' } }, Expiration: { Days: 3 } },
          { ID: 'off', Status: 'Disabled', Filter: { Prefix: '' }, Expiration: { Days: 1 } },
        ],
      },
    });
    const put = await h.put('expiring', 'logs/a', 'x');
    const expiry = `expiry-date="${new Date(midnightAfter(1)).toUTCString()}", rule-id="logs"`;
    assert.equal(put.Expiration, expiry);
    assert.equal((await h.call('HeadObject', { Bucket: 'expiring', Key: 'logs/a' })).Expiration, expiry);
    await h.put('expiring', 'data/t', 'x', { Tagging: 'temp=yes' });
    await h.put('expiring', 'keep', 'x');
    assert.equal((await h.call('HeadObject', { Bucket: 'expiring', Key: 'keep' })).Expiration, undefined);

    h.clock.freeze(midnightAfter(1) - 1);
    await h.call('HeadObject', { Bucket: 'expiring', Key: 'logs/a' });
    h.clock.freeze(midnightAfter(1));
    await rejects(h.call('HeadObject', { Bucket: 'expiring', Key: 'logs/a' }), 'NoSuchKey', 404);
    await h.call('HeadObject', { Bucket: 'expiring', Key: 'data/t' });
    h.clock.freeze(midnightAfter(3));
    const left = await h.call('ListObjectsV2', { Bucket: 'expiring' });
    assert.deepEqual(left.Contents.map((c: { Key: string }) => c.Key), ['keep']);
  });

  it('expires noncurrent versions and leaves a delete marker for current ones in versioned buckets', async () => {
    h.clock.freeze(T0);
    await h.bucket('expiring-v');
    await h.call('PutBucketVersioning', { Bucket: 'expiring-v', VersioningConfiguration: { Status: 'Enabled' } });
    const v1 = (await h.put('expiring-v', 'k', 'one')).VersionId;
    const v2 = (await h.put('expiring-v', 'k', 'two')).VersionId;
    await h.call('PutBucketLifecycleConfiguration', {
      Bucket: 'expiring-v',
      LifecycleConfiguration: { Rules: [{ ID: 'nc', Status: 'Enabled', Filter: {}, NoncurrentVersionExpiration: { NoncurrentDays: 1 } }] },
    });
    h.clock.freeze(midnightAfter(1));
    const versions = await h.call('ListObjectVersions', { Bucket: 'expiring-v' });
    assert.deepEqual(versions.Versions.map((v: { VersionId: string }) => v.VersionId), [v2]);
    await rejects(h.call('GetObject', { Bucket: 'expiring-v', Key: 'k', VersionId: v1 }), 'NoSuchVersion');

    await h.call('PutBucketLifecycleConfiguration', {
      Bucket: 'expiring-v',
      LifecycleConfiguration: { Rules: [{ ID: 'cur', Status: 'Enabled', Filter: {}, Expiration: { Days: 1 } }] },
    });
    h.clock.freeze(midnightAfter(3));
    const after = await h.call('ListObjectVersions', { Bucket: 'expiring-v' });
    assert.deepEqual(after.Versions.map((v: { VersionId: string; IsLatest: boolean }) => [v.VersionId, v.IsLatest]), [[v2, false]]);
    assert.equal(after.DeleteMarkers.length, 1);
    assert.equal(after.DeleteMarkers[0].Owner.ID.length, 64);
  });

  it('aborts incomplete multipart uploads after DaysAfterInitiation', async () => {
    h.clock.freeze(T0);
    await h.bucket('aborting');
    await h.call('PutBucketLifecycleConfiguration', {
      Bucket: 'aborting',
      LifecycleConfiguration: { Rules: [{ ID: 'abort', Status: 'Enabled', Filter: { Prefix: 'tmp/' }, AbortIncompleteMultipartUpload: { DaysAfterInitiation: 2 } }] },
    });
    const created = await h.call('CreateMultipartUpload', { Bucket: 'aborting', Key: 'tmp/x' });
    assert.equal(created.AbortDate, midnightAfter(2));
    assert.equal(created.AbortRuleId, 'abort');
    const kept = await h.call('CreateMultipartUpload', { Bucket: 'aborting', Key: 'other' });
    assert.equal(kept.AbortDate, undefined);
    await h.call('UploadPart', { Bucket: 'aborting', Key: 'tmp/x', UploadId: created.UploadId, PartNumber: 1, Body: await h.body('x') });
    h.clock.freeze(midnightAfter(2));
    const uploads = await h.call('ListMultipartUploads', { Bucket: 'aborting' });
    assert.deepEqual(uploads.Uploads.map((u: { Key: string }) => u.Key), ['other']);
    await rejects(h.call('ListParts', { Bucket: 'aborting', Key: 'tmp/x', UploadId: created.UploadId }), 'NoSuchUpload');
  });
});
