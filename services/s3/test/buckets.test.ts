import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ACCOUNT, OTHER_ACCOUNT, harness, rejects, type Harness } from './harness.js';

describe('S3 buckets', () => {
  let h: Harness;
  before(async () => {
    h = await harness();
  });
  after(() => h.close());

  it('creates a bucket in us-east-1 with a path-style location', async () => {
    const out = await h.call('CreateBucket', { Bucket: 'alpha' });
    assert.deepEqual(out, { Location: '/alpha', BucketArn: 'arn:aws:s3:::alpha' });
    assert.deepEqual(await h.call('HeadBucket', { Bucket: 'alpha' }), { BucketRegion: 'us-east-1', BucketArn: 'arn:aws:s3:::alpha', AccessPointAlias: false });
    assert.deepEqual(await h.call('GetBucketLocation', { Bucket: 'alpha' }), {});
  });

  it('validates bucket names', async () => {
    for (const name of ['UPPER', 'ab', 'a..b', '192.168.1.1', '-start', 'end-', 'x'.repeat(64), 'has_underscore', 'xn--punycode']) {
      const e = await rejects(h.call('CreateBucket', { Bucket: name }), 'InvalidBucketName', 400, 'The specified bucket is not valid.');
      assert.deepEqual(e.fields, { BucketName: name });
    }
  });

  it('applies the LocationConstraint rules of the endpoint region', async () => {
    await rejects(h.call('CreateBucket', { Bucket: 'lc-1', CreateBucketConfiguration: { LocationConstraint: 'us-east-1' } }), 'InvalidLocationConstraint', 400);
    await rejects(h.call('CreateBucket', { Bucket: 'lc-1', CreateBucketConfiguration: { LocationConstraint: 'foo' } }), 'InvalidLocationConstraint');
    const e = await rejects(h.call('CreateBucket', { Bucket: 'lc-1' }, { region: 'us-east-2' }), 'IllegalLocationConstraintException');
    assert.equal(e.message, 'The unspecified location constraint is incompatible for the region specific endpoint this request was sent to.');
    const e2 = await rejects(
      h.call('CreateBucket', { Bucket: 'lc-1', CreateBucketConfiguration: { LocationConstraint: 'us-west-1' } }, { region: 'us-east-2' }),
      'IllegalLocationConstraintException',
    );
    assert.equal(e2.message, 'The us-west-1 location constraint is incompatible for the region specific endpoint this request was sent to.');
    await rejects(h.call('CreateBucket', { Bucket: 'lc-1', CreateBucketConfiguration: { LocationConstraint: 'EU' } }, { region: 'us-east-2' }), 'IllegalLocationConstraintException');

    const out = await h.call('CreateBucket', { Bucket: 'lc-eu', CreateBucketConfiguration: { LocationConstraint: 'EU' } }, { region: 'eu-west-1' });
    assert.equal(out.Location, 'http://lc-eu.localhost:4566/');
    assert.deepEqual(await h.call('GetBucketLocation', { Bucket: 'lc-eu' }), { LocationConstraint: 'EU' });
    assert.equal((await h.call('HeadBucket', { Bucket: 'lc-eu' })).BucketRegion, 'eu-west-1');
    // From us-east-1, a bucket may be created in another region.
    await h.call('CreateBucket', { Bucket: 'lc-west', CreateBucketConfiguration: { LocationConstraint: 'us-west-1' } });
    assert.deepEqual(await h.call('GetBucketLocation', { Bucket: 'lc-west' }), { LocationConstraint: 'us-west-1' });
  });

  it('answers BucketAlreadyOwnedByYou, BucketAlreadyExists across accounts, and us-east-1 re-creation', async () => {
    await h.call('CreateBucket', { Bucket: 'taken' });
    // us-east-1 keeps its legacy answer for the owner.
    assert.equal((await h.call('CreateBucket', { Bucket: 'taken' })).Location, '/taken');
    const owned = await rejects(h.call('CreateBucket', { Bucket: 'taken', CreateBucketConfiguration: { Tags: [{ Key: 'a', Value: 'b' }] } }), 'BucketAlreadyOwnedByYou', 409);
    assert.deepEqual(owned.fields, { BucketName: 'taken' });
    await rejects(h.call('CreateBucket', { Bucket: 'lc-west', CreateBucketConfiguration: { LocationConstraint: 'us-west-1' } }), 'BucketAlreadyOwnedByYou', 409);
    const other = await rejects(h.call('CreateBucket', { Bucket: 'taken' }, { account: OTHER_ACCOUNT }), 'BucketAlreadyExists', 409);
    assert.match(other.message, /bucket namespace is shared by all users/);
  });

  it('lists an account\'s buckets with prefix, region filter and pagination', async () => {
    await h.call('CreateBucket', { Bucket: 'other-account-bucket' }, { account: OTHER_ACCOUNT });
    const all = await h.call('ListBuckets', {});
    const names = all.Buckets.map((b: { Name: string }) => b.Name);
    assert.deepEqual(names, [...names].sort());
    assert.ok(!names.includes('other-account-bucket'));
    assert.equal(all.Owner.ID.length, 64);
    assert.equal(all.ContinuationToken, undefined);
    assert.deepEqual(Object.keys(all.Buckets[0]).sort(), ['BucketArn', 'BucketRegion', 'CreationDate', 'Name']);

    const first = await h.call('ListBuckets', { MaxBuckets: 2 });
    assert.equal(first.Buckets.length, 2);
    assert.ok(first.ContinuationToken);
    const rest = await h.call('ListBuckets', { MaxBuckets: 100, ContinuationToken: first.ContinuationToken });
    assert.deepEqual([...first.Buckets, ...rest.Buckets].map((b: { Name: string }) => b.Name), names);

    const prefixed = await h.call('ListBuckets', { Prefix: 'lc-' });
    assert.deepEqual(prefixed.Buckets.map((b: { Name: string }) => b.Name), ['lc-eu', 'lc-west']);
    assert.equal(prefixed.Prefix, 'lc-');
    assert.deepEqual((await h.call('ListBuckets', { Prefix: 'LC-' })).Buckets, []);
    const west = await h.call('ListBuckets', { BucketRegion: 'us-west-1' });
    assert.deepEqual(west.Buckets.map((b: { Name: string }) => b.Name), ['lc-west']);
    const bad = await rejects(h.call('ListBuckets', { BucketRegion: 'eu-east-1' }), 'InvalidArgument', 400, 'Argument value eu-east-1 is not a valid AWS Region');
    assert.deepEqual(bad.fields, { ArgumentName: 'bucket-region' });
  });

  it('deletes empty buckets only', async () => {
    await h.call('CreateBucket', { Bucket: 'to-delete' });
    await h.put('to-delete', 'k', 'v');
    const e = await rejects(h.call('DeleteBucket', { Bucket: 'to-delete' }), 'BucketNotEmpty', 409, 'The bucket you tried to delete is not empty');
    assert.deepEqual(e.fields, { BucketName: 'to-delete' });
    await h.call('DeleteObject', { Bucket: 'to-delete', Key: 'k' });
    assert.deepEqual(await h.call('DeleteBucket', { Bucket: 'to-delete' }), { $status: 204 });
    await rejects(h.call('HeadBucket', { Bucket: 'to-delete' }), 'NoSuchBucket', 404);
    await rejects(h.call('DeleteBucket', { Bucket: 'to-delete' }), 'NoSuchBucket', 404, 'The specified bucket does not exist');
    await rejects(h.call('GetObject', { Bucket: 'to-delete', Key: 'k' }), 'NoSuchBucket', 404);
  });

  it('says versioned buckets must lose every version', async () => {
    await h.call('CreateBucket', { Bucket: 'versioned-delete' });
    await h.call('PutBucketVersioning', { Bucket: 'versioned-delete', VersioningConfiguration: { Status: 'Enabled' } });
    await h.put('versioned-delete', 'k', 'v');
    await h.call('DeleteObject', { Bucket: 'versioned-delete', Key: 'k' });
    await rejects(h.call('DeleteBucket', { Bucket: 'versioned-delete' }), 'BucketNotEmpty', 409, 'The bucket you tried to delete is not empty. You must delete all versions in the bucket.');
  });

  it('checks the expected bucket owner', async () => {
    await rejects(h.call('GetBucketPolicy', { Bucket: 'alpha', ExpectedBucketOwner: 'abcd' }), 'InvalidBucketOwnerAWSAccountID', 400);
    await rejects(h.call('HeadBucket', { Bucket: 'alpha', ExpectedBucketOwner: OTHER_ACCOUNT }), 'AccessDenied', 403);
    await h.call('HeadBucket', { Bucket: 'alpha', ExpectedBucketOwner: ACCOUNT });
  });
});

describe('S3 bucket configuration (STRATUS_S3_BUCKET_DEFAULTS=current: S3 since April 2023)', () => {
  let h: Harness;
  before(async () => {
    h = await harness({ s3BucketDefaults: 'current' });
    await h.bucket('conf');
  });
  after(() => h.close());

  it('stores and returns tags', async () => {
    const e = await rejects(h.call('GetBucketTagging', { Bucket: 'conf' }), 'NoSuchTagSet', 404, 'The TagSet does not exist');
    assert.deepEqual(e.fields, { BucketName: 'conf' });
    const tags = [
      { Key: 'b', Value: '2' },
      { Key: 'a', Value: '1' },
    ];
    assert.deepEqual(await h.call('PutBucketTagging', { Bucket: 'conf', Tagging: { TagSet: tags } }), { $status: 204 });
    assert.deepEqual(await h.call('GetBucketTagging', { Bucket: 'conf' }), { TagSet: tags });
    const dup = await rejects(
      h.call('PutBucketTagging', { Bucket: 'conf', Tagging: { TagSet: [{ Key: 'k', Value: '1' }, { Key: 'k', Value: '2' }] } }),
      'InvalidTag',
      400,
      'Cannot provide multiple Tags with the same key',
    );
    assert.deepEqual(dup.fields, { TagKey: 'k' });
    await rejects(h.call('PutBucketTagging', { Bucket: 'conf', Tagging: { TagSet: [{ Key: 'aws:x', Value: '1' }] } }), 'InvalidTag', 400, 'System tags cannot be added/updated by requester');
    await rejects(h.call('PutBucketTagging', { Bucket: 'conf', Tagging: { TagSet: [{ Key: 'k' }] } }), 'MalformedXML', 400);
    await h.call('DeleteBucketTagging', { Bucket: 'conf' });
    await rejects(h.call('GetBucketTagging', { Bucket: 'conf' }), 'NoSuchTagSet');
  });

  it('has S3\'s defaults: SSE-S3 encryption, owner-enforced ownership, public access blocked, owner ACL', async () => {
    assert.deepEqual(await h.call('GetBucketEncryption', { Bucket: 'conf' }), {
      ServerSideEncryptionConfiguration: { Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' }, BucketKeyEnabled: false }] },
    });
    assert.deepEqual(await h.call('GetBucketOwnershipControls', { Bucket: 'conf' }), { OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] } });
    assert.deepEqual(await h.call('GetPublicAccessBlock', { Bucket: 'conf' }), {
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true },
    });
    const acl = await h.call('GetBucketAcl', { Bucket: 'conf' });
    assert.deepEqual(acl.Grants, [{ Grantee: { Type: 'CanonicalUser', ID: acl.Owner.ID }, Permission: 'FULL_CONTROL' }]);
    assert.deepEqual(await h.call('GetBucketVersioning', { Bucket: 'conf' }), {});
    assert.deepEqual(await h.call('GetBucketAccelerateConfiguration', { Bucket: 'conf' }), {});
    assert.deepEqual(await h.call('GetBucketRequestPayment', { Bucket: 'conf' }), { Payer: 'BucketOwner' });
    assert.deepEqual(await h.call('GetBucketLogging', { Bucket: 'conf' }), {});
    // ACLs are refused while the bucket owner enforces ownership.
    await rejects(h.call('PutBucketAcl', { Bucket: 'conf', ACL: 'public-read' }), 'AccessControlListNotSupported', 400);
    await h.call('PutBucketOwnershipControls', { Bucket: 'conf', OwnershipControls: { Rules: [{ ObjectOwnership: 'ObjectWriter' }] } });
    // ...and public ones while Block Public Access blocks them.
    await rejects(h.call('PutBucketAcl', { Bucket: 'conf', ACL: 'public-read' }), 'AccessDenied', 403);
    await h.call('PutPublicAccessBlock', { Bucket: 'conf', PublicAccessBlockConfiguration: { BlockPublicAcls: false, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true } });
    await h.call('PutBucketAcl', { Bucket: 'conf', ACL: 'public-read' });
    const grants = (await h.call('GetBucketAcl', { Bucket: 'conf' })).Grants;
    assert.deepEqual(grants[1], { Grantee: { Type: 'Group', URI: 'http://acs.amazonaws.com/groups/global/AllUsers' }, Permission: 'READ' });
    await rejects(h.call('PutBucketAcl', { Bucket: 'conf', ACL: 'public-read', GrantRead: 'id="x"' }), 'InvalidRequest', 400, 'Specifying both Canned ACLs and Header Grants is not allowed');
    await h.call('DeleteBucketOwnershipControls', { Bucket: 'conf' });
    await rejects(h.call('GetBucketOwnershipControls', { Bucket: 'conf' }), 'OwnershipControlsNotFoundError', 404, 'The bucket ownership controls were not found');
    await h.call('DeletePublicAccessBlock', { Bucket: 'conf' });
    await rejects(h.call('GetPublicAccessBlock', { Bucket: 'conf' }), 'NoSuchPublicAccessBlockConfiguration', 404);
    // Deleting the encryption configuration restores the default.
    await h.call('PutBucketEncryption', {
      Bucket: 'conf',
      ServerSideEncryptionConfiguration: { Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms' }, BucketKeyEnabled: true }] },
    });
    const put = await h.put('conf', 'kms', 'x');
    assert.equal(put.ServerSideEncryption, 'aws:kms');
    assert.match(put.SSEKMSKeyId, /^arn:aws:kms:us-east-1:000000000000:key\//);
    assert.equal(put.BucketKeyEnabled, true);
    assert.deepEqual(await h.call('DeleteBucketEncryption', { Bucket: 'conf' }), { $status: 204 });
    assert.equal((await h.call('GetBucketEncryption', { Bucket: 'conf' })).ServerSideEncryptionConfiguration.Rules[0].ApplyServerSideEncryptionByDefault.SSEAlgorithm, 'AES256');
  });

  it('stores a policy as given, and validates it', async () => {
    await rejects(h.call('GetBucketPolicy', { Bucket: 'conf' }), 'NoSuchBucketPolicy', 404, 'The bucket policy does not exist');
    const policy = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::conf/*' }] });
    // (The public access block went in the test above: a public policy is taken.)
    assert.deepEqual(await h.call('PutBucketPolicy', { Bucket: 'conf', Policy: policy }), { $status: 204 });
    assert.deepEqual(await h.call('GetBucketPolicy', { Bucket: 'conf' }), { Policy: policy });
    await rejects(h.call('PutBucketPolicy', { Bucket: 'conf', Policy: 'not json' }), 'MalformedPolicy', 400, "Policies must be valid JSON and the first byte must be '{'");
    await rejects(h.call('PutBucketPolicy', { Bucket: 'conf', Policy: '{}' }), 'MalformedPolicy', 400, 'Missing required field Statement');
    await h.call('DeleteBucketPolicy', { Bucket: 'conf' });
    await rejects(h.call('GetBucketPolicy', { Bucket: 'conf' }), 'NoSuchBucketPolicy');
  });

  it('stores CORS rules and evaluates them for the gateway', async () => {
    await rejects(h.call('GetBucketCors', { Bucket: 'conf' }), 'NoSuchCORSConfiguration', 404, 'The CORS configuration does not exist');
    const preflight = { Bucket: 'conf', Key: 'obj', Origin: 'https://app.example', Method: 'PUT', Preflight: true };
    await rejects(h.call('EvaluateCors', preflight), 'AccessForbidden', 403, 'CORSResponse: CORS is not enabled for this bucket.');
    await rejects(h.call('EvaluateCors', { ...preflight, Origin: undefined }), 'BadRequest', 400, 'Insufficient information. Origin request header needed.');
    await rejects(h.call('EvaluateCors', { ...preflight, Bucket: 'nope' }), 'AccessForbidden', 403, 'CORSResponse: Bucket not found');
    await rejects(
      h.call('PutBucketCors', { Bucket: 'conf', CORSConfiguration: { CORSRules: [{ AllowedOrigins: ['*'], AllowedMethods: ['MYMETHOD'] }] } }),
      'InvalidRequest',
      400,
      'Found unsupported HTTP method in CORS config. Unsupported method is MYMETHOD',
    );
    const rules = [
      { AllowedOrigins: ['https://*.example'], AllowedMethods: ['GET', 'PUT'], AllowedHeaders: ['x-amz-*'], ExposeHeaders: ['ETag'], MaxAgeSeconds: 3000 },
      { AllowedOrigins: ['*'], AllowedMethods: ['GET'] },
    ];
    await h.call('PutBucketCors', { Bucket: 'conf', CORSConfiguration: { CORSRules: rules } });
    assert.deepEqual(await h.call('GetBucketCors', { Bucket: 'conf' }), { CORSRules: rules });
    assert.deepEqual((await h.call('EvaluateCors', { ...preflight, RequestHeaders: 'X-Amz-Meta-A, x-amz-date' })).Headers, {
      'Access-Control-Allow-Origin': 'https://app.example',
      'Access-Control-Allow-Methods': 'GET, PUT',
      'Access-Control-Allow-Credentials': 'true',
      'Access-Control-Allow-Headers': 'x-amz-meta-a, x-amz-date',
      'Access-Control-Expose-Headers': 'ETag',
      'Access-Control-Max-Age': '3000',
      Vary: 'Origin, Access-Control-Request-Headers, Access-Control-Request-Method',
    });
    const star = (await h.call('EvaluateCors', { ...preflight, Origin: 'http://other', Method: 'GET' })).Headers;
    assert.equal(star['Access-Control-Allow-Origin'], '*');
    assert.equal(star['Access-Control-Allow-Credentials'], undefined);
    await rejects(h.call('EvaluateCors', { ...preflight, Origin: 'http://other' }), 'AccessForbidden', 403);
    // An actual request that matches nothing just gets no CORS headers.
    assert.deepEqual((await h.call('EvaluateCors', { Bucket: 'conf', Origin: 'http://other', Method: 'DELETE' })).Headers, {});
    await h.call('DeleteBucketCors', { Bucket: 'conf' });
    await rejects(h.call('GetBucketCors', { Bucket: 'conf' }), 'NoSuchCORSConfiguration');
  });

  it('validates versioning configurations', async () => {
    await rejects(h.call('PutBucketVersioning', { Bucket: 'conf', VersioningConfiguration: {} }), 'IllegalVersioningConfigurationException', 400, 'The Versioning element must be specified');
    await rejects(h.call('PutBucketVersioning', { Bucket: 'conf', VersioningConfiguration: { Status: 'enabled' } }), 'MalformedXML', 400);
    await rejects(h.call('PutBucketVersioning', { Bucket: 'conf', VersioningConfiguration: { Status: 'Disabled' } }), 'MalformedXML', 400);
    await h.call('PutBucketVersioning', { Bucket: 'conf', VersioningConfiguration: { Status: 'Suspended' } });
    assert.deepEqual(await h.call('GetBucketVersioning', { Bucket: 'conf' }), { Status: 'Suspended' });
    await rejects(h.call('GetBucketVersioning', { Bucket: 'missing-bucket' }), 'NoSuchBucket', 404);
  });

  it('stores website, logging, accelerate and request payment configurations', async () => {
    await rejects(h.call('GetBucketWebsite', { Bucket: 'conf' }), 'NoSuchWebsiteConfiguration', 404);
    await rejects(h.call('PutBucketWebsite', { Bucket: 'conf', WebsiteConfiguration: { IndexDocument: { Suffix: '/index.html' } } }), 'InvalidArgument', 400, 'The IndexDocument Suffix is not well formed');
    await h.call('PutBucketWebsite', { Bucket: 'conf', WebsiteConfiguration: { IndexDocument: { Suffix: 'index.html' } } });
    assert.deepEqual(await h.call('GetBucketWebsite', { Bucket: 'conf' }), { IndexDocument: { Suffix: 'index.html' } });
    await rejects(
      h.call('PutBucketLogging', { Bucket: 'conf', BucketLoggingStatus: { LoggingEnabled: { TargetBucket: 'nope', TargetPrefix: 'log' } } }),
      'InvalidTargetBucketForLogging',
      400,
    );
    await h.call('PutBucketLogging', { Bucket: 'conf', BucketLoggingStatus: { LoggingEnabled: { TargetBucket: 'conf', TargetPrefix: 'log' } } });
    assert.deepEqual(await h.call('GetBucketLogging', { Bucket: 'conf' }), { LoggingEnabled: { TargetBucket: 'conf', TargetPrefix: 'log' } });
    await h.call('PutBucketAccelerateConfiguration', { Bucket: 'conf', AccelerateConfiguration: { Status: 'Enabled' } });
    assert.deepEqual(await h.call('GetBucketAccelerateConfiguration', { Bucket: 'conf' }), { Status: 'Enabled' });
    await h.call('PutBucketRequestPayment', { Bucket: 'conf', RequestPaymentConfiguration: { Payer: 'Requester' } });
    assert.deepEqual(await h.call('GetBucketRequestPayment', { Bucket: 'conf' }), { Payer: 'Requester' });
  });
});
