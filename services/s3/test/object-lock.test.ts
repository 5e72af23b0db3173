import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DAY_MS } from '../src/model.js';
import { T0, harness, rejects, type Harness } from './harness.js';

const FUTURE = Date.UTC(2030, 0, 1);

describe('S3 Object Lock', () => {
  let h: Harness;
  before(async () => {
    h = await harness();
    await h.bucket('locked', { ObjectLockEnabledForBucket: true });
    await h.bucket('plain');
  });
  after(() => h.close());

  it('validates the default retention of PutObjectLockConfiguration', async () => {
    const put = (rule: unknown) => h.call('PutObjectLockConfiguration', { Bucket: 'locked', ObjectLockConfiguration: { ObjectLockEnabled: 'Enabled', Rule: rule } });
    await rejects(put({ DefaultRetention: { Mode: 'GOVERNANCE', Days: 1, Years: 1 } }), 'MalformedXML', 400);
    await rejects(put({ DefaultRetention: { Mode: 'governance', Years: 1 } }), 'MalformedXML', 400);
    await rejects(put({ DefaultRetention: { Mode: 'abc', Years: 1 } }), 'MalformedXML', 400);
    await rejects(put({ DefaultRetention: { Mode: 'GOVERNANCE', Days: 0 } }), 'InvalidRetentionPeriod', 400);
    await rejects(put({ DefaultRetention: { Mode: 'GOVERNANCE', Years: -1 } }), 'InvalidRetentionPeriod', 400);
    await rejects(put({ DefaultRetention: { Mode: 'COMPLIANCE', Years: 101 } }), 'InvalidRetentionPeriod', 400);
    await put({ DefaultRetention: { Mode: 'GOVERNANCE', Days: 1 } });
    const got = await h.call('GetObjectLockConfiguration', { Bucket: 'locked' });
    assert.deepEqual(got.ObjectLockConfiguration, { ObjectLockEnabled: 'Enabled', Rule: { DefaultRetention: { Mode: 'GOVERNANCE', Days: 1 } } });
    // New versions get the default; the rule goes again for the other tests.
    const put1 = await h.put('locked', 'defaulted', 'abc');
    const head = await h.call('HeadObject', { Bucket: 'locked', Key: 'defaulted' });
    assert.equal(head.ObjectLockMode, 'GOVERNANCE');
    assert.equal(head.ObjectLockRetainUntilDate, T0 + DAY_MS);
    await h.call('PutObjectLockConfiguration', { Bucket: 'locked', ObjectLockConfiguration: { ObjectLockEnabled: 'Enabled' } });
    await h.call('DeleteObject', { Bucket: 'locked', Key: 'defaulted', VersionId: put1.VersionId, BypassGovernanceRetention: true });
  });

  it('writes the lock headers of PutObject and reports them on HEAD; refuses them without Object Lock', async () => {
    await h.put('locked', 'held', 'abc', { ObjectLockMode: 'COMPLIANCE', ObjectLockRetainUntilDate: FUTURE, ObjectLockLegalHoldStatus: 'ON' });
    const head = await h.call('HeadObject', { Bucket: 'locked', Key: 'held' });
    assert.equal(head.ObjectLockMode, 'COMPLIANCE');
    assert.equal(head.ObjectLockRetainUntilDate, FUTURE);
    assert.equal(head.ObjectLockLegalHoldStatus, 'ON');
    await rejects(h.put('plain', 'x', 'abc', { ObjectLockLegalHoldStatus: 'ON' }), 'InvalidRequest', 400, 'Bucket is missing Object Lock Configuration');
    await rejects(h.put('locked', 'x', 'abc', { ObjectLockMode: 'GOVERNANCE' }), 'InvalidArgument', 400);
    await rejects(h.put('locked', 'x', 'abc', { ObjectLockMode: 'GOVERNANCE', ObjectLockRetainUntilDate: T0 - 1000 }), 'InvalidArgument', 400, 'The retain until date must be in the future!');
    await rejects(h.put('locked', 'x', 'abc', { ObjectLockMode: 'FOREVER', ObjectLockRetainUntilDate: FUTURE }), 'InvalidArgument', 400);
  });

  it('puts and gets retention; running retention is only extended, GOVERNANCE shortened only with the bypass', async () => {
    const { VersionId } = await h.put('locked', 'retained', 'abc');
    await rejects(h.call('GetObjectRetention', { Bucket: 'locked', Key: 'retained' }), 'NoSuchObjectLockConfiguration', 404);
    const retention = (days: number, Mode = 'GOVERNANCE') => ({ Bucket: 'locked', Key: 'retained', Retention: { Mode, RetainUntilDate: FUTURE + days * DAY_MS } });
    await h.call('PutObjectRetention', retention(2));
    assert.deepEqual((await h.call('GetObjectRetention', { Bucket: 'locked', Key: 'retained' })).Retention, { Mode: 'GOVERNANCE', RetainUntilDate: FUTURE + 2 * DAY_MS });
    await h.call('PutObjectRetention', retention(3));
    await rejects(h.call('PutObjectRetention', retention(1)), 'AccessDenied', 403);
    await rejects(h.call('PutObjectRetention', retention(3, 'COMPLIANCE')), 'AccessDenied', 403);
    await h.call('PutObjectRetention', { ...retention(1), BypassGovernanceRetention: true });
    await h.call('PutObjectRetention', { ...retention(1, 'COMPLIANCE'), BypassGovernanceRetention: true, VersionId });
    await rejects(h.call('PutObjectRetention', { ...retention(1), BypassGovernanceRetention: true }), 'AccessDenied', 403);
    await h.call('PutObjectRetention', retention(5, 'COMPLIANCE'));
    await rejects(h.call('PutObjectRetention', { Bucket: 'locked', Key: 'retained', Retention: { Mode: 'governance', RetainUntilDate: FUTURE } }), 'MalformedXML', 400);
    await rejects(h.call('PutObjectRetention', { Bucket: 'plain', Key: 'x', Retention: { Mode: 'GOVERNANCE', RetainUntilDate: FUTURE } }), 'InvalidRequest', 400);
    await rejects(h.call('GetObjectRetention', { Bucket: 'plain', Key: 'x' }), 'InvalidRequest', 400);
  });

  it('keeps a version with running retention or a legal hold from being deleted', async () => {
    const { VersionId } = await h.put('locked', 'guarded', 'abc');
    await h.call('PutObjectRetention', { Bucket: 'locked', Key: 'guarded', Retention: { Mode: 'GOVERNANCE', RetainUntilDate: FUTURE } });
    await rejects(h.call('DeleteObject', { Bucket: 'locked', Key: 'guarded', VersionId }), 'AccessDenied', 403);
    // Without a version id a delete marker is written: nothing is destroyed.
    const marker = await h.call('DeleteObject', { Bucket: 'locked', Key: 'guarded' });
    assert.equal(marker.DeleteMarker, true);
    await h.call('DeleteObject', { Bucket: 'locked', Key: 'guarded', VersionId: marker.VersionId });
    const multi = await h.call('DeleteObjects', { Bucket: 'locked', Delete: { Objects: [{ Key: 'guarded', VersionId }] } });
    assert.deepEqual(multi.Errors, [{ Key: 'guarded', VersionId, Code: 'AccessDenied', Message: 'Access Denied' }]);
    await h.call('PutObjectLegalHold', { Bucket: 'locked', Key: 'guarded', LegalHold: { Status: 'ON' } });
    assert.deepEqual((await h.call('GetObjectLegalHold', { Bucket: 'locked', Key: 'guarded' })).LegalHold, { Status: 'ON' });
    await rejects(h.call('DeleteObject', { Bucket: 'locked', Key: 'guarded', VersionId, BypassGovernanceRetention: true }), 'AccessDenied', 403);
    await h.call('PutObjectLegalHold', { Bucket: 'locked', Key: 'guarded', LegalHold: { Status: 'OFF' } });
    const deleted = await h.call('DeleteObjects', { Bucket: 'locked', BypassGovernanceRetention: true, Delete: { Objects: [{ Key: 'guarded', VersionId }] } });
    assert.deepEqual(deleted.Deleted, [{ Key: 'guarded', VersionId }]);
  });

  it('checks legal holds and the bucket', async () => {
    await h.put('locked', 'hold', 'abc');
    await rejects(h.call('GetObjectLegalHold', { Bucket: 'locked', Key: 'hold' }), 'NoSuchObjectLockConfiguration', 404);
    await rejects(h.call('PutObjectLegalHold', { Bucket: 'locked', Key: 'hold', LegalHold: { Status: 'abc' } }), 'MalformedXML', 400);
    await h.put('plain', 'x', 'abc');
    await rejects(h.call('PutObjectLegalHold', { Bucket: 'plain', Key: 'x', LegalHold: { Status: 'ON' } }), 'InvalidRequest', 400);
    await rejects(h.call('GetObjectLegalHold', { Bucket: 'plain', Key: 'x' }), 'InvalidRequest', 400);
  });

  it('gives a multipart object the lock its upload asked for', async () => {
    const { UploadId } = await h.call('CreateMultipartUpload', { Bucket: 'locked', Key: 'mpu', ObjectLockLegalHoldStatus: 'ON' });
    const part = await h.call('UploadPart', { Bucket: 'locked', Key: 'mpu', UploadId, PartNumber: 1, Body: await h.body('abc') });
    const done = await h.call('CompleteMultipartUpload', { Bucket: 'locked', Key: 'mpu', UploadId, MultipartUpload: { Parts: [{ PartNumber: 1, ETag: part.ETag }] } });
    await rejects(h.call('DeleteObject', { Bucket: 'locked', Key: 'mpu', VersionId: done.VersionId }), 'AccessDenied', 403);
    assert.equal((await h.call('HeadObject', { Bucket: 'locked', Key: 'mpu' })).ObjectLockLegalHoldStatus, 'ON');
  });

  it('keeps locked noncurrent versions from lifecycle expiration', async () => {
    await h.bucket('locked-lc', { ObjectLockEnabledForBucket: true });
    const held = (await h.put('locked-lc', 'k', 'one', { ObjectLockLegalHoldStatus: 'ON' })).VersionId;
    const free = (await h.put('locked-lc', 'k', 'two')).VersionId;
    await h.put('locked-lc', 'k', 'three');
    await h.call('PutBucketLifecycleConfiguration', {
      Bucket: 'locked-lc',
      LifecycleConfiguration: { Rules: [{ ID: 'nc', Status: 'Enabled', Filter: {}, NoncurrentVersionExpiration: { NoncurrentDays: 1 } }] },
    });
    h.clock.freeze(T0 + 3 * DAY_MS);
    const versions = await h.call('ListObjectVersions', { Bucket: 'locked-lc' });
    const ids = versions.Versions.map((v: { VersionId: string }) => v.VersionId);
    assert.ok(ids.includes(held));
    assert.ok(!ids.includes(free));
    h.clock.freeze(T0);
  });
});
