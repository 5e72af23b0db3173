import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { AwsError } from '../src/errors.js';
import { loadModel, mergeSupplement } from '../src/protocols/model.js';
import { RestRouter } from '../src/protocols/rest-route.js';
import { toIso8601 } from '../src/protocols/timestamps.js';
import { encodeRestXmlError, encodeRestXmlResponse, headerSafe, restXmlRequest } from '../src/protocols/rest-xml.js';

const s3 = loadModel('s3-2006-03-01');

/** A request that carries everything an operation's template and required members ask for. */
function canonicalRequest(operation: string): { method: string; path: string; query: URLSearchParams; headers: Record<string, string> } {
  const op = s3.operation(operation)!;
  const [pathTemplate, queryTemplate] = op.http!.requestUri.split('?');
  const path = pathTemplate.replace(/\{(\w+)\+?\}/g, (_, label: string) => (label === 'Key' ? 'some/key' : 'bucket'));
  const query = new URLSearchParams(queryTemplate ?? '');
  const headers: Record<string, string> = {};
  for (const m of op.input?.members ?? []) {
    if (!op.input!.required.includes(m.name)) continue;
    if (m.location === 'querystring') query.set(m.locationName!, m.shape.type === 'integer' ? '1' : 'x');
    if (m.location === 'header') headers[m.locationName!.toLowerCase()] = 'x';
  }
  return { method: op.http!.method, path, query, headers };
}

describe('S3 model supplement', () => {
  it('adds members and root names the frozen model lacks', () => {
    const put = s3.operation('PutObject')!;
    assert.equal(put.input!.members.find((m) => m.name === 'ChecksumCRC64NVME')?.locationName, 'x-amz-checksum-crc64nvme');
    assert.equal(put.output!.members.find((m) => m.name === 'ChecksumType')?.location, 'header');
    assert.equal(s3.operation('ListObjectsV2')!.outputXmlName, 'ListBucketResult');
    assert.equal(s3.operation('GetBucketNotificationConfiguration')!.outputXmlName, 'NotificationConfiguration');
    assert.equal(s3.xmlNamespace, 'http://s3.amazonaws.com/doc/2006-03-01/');
  });

  it('merges objects key by key and replaces the rest', () => {
    assert.deepEqual(mergeSupplement({ a: { b: 1, c: [1] }, d: 2 }, { _comment: 'x', a: { c: [2], e: 3 } }), { a: { b: 1, c: [2], e: 3 }, d: 2 });
  });
});

describe('RestRouter over the S3 model', () => {
  const router = new RestRouter(s3, (op) => op.name !== 'WriteGetObjectResponse');
  // Operations another one supersedes on the same request (the SDKs name them with x-id).
  const superseded: Record<string, string> = {
    GetBucketLifecycle: 'GetBucketLifecycleConfiguration',
    PutBucketLifecycle: 'PutBucketLifecycleConfiguration',
    GetBucketNotification: 'GetBucketNotificationConfiguration',
    PutBucketNotification: 'PutBucketNotificationConfiguration',
    ListDirectoryBuckets: 'ListBuckets',
  };

  it('finds every operation from its own canonical request', () => {
    for (const name of s3.operationNames) {
      if (name === 'WriteGetObjectResponse') continue;
      const r = canonicalRequest(name);
      assert.equal(router.match(r.method, r.path, r.query, r.headers)?.operation, superseded[name] ?? name, name);
      r.query.set('x-id', name);
      assert.equal(router.match(r.method, r.path, r.query, r.headers)?.operation, name, `${name} by x-id`);
    }
  });

  it('tells the object operations apart by their query and header members', () => {
    const q = (s: string) => new URLSearchParams(s);
    assert.equal(router.match('PUT', '/b/k', q(''), {})?.operation, 'PutObject');
    assert.equal(router.match('PUT', '/b/k', q(''), { 'x-amz-copy-source': '/a/b' })?.operation, 'CopyObject');
    assert.equal(router.match('PUT', '/b/k', q('partNumber=1&uploadId=u'), {})?.operation, 'UploadPart');
    assert.equal(router.match('PUT', '/b/k', q('partNumber=1&uploadId=u'), { 'x-amz-copy-source': '/a/b' })?.operation, 'UploadPartCopy');
    assert.equal(router.match('GET', '/b/k', q('uploadId=u'), {})?.operation, 'ListParts');
    assert.equal(router.match('GET', '/b/k', q('versionId=v'), {})?.operation, 'GetObject');
    assert.equal(router.match('DELETE', '/b/k', q('uploadId=u'), {})?.operation, 'AbortMultipartUpload');
    assert.equal(router.match('GET', '/b', q('analytics'), {})?.operation, 'ListBucketAnalyticsConfigurations');
    assert.equal(router.match('GET', '/b', q('analytics&id=x'), {})?.operation, 'GetBucketAnalyticsConfiguration');
    assert.equal(router.match('GET', '/b', q('list-type=2'), {})?.operation, 'ListObjectsV2');
    assert.equal(router.match('GET', '/b', q('list-type=3'), {})?.operation, 'ListObjects');
    assert.equal(router.match('GET', '/', q(''), {})?.operation, 'ListBuckets');
    assert.equal(router.match('POST', '/b/k', q('uploads'), {})?.operation, 'CreateMultipartUpload');
    assert.equal(router.match('POST', '/b/k', q('uploadId=u'), {})?.operation, 'CompleteMultipartUpload');
  });

  it('decodes labels: a greedy key keeps slashes, a trailing slash after the bucket is the bucket', () => {
    const none = new URLSearchParams();
    assert.deepEqual(router.match('GET', '/b/a%2Fb/c%20d+e/', none, {}), { operation: 'GetObject', labels: { Bucket: 'b', Key: 'a/b/c d+e/' } });
    assert.deepEqual(router.match('GET', '/b//k', none, {})?.labels, { Bucket: 'b', Key: '/k' });
    assert.equal(router.match('GET', '/b/', none, {})?.operation, 'ListObjects');
    assert.equal(router.match('PATCH', '/b/k', none, {}), undefined);
  });
});

describe('rest-xml requests', () => {
  it('types members from headers, query and labels', () => {
    const plan = restXmlRequest(s3, 'GetObject');
    const input = plan.decodeParams({ Bucket: 'b', Key: 'k' }, new URLSearchParams('partNumber=3&response-content-type=text%2Fplain&versionId=v1'), {
      'if-modified-since': 'Wed, 01 May 2024 12:00:00 GMT',
      'if-unmodified-since': 'not a date',
      range: 'bytes=0-1',
      'x-amz-checksum-mode': 'ENABLED',
    });
    assert.deepEqual(input, {
      Bucket: 'b',
      Key: 'k',
      PartNumber: 3,
      ResponseContentType: 'text/plain',
      VersionId: 'v1',
      IfModifiedSince: Date.UTC(2024, 4, 1, 12),
      Range: 'bytes=0-1',
      ChecksumMode: 'ENABLED',
    });
    assert.equal(plan.body.kind, 'none');
  });

  it('collects prefixed headers into a map and splits header lists', () => {
    const put = restXmlRequest(s3, 'PutObject');
    assert.deepEqual(put.body, { kind: 'stream', member: 'Body' });
    const input = put.decodeParams({ Bucket: 'b', Key: 'k' }, new URLSearchParams(), {
      'x-amz-meta-a': '1',
      'x-amz-meta-b-c': 'two words',
      'content-length': '12',
      'x-amz-server-side-encryption-bucket-key-enabled': 'TRUE',
    });
    assert.deepEqual(input.Metadata, { a: '1', 'b-c': 'two words' });
    assert.equal(input.ContentLength, 12);
    assert.equal(input.BucketKeyEnabled, true);
    const attrs = restXmlRequest(s3, 'GetObjectAttributes').decodeParams({ Bucket: 'b', Key: 'k' }, new URLSearchParams(), {
      'x-amz-object-attributes': 'ETag, Checksum,ObjectSize',
      'x-amz-max-parts': '5',
    });
    assert.deepEqual(attrs.ObjectAttributes, ['ETag', 'Checksum', 'ObjectSize']);
    assert.equal(attrs.MaxParts, 5);
  });

  it('refuses values that are not of their type with InvalidArgument', () => {
    const plan = restXmlRequest(s3, 'ListObjectsV2');
    assert.throws(
      () => plan.decodeParams({ Bucket: 'b' }, new URLSearchParams('max-keys=ten'), {}),
      (e: AwsError) => e.code === 'InvalidArgument' && e.fields?.ArgumentName === 'max-keys' && e.fields?.ArgumentValue === 'ten',
    );
  });

  it('decodes XML payloads by the model, flattened lists included', () => {
    const plan = restXmlRequest(s3, 'CompleteMultipartUpload');
    assert.deepEqual(plan.body, { kind: 'xml', member: 'MultipartUpload', root: 'CompleteMultipartUpload', required: false });
    const input: Record<string, unknown> = {};
    plan.decodeBody(
      input,
      '<?xml version="1.0" encoding="UTF-8"?>\n<CompleteMultipartUpload xmlns="http://s3.amazonaws.com/doc/2006-03-01/">\n  <Part><ETag>"a"</ETag><PartNumber>1</PartNumber></Part>\n  <Part><ETag>"b"</ETag><PartNumber> 2 </PartNumber><ChecksumCRC64NVME>AAAAAAAAAAA=</ChecksumCRC64NVME></Part>\n</CompleteMultipartUpload>',
    );
    assert.deepEqual(input.MultipartUpload, {
      Parts: [
        { ETag: '"a"', PartNumber: 1 },
        { ETag: '"b"', PartNumber: 2, ChecksumCRC64NVME: 'AAAAAAAAAAA=' },
      ],
    });
    const one: Record<string, unknown> = {};
    plan.decodeBody(one, '<CompleteMultipartUpload><Part><PartNumber>1</PartNumber></Part></CompleteMultipartUpload>');
    assert.deepEqual(one.MultipartUpload, { Parts: [{ PartNumber: 1 }] }, 'a single flattened element is still a list');
  });

  it('keeps the whitespace of text, and answers schema violations with MalformedXML', () => {
    const plan = restXmlRequest(s3, 'DeleteObjects');
    const input: Record<string, unknown> = {};
    plan.decodeBody(input, '<Delete><Object><Key> spaced &amp; escaped </Key></Object><Quiet>true</Quiet></Delete>');
    assert.deepEqual(input.Delete, { Objects: [{ Key: ' spaced & escaped ' }], Quiet: true });
    for (const bad of ['', '<Delete></Delete>', '<Delete><Object/></Delete>', '<Delete><Quiet>maybe</Quiet><Object><Key>k</Key></Object></Delete>', '<Delete><Object><Key>k</Key></Object>']) {
      assert.throws(() => plan.decodeBody({}, bad), (e: AwsError) => e.code === 'MalformedXML', bad);
    }
  });

  it('takes string payloads as the body text', () => {
    const plan = restXmlRequest(s3, 'PutBucketPolicy');
    const input: Record<string, unknown> = {};
    plan.decodeBody(input, Buffer.from('{"Statement":[]}'));
    assert.equal(input.Policy, '{"Statement":[]}');
  });
});

describe('rest-xml responses', () => {
  it('writes header members, prefixed maps and the status', () => {
    const res = encodeRestXmlResponse(s3, 'HeadObject', {
      ContentLength: 10,
      LastModified: Date.UTC(2024, 4, 1, 12),
      ETag: '"e"',
      Metadata: { a: '1' },
      DeleteMarker: false,
      ObjectLockRetainUntilDate: Date.UTC(2030, 0, 1),
      ChecksumCRC64NVME: 'AAAAAAAAAAA=',
      ChecksumType: 'FULL_OBJECT',
      $status: 206,
    });
    assert.equal(res.status, 206);
    assert.equal(res.body, undefined);
    assert.deepEqual(res.headers, {
      'Content-Length': '10',
      'Last-Modified': 'Wed, 01 May 2024 12:00:00 GMT',
      ETag: '"e"',
      'x-amz-meta-a': '1',
      'x-amz-delete-marker': 'false',
      'x-amz-object-lock-retain-until-date': '2030-01-01T00:00:00.000Z',
      'x-amz-checksum-crc64nvme': 'AAAAAAAAAAA=',
      'x-amz-checksum-type': 'FULL_OBJECT',
    });
    assert.equal(encodeRestXmlResponse(s3, 'DeleteObject', {}).status, 204, "the operation's own code");
  });

  it('writes the output document under its root, with the S3 namespace', () => {
    const res = encodeRestXmlResponse(s3, 'ListParts', {
      Bucket: 'b',
      Key: 'k',
      UploadId: 'u',
      IsTruncated: false,
      Parts: [{ PartNumber: 1, Size: 5, ETag: '"x"', LastModified: Date.UTC(2024, 0, 1) }],
      AbortDate: Date.UTC(2024, 0, 2),
    });
    assert.equal(res.headers['x-amz-abort-date'], 'Tue, 02 Jan 2024 00:00:00 GMT');
    assert.equal(
      res.body,
      '<?xml version="1.0" encoding="UTF-8"?>\n<ListPartsResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Bucket>b</Bucket><Key>k</Key><UploadId>u</UploadId>' +
        '<IsTruncated>false</IsTruncated><Part><PartNumber>1</PartNumber><LastModified>2024-01-01T00:00:00.000Z</LastModified><ETag>&quot;x&quot;</ETag><Size>5</Size></Part></ListPartsResult>',
    );
  });

  it('escapes string values wherever they sit, and writes numbers, booleans and timestamps as they are', () => {
    const res = encodeRestXmlResponse(s3, 'ListParts', {
      Bucket: 'b',
      Key: `<&'"\r>`,
      // A number sent as text, and a value that is not a scalar at all, are escaped like any string.
      UploadId: ['<u>'],
      MaxParts: '<5>',
      IsTruncated: true,
      Parts: [{ PartNumber: 2, Size: 0, LastModified: new Date(Date.UTC(1969, 11, 31, 23, 59, 59, 7)) }],
    });
    assert.match(
      res.body!,
      /<Key>&lt;&amp;&apos;&quot;&#xD;&gt;<\/Key><UploadId>&lt;u&gt;<\/UploadId><MaxParts>&lt;5&gt;<\/MaxParts><IsTruncated>true<\/IsTruncated><Part><PartNumber>2<\/PartNumber><LastModified>1969-12-31T23:59:59.007Z<\/LastModified><Size>0<\/Size><\/Part>/,
    );
  });

  it('writes attributes and their namespaces (ACL grantees)', () => {
    const res = encodeRestXmlResponse(s3, 'GetObjectAcl', {
      Owner: { ID: 'o' },
      Grants: [{ Grantee: { Type: 'CanonicalUser', ID: 'o' }, Permission: 'READ' }],
    });
    assert.match(
      res.body!,
      /<AccessControlPolicy xmlns="http:\/\/s3.amazonaws.com\/doc\/2006-03-01\/"><Owner><ID>o<\/ID><\/Owner><AccessControlList><Grant><Grantee xmlns:xsi="http:\/\/www.w3.org\/2001\/XMLSchema-instance" xsi:type="CanonicalUser"><ID>o<\/ID><\/Grantee><Permission>READ<\/Permission><\/Grant><\/AccessControlList><\/AccessControlPolicy>$/,
    );
  });

  it('writes payload members as the whole body', () => {
    const copy = encodeRestXmlResponse(s3, 'CopyObject', { CopyObjectResult: { ETag: '"e"' }, VersionId: 'v' });
    assert.equal(copy.headers['x-amz-version-id'], 'v');
    assert.match(copy.body!, /<CopyObjectResult xmlns="http:\/\/s3.amazonaws.com\/doc\/2006-03-01\/"><ETag>&quot;e&quot;<\/ETag><\/CopyObjectResult>$/);
    assert.equal(encodeRestXmlResponse(s3, 'GetBucketPolicy', { Policy: '{}' }).body, '{}');
    const blob = { blob: { id: 'b', size: 1 } };
    assert.equal(encodeRestXmlResponse(s3, 'GetObject', { Body: blob }).stream, blob);
    assert.match(encodeRestXmlResponse(s3, 'GetBucketLocation', { LocationConstraint: 'eu-west-1' }).body!, /<LocationConstraint xmlns="[^"]+">eu-west-1<\/LocationConstraint>$/);
    assert.match(encodeRestXmlResponse(s3, 'GetBucketLocation', {}).body!, /<LocationConstraint xmlns="[^"]+"><\/LocationConstraint>$/);
  });

  it('writes the error document with fields', () => {
    const xml = encodeRestXmlError(
      new AwsError('NoSuchKey', 'The specified key does not exist.', 404, { fields: { Key: 'a<b', Nested: { A: 1 }, 'bad name': 'x' } }),
      'req',
      'host',
    );
    assert.equal(
      xml,
      '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message><Key>a&lt;b</Key><Nested><A>1</A></Nested><RequestId>req</RequestId><HostId>host</HostId></Error>',
    );
  });

  it('makes header values Node can send', () => {
    assert.equal(headerSafe('plain'), 'plain');
    assert.equal(headerSafe('caf\u00e9'), 'caf\u00e9', 'Latin-1 passes as is');
    assert.equal(headerSafe('a\u2014b'), Buffer.from('a\u2014b').toString('latin1'));
    assert.equal(headerSafe('a\r\nb'), 'ab');
  });
});

describe('toIso8601', () => {
  it('matches Date.prototype.toISOString for instants across days, years and 1970', () => {
    let ms = Date.UTC(1960, 0, 1);
    const end = Date.UTC(2100, 0, 1);
    // A step that is prime in ms lands on every field value: hours, minutes, seconds and milliseconds.
    for (; ms < end; ms += 3_456_789_013) {
      assert.equal(toIso8601(ms), new Date(ms).toISOString());
      assert.equal(toIso8601(new Date(ms + 999)), new Date(ms + 999).toISOString());
    }
    for (const edge of [0, -1, 86_399_999, 86_400_000, Date.UTC(2024, 1, 29, 23, 59, 59, 999), Date.UTC(10000, 0, 1), 8.64e15, -8.64e15, 1.5]) {
      assert.equal(toIso8601(edge), new Date(edge).toISOString(), String(edge));
    }
    assert.equal(toIso8601('2024-05-01T12:00:00Z'), '2024-05-01T12:00:00Z');
    assert.throws(() => toIso8601(Number.NaN), RangeError);
    assert.throws(() => toIso8601(8.64e15 + 1), RangeError);
  });
});
