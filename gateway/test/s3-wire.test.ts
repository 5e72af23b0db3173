import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import { connect } from 'node:net';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { createLogger } from '@stratus/shared';
import { raw, startS3Fixture, xmlText, type S3Fixture } from './s3-fixture.js';

const md5 = (body: string | Buffer) => createHash('md5').update(body).digest('base64');
const crc32b64 = (body: Buffer) => {
  const out = Buffer.alloc(4);
  out.writeUInt32BE(crc32(body));
  return out.toString('base64');
};

describe('S3 wire over raw HTTP', () => {
  let fx: S3Fixture;
  before(async () => {
    fx = await startS3Fixture();
  });
  after(() => fx.close());

  describe('addressing', () => {
    it('takes the bucket from virtual-hosted Host headers', async () => {
      for (const [host, bucket] of [
        ['alpha.s3.localhost', 'alpha'],
        ['alpha.localhost', 'alpha'],
        ['my.dotted.bucket.s3.us-east-1.localhost', 'my.dotted.bucket'],
        ['beta.s3.eu-west-1.amazonaws.com', 'beta'],
        ['gamma.s3.amazonaws.com', 'gamma'],
        ['delta.s3.localhost.localstack.cloud', 'delta'],
      ]) {
        const res = await raw(fx.port, 'GET', '/?list-type=2&prefix=p', { headers: { host: `${host}:${fx.port}` } });
        assert.equal(res.status, 200, host);
        assert.equal(fx.last('ListObjectsV2').input.Bucket, bucket, host);
        assert.equal(fx.last('ListObjectsV2').input.Prefix, 'p');
      }
      await raw(fx.port, 'PUT', '/a/b%2Fc%20d+e', { headers: { host: `alpha.s3.localhost:${fx.port}`, 'content-length': 1 }, body: 'x' });
      assert.deepEqual([fx.last('PutObject').input.Bucket, fx.last('PutObject').input.Key], ['alpha', 'a/b/c d+e']);
    });

    it('treats endpoint hosts and IPs as path-style', async () => {
      for (const host of ['s3.localhost', 'localhost', 's3.us-east-1.amazonaws.com', '127.0.0.1', 'stratus', 'localhost.localstack.cloud']) {
        const res = await raw(fx.port, 'GET', '/', { headers: { host: `${host}:${fx.port}` } });
        assert.equal(res.status, 200, host);
        assert.match(res.text, /<ListAllMyBucketsResult xmlns="http:\/\/s3.amazonaws.com\/doc\/2006-03-01\/">/);
      }
      await raw(fx.port, 'GET', '/alpha/dir/sub/', { headers: { host: `localhost:${fx.port}` } });
      assert.deepEqual([fx.last('GetObject').input.Bucket, fx.last('GetObject').input.Key], ['alpha', 'dir/sub/']);
      await raw(fx.port, 'GET', '/alpha/', {});
      assert.equal(fx.last('ListObjects').input.Bucket, 'alpha');
    });

    it('refuses a path that is not valid percent-encoding', async () => {
      const res = await raw(fx.port, 'GET', '/alpha/%E0%A4%A', {});
      assert.equal(res.status, 400);
      assert.equal(xmlText(res.text, 'Code'), 'InvalidURI');
    });

    it('answers an unknown method with MethodNotAllowed', async () => {
      const res = await raw(fx.port, 'PATCH', '/alpha/key', {});
      assert.equal(res.status, 405);
      assert.equal(xmlText(res.text, 'Code'), 'MethodNotAllowed');
      assert.equal(xmlText(res.text, 'Method'), 'PATCH');
      assert.equal(xmlText(res.text, 'ResourceType'), 'OBJECT');
    });
  });

  describe('errors', () => {
    it('writes the S3 error document with the fields and request ids', async () => {
      const res = await raw(fx.port, 'GET', '/alpha/missing-key', {});
      assert.equal(res.status, 404);
      assert.equal(res.headers['content-type'], 'application/xml');
      assert.equal(res.headers['x-amz-delete-marker'], 'false', "the error's headers");
      assert.match(res.text, /^<\?xml version="1.0" encoding="UTF-8"\?>\n<Error><Code>NoSuchKey<\/Code><Message>The specified key does not exist.<\/Message><Key>missing-key<\/Key><RequestId>/);
      assert.equal(xmlText(res.text, 'RequestId'), res.headers['x-amz-request-id']);
      assert.equal(xmlText(res.text, 'HostId'), res.headers['x-amz-id-2']);
    });

    it('sends no body for HEAD errors and 304', async () => {
      const head = await raw(fx.port, 'HEAD', '/alpha/missing-key', {});
      assert.equal(head.status, 404);
      assert.equal(head.body.length, 0);
      await raw(fx.port, 'PUT', '/alpha/etagged', { headers: { 'content-length': 3 }, body: 'abc' });
      const etag = `"${createHash('md5').update('abc').digest('hex')}"`;
      const notModified = await raw(fx.port, 'GET', '/alpha/etagged', { headers: { 'if-none-match': etag } });
      assert.equal(notModified.status, 304);
      assert.equal(notModified.body.length, 0);
      assert.equal(notModified.headers.etag, etag);
    });

    it('accepts SigV2 Authorization headers and takes the account from the key', async () => {
      const res = await raw(fx.port, 'GET', '/alpha/etagged', { headers: { authorization: 'AWS 111122223333:c2lnbmF0dXJl', date: new Date().toUTCString() } });
      assert.equal(res.status, 200);
      assert.equal(res.text, 'abc');
      assert.equal(fx.last('GetObject').ctx.account, '111122223333');
      assert.equal(fx.last('GetObject').ctx.accessKeyId, '111122223333');
    });

    it('leaves JSON-protocol requests to their service', async () => {
      const res = await raw(fx.port, 'POST', '/', {
        headers: { 'x-amz-target': 'AmazonSQS.ListQueues', 'content-type': 'application/x-amz-json-1.0' },
        body: '{}',
      });
      assert.equal(res.status, 503);
      assert.match(String(res.headers['content-type']), /json/);
    });
  });

  describe('document bodies', () => {
    it('answers malformed or foreign XML with MalformedXML', async () => {
      for (const body of ['<Tagging><TagSet><Tag><Key>a</Key>', '<Other><TagSet/></Other>', 'not xml', '<Tagging><TagSet><Tag><Key>a</Key></Tag></TagSet></Tagging>']) {
        const res = await raw(fx.port, 'PUT', '/alpha?tagging', { headers: { 'content-md5': md5(body) }, body });
        assert.equal(res.status, 400, body);
        assert.equal(xmlText(res.text, 'Code'), 'MalformedXML', body);
        assert.equal(xmlText(res.text, 'Message'), 'The XML you provided was not well-formed or did not validate against our published schema');
      }
      const dtd = '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><Tagging><TagSet><Tag><Key>&a;</Key><Value>v</Value></Tag></TagSet></Tagging>';
      const res = await raw(fx.port, 'PUT', '/alpha?tagging', { headers: { 'content-md5': md5(dtd) }, body: dtd });
      assert.equal(xmlText(res.text, 'Code'), 'MalformedXML');
    });

    it('checks Content-MD5 and x-amz-checksum-* of document bodies, and requires one where the model does', async () => {
      const body = '<Delete><Object><Key>k</Key></Object></Delete>';
      const none = await raw(fx.port, 'POST', '/alpha?delete', { body });
      assert.equal(none.status, 400);
      assert.equal(xmlText(none.text, 'Code'), 'InvalidRequest');
      const bad = await raw(fx.port, 'POST', '/alpha?delete', { headers: { 'content-md5': md5('other') }, body });
      assert.equal(xmlText(bad.text, 'Code'), 'BadDigest');
      const invalid = await raw(fx.port, 'POST', '/alpha?delete', { headers: { 'content-md5': 'MTIz' }, body });
      assert.equal(xmlText(invalid.text, 'Code'), 'InvalidDigest');
      const badCrc = await raw(fx.port, 'POST', '/alpha?delete', { headers: { 'x-amz-checksum-crc32': 'AAAAAA==' }, body });
      assert.equal(xmlText(badCrc.text, 'Code'), 'BadDigest');
      const ok = await raw(fx.port, 'POST', '/alpha?delete', { headers: { 'x-amz-checksum-crc32': crc32b64(Buffer.from(body)) }, body });
      assert.equal(ok.status, 200);
      assert.match(ok.text, /<DeleteResult xmlns="http:\/\/s3.amazonaws.com\/doc\/2006-03-01\/"><Deleted><Key>k<\/Key><\/Deleted><\/DeleteResult>/);
    });

    it('decodes documents with namespaces, attributes and empty elements', async () => {
      const body =
        '<AccessControlPolicy xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Owner><ID>o</ID></Owner><AccessControlList>' +
        '<Grant><Grantee xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="Group"><URI>http://acs.amazonaws.com/groups/global/AllUsers</URI></Grantee><Permission>READ</Permission></Grant>' +
        '</AccessControlList></AccessControlPolicy>';
      const res = await raw(fx.port, 'PUT', '/alpha/obj?acl', { headers: { 'content-md5': md5(body) }, body });
      assert.equal(res.status, 200, res.text);
      assert.deepEqual(fx.last('PutObjectAcl').input.AccessControlPolicy, {
        Owner: { ID: 'o' },
        Grants: [{ Grantee: { Type: 'Group', URI: 'http://acs.amazonaws.com/groups/global/AllUsers' }, Permission: 'READ' }],
      });
    });
  });

  describe('object bodies', () => {
    it('decodes signed aws-chunked bodies with a signed trailer', async () => {
      const a = Buffer.alloc(8192, 'a');
      const b = Buffer.from('tail bytes');
      const sig = 'ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648';
      const framed = Buffer.concat([
        Buffer.from(`${a.length.toString(16)};chunk-signature=${sig}\r\n`),
        a,
        Buffer.from(`\r\n${b.length.toString(16)};chunk-signature=${sig}\r\n`),
        b,
        Buffer.from(`\r\n0;chunk-signature=${sig}\r\nx-amz-checksum-crc32:${crc32b64(Buffer.concat([a, b]))}\r\nx-amz-trailer-signature:${sig}\r\n\r\n`),
      ]);
      const res = await raw(fx.port, 'PUT', '/alpha/chunked', {
        headers: {
          'content-encoding': 'aws-chunked,gzip',
          'x-amz-content-sha256': 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER',
          'x-amz-decoded-content-length': a.length + b.length,
          'x-amz-trailer': 'x-amz-checksum-crc32',
          'content-length': framed.length,
        },
        body: framed,
      });
      assert.equal(res.status, 200, res.text);
      const input = fx.last('PutObject').input;
      assert.equal(input.Body.size, a.length + b.length);
      assert.equal(input.ChecksumCRC32, crc32b64(Buffer.concat([a, b])));
      assert.equal(input.ContentEncoding, 'gzip', 'only the aws-chunked coding is removed');
      assert.equal(res.headers['x-amz-checksum-crc32'], input.ChecksumCRC32);
    });

    it('refuses broken aws-chunked framing with IncompleteBody', async () => {
      const res = await raw(fx.port, 'PUT', '/alpha/broken', {
        headers: { 'content-encoding': 'aws-chunked', 'x-amz-content-sha256': 'STREAMING-UNSIGNED-PAYLOAD-TRAILER', 'x-amz-decoded-content-length': 5 },
        body: '5\r\nabc',
      });
      assert.equal(res.status, 400);
      assert.equal(xmlText(res.text, 'Code'), 'IncompleteBody');
    });

    it('checks a hex x-amz-content-sha256 against the body', async () => {
      const res = await raw(fx.port, 'PUT', '/alpha/sha', {
        headers: { 'x-amz-content-sha256': createHash('sha256').update('other').digest('hex'), 'content-length': 4 },
        body: 'body',
      });
      assert.equal(res.status, 400);
      assert.equal(xmlText(res.text, 'Code'), 'XAmzContentSHA256Mismatch');
      assert.equal(xmlText(res.text, 'S3ComputedContentSHA256'), createHash('sha256').update('body').digest('hex'));
      const ok = await raw(fx.port, 'PUT', '/alpha/sha', {
        headers: { 'x-amz-content-sha256': createHash('sha256').update('body').digest('hex'), 'content-length': 4 },
        body: 'body',
      });
      assert.equal(ok.status, 200);
      assert.equal(fx.last('PutObject').input.Body.checksums.SHA256, undefined, 'a SHA-256 computed only to check the header is not a declared checksum');
      assert.ok(fx.last('PutObject').input.Body.checksums.CRC64NVME, "S3's default checksum when the request declares none");
    });

    it('streams ranges from the blob store with Content-Length and Content-Range', async () => {
      const body = Buffer.from('0123456789'.repeat(10_000));
      await raw(fx.port, 'PUT', '/alpha/digits', { headers: { 'content-length': body.length }, body });
      const res = await raw(fx.port, 'GET', '/alpha/digits', { headers: { range: 'bytes=99990-' } });
      assert.equal(res.status, 206);
      assert.equal(res.headers['content-length'], '10');
      assert.equal(res.headers['content-range'], `bytes 99990-99999/${body.length}`);
      assert.equal(res.text, '0123456789');
      const head = await raw(fx.port, 'HEAD', '/alpha/digits', {});
      assert.equal(head.status, 200);
      assert.equal(head.headers['content-length'], String(body.length));
      assert.equal(head.body.length, 0);
      assert.equal(head.headers['last-modified'], 'Wed, 01 May 2024 12:00:00 GMT');
    });
  });

  describe('presigned URLs', () => {
    let s3: S3Client;
    before(() => {
      s3 = new S3Client({ endpoint: fx.endpoint, region: 'us-east-1', forcePathStyle: true, credentials: { accessKeyId: 'AKID', secretAccessKey: 's' } });
    });
    after(() => s3.destroy());

    it('serves a SigV4 presigned GET until it expires on the shared clock', async () => {
      await raw(fx.port, 'PUT', '/alpha/presigned', { headers: { 'content-length': 2 }, body: 'hi' });
      const url = new URL(await getSignedUrl(s3, new GetObjectCommand({ Bucket: 'alpha', Key: 'presigned' }), { expiresIn: 60 }));
      const path = url.pathname + url.search;
      const ok = await raw(fx.port, 'GET', path, {});
      assert.equal(ok.status, 200);
      assert.equal(ok.text, 'hi');
      fx.clock.advance(61_000);
      try {
        const expired = await raw(fx.port, 'GET', path, {});
        assert.equal(expired.status, 403);
        assert.equal(xmlText(expired.text, 'Code'), 'AccessDenied');
        assert.equal(xmlText(expired.text, 'Message'), 'Request has expired');
        assert.equal(xmlText(expired.text, 'X-Amz-Expires'), '60');
        assert.match(xmlText(expired.text, 'Expires') ?? '', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
        assert.match(xmlText(expired.text, 'ServerTime') ?? '', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
      } finally {
        fx.clock.reset();
      }
    });

    it('honours x-amz-* parameters of a presigned PUT as headers', async () => {
      const url = new URL(
        await getSignedUrl(s3, new PutObjectCommand({ Bucket: 'alpha', Key: 'up', ContentType: 'text/plain', Metadata: { m: '1' } }), { expiresIn: 60 }),
      );
      const body = Buffer.from('uploaded');
      const res = await raw(fx.port, 'PUT', url.pathname + url.search, { headers: { 'content-length': body.length, 'content-type': 'text/plain' }, body });
      const input = fx.last('PutObject').input;
      assert.equal(res.status, 200, res.text);
      assert.equal(input.Key, 'up');
      assert.equal(input.Body.size, body.length);
      if (url.searchParams.has('x-amz-checksum-crc32')) assert.equal(input.ChecksumCRC32, url.searchParams.get('x-amz-checksum-crc32'));
      if (url.searchParams.has('x-amz-meta-m')) assert.deepEqual(input.Metadata, { m: '1' });
    });

    it('refuses an expired SigV2 presigned URL and a too long X-Amz-Expires', async () => {
      const now = Math.floor(Date.now() / 1000);
      const expired = await raw(fx.port, 'GET', `/alpha/presigned?AWSAccessKeyId=AKID&Expires=${now - 10}&Signature=abc%3D`, {});
      assert.equal(expired.status, 403);
      assert.equal(xmlText(expired.text, 'Message'), 'Request has expired');
      assert.equal(xmlText(expired.text, 'X-Amz-Expires'), undefined);
      const valid = await raw(fx.port, 'GET', `/alpha/presigned?AWSAccessKeyId=AKID&Expires=${now + 100}&Signature=abc%3D`, {});
      assert.equal(valid.status, 200);
      const week = await raw(fx.port, 'GET', '/alpha/presigned?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKID%2F20240101%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20240101T000000Z&X-Amz-Expires=604801&X-Amz-SignedHeaders=host&X-Amz-Signature=00', {});
      assert.equal(week.status, 400);
      assert.equal(xmlText(week.text, 'Code'), 'AuthorizationQueryParametersError');
    });
  });

  describe('CORS (the S3 service evaluates, the gateway asks and writes)', () => {
    it('needs an Origin on preflights', async () => {
      const res = await raw(fx.port, 'OPTIONS', '/cors/key', { headers: { 'access-control-request-method': 'GET' } });
      assert.equal(res.status, 400);
      assert.equal(xmlText(res.text, 'Code'), 'BadRequest');
      assert.equal(xmlText(res.text, 'Message'), 'Insufficient information. Origin request header needed.');
    });

    it('answers an allowed preflight with the headers the service gives, and an empty body', async () => {
      const res = await raw(fx.port, 'OPTIONS', '/cors/dir/a%20key', {
        headers: { origin: 'https://app.example.com', 'access-control-request-method': 'PUT', 'access-control-request-headers': 'Content-Type, X-Amz-Meta-A' },
      });
      assert.deepEqual(fx.last('EvaluateCors').input, {
        Bucket: 'cors',
        Key: 'dir/a key',
        Origin: 'https://app.example.com',
        Method: 'PUT',
        RequestHeaders: 'Content-Type, X-Amz-Meta-A',
        Preflight: true,
      });
      assert.equal(res.status, 200);
      assert.equal(res.body.length, 0);
      assert.equal(res.headers['content-length'], '0');
      assert.equal(res.headers['content-type'], undefined);
      assert.equal(res.headers['access-control-allow-origin'], 'https://app.example.com');
      assert.equal(res.headers['access-control-allow-methods'], 'GET, PUT');
      assert.equal(res.headers['access-control-allow-headers'], 'content-type, x-amz-meta-a');
      assert.ok(res.headers['x-amz-request-id']);
    });

    it("writes the service's refusals as S3 errors", async () => {
      const denied = await raw(fx.port, 'OPTIONS', '/cors/key', { headers: { origin: 'https://evil.example', 'access-control-request-method': 'PUT' } });
      assert.equal(denied.status, 403);
      assert.equal(xmlText(denied.text, 'Code'), 'AccessForbidden');
      assert.equal(xmlText(denied.text, 'Method'), 'PUT');
      assert.equal(xmlText(denied.text, 'ResourceType'), 'OBJECT');
      const off = await raw(fx.port, 'OPTIONS', '/alpha', { headers: { origin: 'https://app.example.com', 'access-control-request-method': 'GET' } });
      assert.equal(off.status, 403);
      assert.equal(xmlText(off.text, 'Message'), 'CORSResponse: CORS is not enabled for this bucket.');
      const missing = await raw(fx.port, 'OPTIONS', '/missing', { headers: { origin: 'https://app.example.com' } });
      assert.equal(xmlText(missing.text, 'Message'), 'CORSResponse: Bucket not found');
      assert.equal(xmlText(missing.text, 'Method'), 'OPTIONS', 'a preflight without Access-Control-Request-Method');
      const vhost = await raw(fx.port, 'OPTIONS', '/obj', { headers: { host: `cors.s3.localhost:${fx.port}`, origin: 'https://app.example.com', 'access-control-request-method': 'GET' } });
      assert.equal(vhost.status, 200);
      assert.deepEqual([fx.last('EvaluateCors').input.Bucket, fx.last('EvaluateCors').input.Key], ['cors', 'obj']);
    });

    it('adds CORS headers to requests that carry an Origin, errors included', async () => {
      await raw(fx.port, 'PUT', '/cors/obj', { headers: { 'content-length': 1, origin: 'https://app.example.com' }, body: 'x' });
      const res = await raw(fx.port, 'GET', '/cors/obj', { headers: { origin: 'https://app.example.com' } });
      assert.equal(res.status, 200);
      assert.equal(fx.last('EvaluateCors').input.Preflight, false);
      assert.equal(fx.last('EvaluateCors').input.Method, 'GET');
      assert.equal(res.headers['access-control-allow-origin'], 'https://app.example.com');
      assert.equal(res.headers['access-control-allow-methods'], 'GET, PUT');
      const missingKey = await raw(fx.port, 'GET', '/cors/nothing-here', { headers: { origin: 'https://app.example.com' } });
      assert.equal(missingKey.status, 404);
      assert.equal(missingKey.headers['access-control-allow-origin'], 'https://app.example.com');
      const other = await raw(fx.port, 'GET', '/cors/obj', { headers: { origin: 'https://evil.example' } });
      assert.equal(other.headers['access-control-allow-origin'], undefined);
      const calls = fx.calls.length;
      await raw(fx.port, 'GET', '/cors/obj', {});
      assert.equal(fx.calls.length, calls + 1, 'no CORS work without an Origin');
    });
  });

  it('asks for a Content-Length on plain object bodies', async () => {
    const res = await new Promise<{ status: number; text: string }>((resolve, reject) => {
      // A body with neither Content-Length nor Transfer-Encoding: written by hand on a socket.
      import('node:net').then(({ connect }) => {
        const socket = connect(fx.port, '127.0.0.1', () => socket.write('PUT /alpha/nolength HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n'));
        let data = '';
        socket.on('data', (d) => (data += d.toString()));
        socket.on('end', () => resolve({ status: Number(data.split(' ')[1]), text: data }));
        socket.on('error', reject);
      }, reject);
    });
    assert.equal(res.status, 411);
    assert.match(res.text, /<Code>MissingContentLength<\/Code>/);
  });
});

describe('S3 wire: a client that hangs up mid-body', () => {
  it('is logged as the client going away, not as a server error, and leaves nothing in the store', async () => {
    const lines: Array<{ level: number; msg: string }> = [];
    const fx = await startS3Fixture({ logger: createLogger('info', 'test', { write: (line) => void lines.push(JSON.parse(line)) }) });
    try {
      await new Promise<void>((resolve, reject) => {
        const socket = connect(fx.port, '127.0.0.1', () => {
          socket.write('PUT /alpha/cut HTTP/1.1\r\nHost: localhost\r\nContent-Length: 1000000\r\n\r\n');
          socket.write(Buffer.alloc(100_000, 'x'), () => setTimeout(() => socket.destroy(), 50));
        });
        socket.on('close', () => resolve());
        socket.on('error', reject);
      });
      // The gateway notices the hang-up on its next read.
      for (let i = 0; i < 100 && !lines.some((l) => l.msg.includes('closed the connection')); i++) await new Promise((r) => setTimeout(r, 10));
      assert.deepEqual(
        lines.filter((l) => l.level >= 40 || l.msg.includes('closed the connection')).map((l) => [l.level, l.msg]),
        [[30, 's3 client closed the connection mid-request']],
      );
      assert.equal(fx.calls.filter((c) => c.operation === 'PutObject').length, 0);
      assert.deepEqual(await readdir(join(fx.blobs.root, 'tmp')), []);
    } finally {
      await fx.close();
    }
  });
});
