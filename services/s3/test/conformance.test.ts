import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { MiB, harness, rejects, type Harness } from './harness.js';

// What ceph/s3-tests (docs/conformance.md) showed Stratus answering differently from S3.

const KEY = Buffer.alloc(32, 7).toString('base64');
const KEY_MD5 = createHash('md5').update(Buffer.alloc(32, 7)).digest('base64');
const OTHER_KEY = Buffer.alloc(32, 9).toString('base64');
const OTHER_MD5 = createHash('md5').update(Buffer.alloc(32, 9)).digest('base64');

function denyPolicy(bucket: string, action: string, condition?: unknown, resource = `arn:aws:s3:::${bucket}/*`): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Deny', Principal: { AWS: '*' }, Action: action, Resource: resource, ...(condition ? { Condition: condition } : {}) }],
  });
}

describe('S3 answers checked by the conformance suite', () => {
  let h: Harness;
  before(async () => {
    h = await harness();
  });
  after(() => h.close());

  it('answers a repeated CompleteMultipartUpload as the first one', async () => {
    await h.bucket('mpu');
    const { UploadId } = await h.call('CreateMultipartUpload', { Bucket: 'mpu', Key: 'k' });
    const p1 = await h.call('UploadPart', { Bucket: 'mpu', Key: 'k', UploadId, PartNumber: 1, Body: await h.body(Buffer.alloc(5 * MiB, 1)) });
    const p2 = await h.call('UploadPart', { Bucket: 'mpu', Key: 'k', UploadId, PartNumber: 2, Body: await h.body('tail') });
    const parts = { Parts: [{ PartNumber: 1, ETag: p1.ETag }, { PartNumber: 2, ETag: p2.ETag }] };
    const first = await h.call('CompleteMultipartUpload', { Bucket: 'mpu', Key: 'k', UploadId, MultipartUpload: parts });
    const again = await h.call('CompleteMultipartUpload', { Bucket: 'mpu', Key: 'k', UploadId, MultipartUpload: parts });
    assert.deepEqual(again, first);
    assert.match(first.ETag, /-2"$/);
    // Not once the key holds another object.
    await h.put('mpu', 'k', 'other');
    await rejects(h.call('CompleteMultipartUpload', { Bucket: 'mpu', Key: 'k', UploadId, MultipartUpload: parts }), 'NoSuchUpload', 404);
  });

  it('refuses a completion without a part list as MalformedXML, and part checksums of another algorithm as BadDigest', async () => {
    const { UploadId } = await h.call('CreateMultipartUpload', { Bucket: 'mpu', Key: 'empty' });
    await rejects(h.call('CompleteMultipartUpload', { Bucket: 'mpu', Key: 'empty', UploadId }), 'MalformedXML', 400);
    const crc = await h.call('CreateMultipartUpload', { Bucket: 'mpu', Key: 'crc', ChecksumAlgorithm: 'CRC32', ChecksumType: 'COMPOSITE' });
    const part = await h.call('UploadPart', { Bucket: 'mpu', Key: 'crc', UploadId: crc.UploadId, PartNumber: 1, Body: await h.body('abc', ['CRC32']), ChecksumAlgorithm: 'CRC32' });
    await rejects(
      h.call('CompleteMultipartUpload', {
        Bucket: 'mpu',
        Key: 'crc',
        UploadId: crc.UploadId,
        MultipartUpload: { Parts: [{ PartNumber: 1, ETag: part.ETag, ChecksumSHA256: 'ungAhEtz6qPQsIVrXfqhe+cF0BHjzEEhHiCMOtZ5HKE=' }] },
      }),
      'BadDigest',
      400,
      'The sha256 you specified for part 1 did not match what we received.',
    );
  });

  it('refuses a new bucket an ACL granting others access when its ownership is enforced', async () => {
    await rejects(h.call('CreateBucket', { Bucket: 'public-acl', ACL: 'public-read', ObjectOwnership: 'BucketOwnerEnforced' }), 'InvalidBucketAclWithObjectOwnership', 400);
    await h.call('CreateBucket', { Bucket: 'private-acl', ACL: 'private', ObjectOwnership: 'BucketOwnerEnforced' });
  });

  it('checks SSE-C keys as S3 does', async () => {
    await h.bucket('ssec');
    const sse = { SSECustomerAlgorithm: 'AES256', SSECustomerKey: KEY };
    await rejects(h.put('ssec', 'k', 'x', sse), 'InvalidArgument', 400, 'The secret key was invalid for the specified algorithm.');
    const wrongAlgo = await rejects(h.put('ssec', 'k', 'x', { ...sse, SSECustomerAlgorithm: 'KMS', SSECustomerKeyMD5: KEY_MD5 }), 'InvalidEncryptionAlgorithmError', 400);
    assert.deepEqual(wrongAlgo.fields, { ArgumentName: 'x-amz-server-side-encryption', ArgumentValue: 'KMS' });
    await h.put('ssec', 'k', 'x', { ...sse, SSECustomerKeyMD5: KEY_MD5 });
    const message = 'Requests specifying Server Side Encryption with Customer provided keys must provide the correct secret key.';
    await rejects(h.call('GetObject', { Bucket: 'ssec', Key: 'k', SSECustomerAlgorithm: 'AES256', SSECustomerKey: OTHER_KEY, SSECustomerKeyMD5: OTHER_MD5 }), 'AccessDenied', 403, message);
    await rejects(h.call('GetObject', { Bucket: 'ssec', Key: 'k', ...sse }), 'AccessDenied', 403, message);
    assert.equal(await h.text('ssec', 'k', { ...sse, SSECustomerKeyMD5: KEY_MD5 }), 'x');
  });

  it("applies a bucket policy's explicit Deny to the owner, conditions included", async () => {
    await h.bucket('denied');
    await h.call('PutBucketPolicy', { Bucket: 'denied', Policy: denyPolicy('denied', 's3:PutObject', { Null: { 's3:x-amz-server-side-encryption': 'true' } }) });
    await rejects(h.put('denied', 'plain', 'x'), 'AccessDenied', 403);
    const ok = await h.put('denied', 'encrypted', 'x', { ServerSideEncryption: 'AES256' });
    assert.equal(ok.ServerSideEncryption, 'AES256');

    await h.call('PutBucketPolicy', {
      Bucket: 'denied',
      Policy: denyPolicy('denied', 's3:PutObject', { StringNotEquals: { 's3:x-amz-server-side-encryption-customer-algorithm': 'AES256' } }),
    });
    // Refused before the algorithm is even checked.
    await rejects(h.put('denied', 'k', 'x', { SSECustomerAlgorithm: 'AES192' }), 'AccessDenied', 403);
    await rejects(h.put('denied', 'k', 'x'), 'AccessDenied', 403);
    await h.put('denied', 'k', 'x', { SSECustomerAlgorithm: 'AES256', SSECustomerKey: KEY, SSECustomerKeyMD5: KEY_MD5 });

    await h.call('PutBucketPolicy', { Bucket: 'denied', Policy: denyPolicy('denied', 's3:GetBucketPublicAccessBlock', undefined, 'arn:aws:s3:::denied') });
    await rejects(h.call('GetPublicAccessBlock', { Bucket: 'denied' }), 'AccessDenied', 403);
    await h.call('GetBucketVersioning', { Bucket: 'denied' });

    // A condition on request context Stratus does not have (the source IP) refuses nothing.
    await h.call('PutBucketPolicy', { Bucket: 'denied', Policy: denyPolicy('denied', 's3:*', { IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } }, '*') });
    await h.put('denied', 'ip', 'x');

    await h.call('PutBucketPolicy', { Bucket: 'denied', Policy: denyPolicy('denied', 's3:DeleteObject') });
    const multi = await h.call('DeleteObjects', { Bucket: 'denied', Delete: { Objects: [{ Key: 'ip' }] } });
    assert.deepEqual(multi.Errors, [{ Key: 'ip', Code: 'AccessDenied', Message: 'Access Denied' }]);
    // The owner can always take the policy away again.
    await h.call('DeleteBucketPolicy', { Bucket: 'denied' });
    await h.call('DeleteObject', { Bucket: 'denied', Key: 'ip' });
  });

  it('reports a policy public when it allows everyone without a restricting condition', async () => {
    await h.bucket('status');
    await h.call('DeletePublicAccessBlock', { Bucket: 'status' });
    const allow = (condition?: unknown) =>
      JSON.stringify({ Statement: [{ Effect: 'Allow', Principal: { AWS: '*' }, Action: 's3:ListBucket', Resource: 'arn:aws:s3:::status', ...(condition ? { Condition: condition } : {}) }] });
    await h.call('PutBucketPolicy', { Bucket: 'status', Policy: allow() });
    assert.deepEqual((await h.call('GetBucketPolicyStatus', { Bucket: 'status' })).PolicyStatus, { IsPublic: true });
    await h.call('PutBucketPolicy', { Bucket: 'status', Policy: allow({ IpAddress: { 'aws:SourceIp': '10.0.0.0/32' } }) });
    assert.deepEqual((await h.call('GetBucketPolicyStatus', { Bucket: 'status' })).PolicyStatus, { IsPublic: false });
  });

  it('names lifecycle rules without an ID and checks IDs and transition dates', async () => {
    await h.bucket('lifecycle-ids');
    await h.call('PutBucketLifecycleConfiguration', {
      Bucket: 'lifecycle-ids',
      LifecycleConfiguration: { Rules: [{ Expiration: { Days: 31 }, Prefix: 'a/', Status: 'Enabled' }] },
    });
    const got = await h.call('GetBucketLifecycleConfiguration', { Bucket: 'lifecycle-ids' });
    assert.match(got.Rules[0].ID, /^[A-Za-z0-9+/=]{20,}$/);
    await rejects(
      h.call('PutBucketLifecycleConfiguration', { Bucket: 'lifecycle-ids', LifecycleConfiguration: { Rules: [{ ID: 'a'.repeat(256), Expiration: { Days: 2 }, Prefix: '', Status: 'Enabled' }] } }),
      'InvalidArgument',
      400,
    );
    await rejects(
      h.call('PutBucketLifecycleConfiguration', {
        Bucket: 'lifecycle-ids',
        LifecycleConfiguration: { Rules: [{ ID: 'r', Transitions: [{ Date: 20_220_927_000, StorageClass: 'GLACIER' }], Prefix: '', Status: 'Enabled' }] },
      }),
      'InvalidArgument',
      400,
      "'Date' must be at midnight GMT",
    );
  });

  it('lists object tags in key order', async () => {
    await h.bucket('tags');
    await h.put('tags', 'k', 'x', { Tagging: 'foo=bar&bar' });
    const got = await h.call('GetObjectTagging', { Bucket: 'tags', Key: 'k' });
    assert.deepEqual(got.TagSet, [
      { Key: 'bar', Value: '' },
      { Key: 'foo', Value: 'bar' },
    ]);
  });

  it('echoes the ListObjects (v1) prefix as given, even with encoding-type=url', async () => {
    await h.bucket('v1prefix');
    const out = await h.call('ListObjects', { Bucket: 'v1prefix', Prefix: 'a b\n', EncodingType: 'url' });
    assert.equal(out.Prefix, 'a b\n');
    const v2 = await h.call('ListObjectsV2', { Bucket: 'v1prefix', Prefix: 'a b', EncodingType: 'url' });
    assert.equal(v2.Prefix, 'a+b');
  });

  it('serves a BitTorrent file of an object', async () => {
    await h.bucket('torrent');
    const data = Buffer.alloc(300 * 1024, 'A');
    await h.put('torrent', 'dir/movie.mpg', data);
    const out = await h.call('GetObjectTorrent', { Bucket: 'torrent', Key: 'dir/movie.mpg' });
    const torrent = await h.read(out);
    const text = torrent.toString('latin1');
    assert.ok(text.startsWith('d8:announce'), text.slice(0, 40));
    assert.ok(text.includes(`6:lengthi${data.length}e4:name9:movie.mpg12:piece lengthi262144e6:pieces40:`));
    const piece1 = createHash('sha1').update(data.subarray(0, 262144)).digest().toString('latin1');
    assert.ok(text.includes(piece1));
    await rejects(h.call('GetObjectTorrent', { Bucket: 'torrent', Key: 'missing' }), 'NoSuchKey', 404);
  });
});

describe('S3 ACL requests checked as S3 checks them (recorded S3 answers)', () => {
  let h: Harness;
  before(async () => {
    h = await harness();
    await h.bucket('acl-checks', { ObjectOwnership: 'ObjectWriter' });
  });
  after(() => h.close());

  const owner = () => h.call('GetBucketAcl', { Bucket: 'acl-checks' }).then((r: { Owner: { ID: string } }) => r.Owner);
  const logDelivery = (over: Record<string, unknown> = {}) => ({
    Grants: [{ Grantee: { URI: 'http://acs.amazonaws.com/groups/s3/LogDelivery', Type: 'Group' }, Permission: 'WRITE', ...over }],
  });

  it('refuses grant headers naming no canonical user', async () => {
    const e = await rejects(h.call('PutBucketAcl', { Bucket: 'acl-checks', GrantWrite: 'id="wrong-id"' }), 'InvalidArgument', 400, 'Invalid id');
    assert.deepEqual(e.fields, { ArgumentName: 'id', ArgumentValue: 'wrong-id' });
  });

  it('refuses AccessControlPolicy documents S3 refuses', async () => {
    const o = await owner();
    await rejects(h.call('PutBucketAcl', { Bucket: 'acl-checks', AccessControlPolicy: logDelivery() }), 'MalformedACLError', 400);
    await rejects(h.call('PutBucketAcl', { Bucket: 'acl-checks', AccessControlPolicy: { Owner: o, ...logDelivery({ Permission: 'WRONG-PERMISSION' }) } }), 'MalformedACLError', 400);
    const badOwner = await rejects(h.call('PutBucketAcl', { Bucket: 'acl-checks', AccessControlPolicy: { Owner: { ID: 'wrong-id' }, ...logDelivery() } }), 'InvalidArgument', 400, 'Invalid id');
    assert.deepEqual(badOwner.fields, { ArgumentName: 'CanonicalUser/ID', ArgumentValue: 'wrong-id' });
    const badUri = await rejects(
      h.call('PutBucketAcl', {
        Bucket: 'acl-checks',
        AccessControlPolicy: { Owner: o, Grants: [{ Grantee: { URI: 'http://acs.amazonaws.com/groups/s3/FakeGroup', Type: 'Group' }, Permission: 'WRITE' }] },
      }),
      'InvalidArgument',
      400,
      'Invalid group uri',
    );
    assert.equal(badUri.fields?.ArgumentName, 'Group/URI');
    const badUser = { Owner: o, Grants: [{ Grantee: { ID: '_foo', Type: 'CanonicalUser' }, Permission: 'FULL_CONTROL' }] };
    await rejects(h.call('PutBucketAcl', { Bucket: 'acl-checks', AccessControlPolicy: badUser }), 'InvalidArgument', 400, 'Invalid id');
    // Checked before a bucket that owns its objects says it takes no ACL at all.
    await h.bucket('acl-enforced', { ObjectOwnership: 'BucketOwnerEnforced' });
    await rejects(h.call('PutBucketAcl', { Bucket: 'acl-enforced', AccessControlPolicy: badUser }), 'InvalidArgument', 400);
    const badType = { Owner: o, Grants: [{ Grantee: { ID: o.ID, Type: 'BadType' }, Permission: 'FULL_CONTROL' }] };
    await rejects(h.call('PutBucketAcl', { Bucket: 'acl-checks', AccessControlPolicy: badType }), 'MalformedACLError', 400);
    await rejects(h.call('PutBucketAcl', { Bucket: 'acl-checks', AccessControlPolicy: {} }), 'MalformedACLError', 400);
    const missing = await rejects(h.call('PutBucketAcl', { Bucket: 'acl-checks' }), 'MissingSecurityHeader', 400, 'Your request was missing a required header');
    assert.deepEqual(missing.fields, { MissingHeaderName: 'x-amz-acl' });
    const own = { Owner: o, Grants: [{ Grantee: { ID: o.ID, Type: 'CanonicalUser' }, Permission: 'FULL_CONTROL' }] };
    await rejects(h.call('PutBucketAcl', { Bucket: 'acl-checks', ACL: 'private', AccessControlPolicy: own }), 'UnexpectedContent', 400, 'This request does not support content');
    await h.call('PutBucketAcl', { Bucket: 'acl-checks', AccessControlPolicy: { Owner: o, ...logDelivery() } });
  });
});

describe('S3 Block Public Access (on for new buckets with STRATUS_S3_BUCKET_DEFAULTS=current, as on S3 since April 2023)', () => {
  let h: Harness;
  before(async () => {
    h = await harness({ s3BucketDefaults: 'current' });
    await h.bucket('bpa', { ObjectOwnership: 'ObjectWriter' });
  });
  after(() => h.close());

  const publicPolicy = JSON.stringify({ Statement: [{ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::bpa/*' }] });

  it('refuses public ACLs and public policies while blocked, as access denied', async () => {
    const block = await h.call('GetPublicAccessBlock', { Bucket: 'bpa' });
    assert.equal(block.PublicAccessBlockConfiguration.BlockPublicAcls, true);
    await rejects(h.call('PutBucketAcl', { Bucket: 'bpa', ACL: 'public-read' }), 'AccessDenied', 403);
    await rejects(h.put('bpa', 'k', 'x', { ACL: 'authenticated-read' }), 'AccessDenied', 403);
    await h.put('bpa', 'k', 'x', { ACL: 'private' });
    await rejects(h.call('PutBucketPolicy', { Bucket: 'bpa', Policy: publicPolicy }), 'AccessDenied', 403);
    // A bucket that takes no ACLs says so first.
    await h.bucket('bpa-enforced');
    await rejects(h.call('PutBucketAcl', { Bucket: 'bpa-enforced', ACL: 'public-read' }), 'AccessControlListNotSupported', 400);
  });

  it('takes them once the block is lifted', async () => {
    await h.call('PutPublicAccessBlock', { Bucket: 'bpa', PublicAccessBlockConfiguration: { BlockPublicAcls: false, BlockPublicPolicy: false } });
    await h.call('PutBucketAcl', { Bucket: 'bpa', ACL: 'public-read' });
    await h.call('PutBucketPolicy', { Bucket: 'bpa', Policy: publicPolicy });
  });
});

describe('S3 default bucket settings (STRATUS_S3_BUCKET_DEFAULTS=legacy: S3 before April 2023)', () => {
  let h: Harness;
  before(async () => {
    h = await harness();
  });
  after(() => h.close());

  it('creates buckets that take ACLs and public policies', async () => {
    await h.call('CreateBucket', { Bucket: 'legacy', ACL: 'public-read' });
    const acl = await h.call('GetBucketAcl', { Bucket: 'legacy' });
    assert.deepEqual(
      acl.Grants.map((g: { Grantee: { Type: string; URI?: string }; Permission: string }) => [g.Grantee.Type, g.Grantee.URI, g.Permission]),
      [
        ['CanonicalUser', undefined, 'FULL_CONTROL'],
        ['Group', 'http://acs.amazonaws.com/groups/global/AllUsers', 'READ'],
      ],
    );
    assert.deepEqual((await h.call('GetBucketOwnershipControls', { Bucket: 'legacy' })).OwnershipControls, { Rules: [{ ObjectOwnership: 'ObjectWriter' }] });
    await rejects(h.call('GetPublicAccessBlock', { Bucket: 'legacy' }), 'NoSuchPublicAccessBlockConfiguration', 404);
    await h.put('legacy', 'k', 'x', { ACL: 'public-read-write' });
    await h.call('PutBucketPolicy', {
      Bucket: 'legacy',
      Policy: JSON.stringify({ Statement: [{ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::legacy/*' }] }),
    });
    // Asking for S3's current default still gets it.
    await rejects(h.call('CreateBucket', { Bucket: 'enforced', ACL: 'public-read', ObjectOwnership: 'BucketOwnerEnforced' }), 'InvalidBucketAclWithObjectOwnership', 400);
  });
});
