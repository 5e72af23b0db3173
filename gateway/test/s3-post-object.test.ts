import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { PassThrough } from 'node:stream';
import { readFormData } from '../src/s3/form-data.js';
import { raw, startS3Fixture, xmlText as rawXmlText, type S3Fixture } from './s3-fixture.js';

/** An element's text with XML's escapes undone. */
const xmlText = (xml: string, name: string) =>
  rawXmlText(xml, name)?.replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

const BOUNDARY = '----stratus-form-boundary';
const md5hex = (s: string | Buffer) => createHash('md5').update(s).digest('hex');

/** A multipart/form-data body: fields in order, then the file (fields after it are S3's to ignore). */
function form(fields: Array<[string, string]>, file?: { name?: string; filename?: string; data: string | Buffer; type?: string }, after: Array<[string, string]> = []): Buffer {
  const parts: Buffer[] = [];
  const field = (name: string, value: string) =>
    parts.push(Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`));
  for (const [name, value] of fields) field(name, value);
  if (file) {
    parts.push(
      Buffer.from(
        `--${BOUNDARY}\r\nContent-Disposition: form-data; name="${file.name ?? 'file'}"; filename="${file.filename ?? 'upload.bin'}"\r\n` +
          `Content-Type: ${file.type ?? 'application/octet-stream'}\r\n\r\n`,
      ),
      Buffer.from(file.data),
      Buffer.from('\r\n'),
    );
  }
  for (const [name, value] of after) field(name, value);
  parts.push(Buffer.from(`--${BOUNDARY}--\r\n`));
  return Buffer.concat(parts);
}

function policy(conditions: unknown[], expiration = new Date(Date.now() + 3600_000).toISOString()): string {
  return Buffer.from(JSON.stringify({ expiration, conditions })).toString('base64');
}

function post(fx: S3Fixture, path: string, body: Buffer) {
  return raw(fx.port, 'POST', path, { headers: { 'content-type': `multipart/form-data; boundary=${BOUNDARY}`, 'content-length': body.length }, body });
}

describe('S3 browser POST uploads (multipart/form-data to a bucket)', () => {
  let fx: S3Fixture;
  before(async () => {
    fx = await startS3Fixture();
  });
  after(() => fx.close());

  const conditions = (bucket: string) => [{ bucket }, ['starts-with', '$key', 'up/'], ['starts-with', '$Content-Type', 'text/'], ['content-length-range', 0, 1024]];

  it('checks the policy, streams the file into a PutObject and answers 204 with the ETag', async () => {
    const body = form(
      [
        ['key', 'up/${filename}'],
        ['AWSAccessKeyId', 'AKIDEXAMPLE'],
        ['policy', policy([...conditions('alpha'), ['starts-with', '$x-amz-meta-color', ''], { acl: 'private' }])],
        ['signature', 'c2ln'],
        ['acl', 'private'],
        ['Content-Type', 'text/plain'],
        ['x-amz-meta-color', 'blue'],
        ['x-ignore-me', 'whatever'],
      ],
      { filename: 'hello.txt', data: 'hello form' },
      [['x-amz-meta-after', 'ignored: fields after the file do not count']],
    );
    const res = await post(fx, '/alpha', body);
    assert.equal(res.status, 204, res.text);
    assert.equal(res.headers.etag, `"${md5hex('hello form')}"`);
    assert.equal(res.headers.location, `http://127.0.0.1:${fx.port}/alpha/up/hello.txt`);
    const put = fx.last('PutObject').input;
    assert.equal(put.Bucket, 'alpha');
    assert.equal(put.Key, 'up/hello.txt');
    assert.equal(put.ContentType, 'text/plain');
    assert.equal(put.ACL, 'private');
    assert.deepEqual(put.Metadata, { color: 'blue' });
    assert.equal(put.Body.size, 10);
    const got = await raw(fx.port, 'GET', '/alpha/up/hello.txt');
    assert.equal(got.text, 'hello form');
  });

  it('answers success_action_status 201 with a PostResponse and follows success_action_redirect with 303', async () => {
    const created = await post(fx, '/alpha', form([['key', 'up/a'], ['success_action_status', '201']], { data: 'x' }));
    assert.equal(created.status, 201);
    assert.equal(xmlText(created.text, 'Key'), 'up/a');
    assert.equal(xmlText(created.text, 'Bucket'), 'alpha');
    assert.equal(xmlText(created.text, 'ETag'), `"${md5hex('x')}"`);
    const ignored = await post(fx, '/alpha', form([['key', 'up/b'], ['success_action_status', '404']], { data: 'x' }));
    assert.equal(ignored.status, 204);
    const redirect = await post(fx, '/alpha', form([['key', 'up/c'], ['success_action_redirect', 'http://example.com/done?x=1']], { data: 'x' }));
    assert.equal(redirect.status, 303);
    assert.equal(redirect.headers.location, `http://example.com/done?x=1&bucket=alpha&key=up%2Fc&etag=${encodeURIComponent(`"${md5hex('x')}"`)}`);
  });

  it('refuses forms S3 refuses', async () => {
    const cases: Array<[string, Buffer, number, string, RegExp?]> = [
      ['no key', form([['acl', 'private']], { data: 'x' }), 400, 'InvalidArgument', /must contain a field named 'key'/],
      ['no file', form([['key', 'up/x']]), 400, 'InvalidArgument', /exactly one file/],
      ['expired', form([['key', 'up/x'], ['policy', policy(conditions('alpha'), '2001-01-01T00:00:00Z')], ['Content-Type', 'text/plain']], { data: 'x' }), 403, 'AccessDenied', /Policy expired/],
      ['no expiration', form([['key', 'up/x'], ['policy', Buffer.from(JSON.stringify({ conditions: [] })).toString('base64')]], { data: 'x' }), 400, 'InvalidPolicyDocument'],
      ['bad expiration', form([['key', 'up/x'], ['policy', policy([], '2030-01-01 00:00:00+00:00')]], { data: 'x' }), 400, 'InvalidPolicyDocument'],
      ['no conditions', form([['key', 'up/x'], ['policy', Buffer.from(JSON.stringify({ expiration: '2099-01-01T00:00:00Z' })).toString('base64')]], { data: 'x' }), 400, 'InvalidPolicyDocument'],
      ['empty condition', form([['key', 'up/x'], ['policy', policy([{}])]], { data: 'x' }), 400, 'InvalidPolicyDocument'],
      ['bad range', form([['key', 'up/x'], ['policy', policy([['content-length-range', -1, 0]])]], { data: 'x' }), 400, 'InvalidPolicyDocument'],
      ['wrong bucket', form([['key', 'up/x'], ['policy', policy(conditions('beta'))], ['Content-Type', 'text/plain'], ['bucket', 'beta']], { data: 'x' }), 403, 'AccessDenied', /Condition failed/],
      ['failed condition', form([['key', 'other/x'], ['policy', policy(conditions('alpha'))], ['Content-Type', 'text/plain']], { data: 'x' }), 403, 'AccessDenied', /Condition failed/],
      ['extra field', form([['key', 'up/x'], ['policy', policy(conditions('alpha'))], ['Content-Type', 'text/plain'], ['x-amz-meta-foo', 'bar']], { data: 'x' }), 403, 'AccessDenied', /Extra input fields: x-amz-meta-foo/],
      ['too large', form([['key', 'up/x'], ['policy', policy([...conditions('alpha').slice(0, 3), ['content-length-range', 0, 2]])], ['Content-Type', 'text/plain']], { data: 'abc' }), 400, 'EntityTooLarge'],
      ['too small', form([['key', 'up/x'], ['policy', policy([...conditions('alpha').slice(0, 3), ['content-length-range', 5, 9]])], ['Content-Type', 'text/plain']], { data: 'abc' }), 400, 'EntityTooSmall'],
    ];
    for (const [name, body, status, code, message] of cases) {
      const res = await post(fx, '/alpha', body);
      assert.equal(res.status, status, `${name}: ${res.text}`);
      assert.equal(xmlText(res.text, 'Code'), code, name);
      if (message) assert.match(xmlText(res.text, 'Message') ?? '', message, name);
    }
    const truncated = form([['key', 'up/x']], { data: 'x' }).subarray(0, 60);
    const bad = await post(fx, '/alpha', truncated);
    assert.equal(xmlText(bad.text, 'Code'), 'MalformedPOSTRequest');
  });

  it('matches policy field names and operators case-insensitively', async () => {
    const p = policy([{ bUcKeT: 'alpha' }, ['StArTs-WiTh', '$KeY', 'up/'], ['eq', '$Content-Type', 'text/plain']]);
    const res = await post(fx, '/alpha', form([['key', 'up/ci'], ['policy', p], ['Content-Type', 'text/plain']], { data: 'x' }));
    assert.equal(res.status, 204, res.text);
  });

  it('streams a file larger than any read into the sink, split across chunks', async () => {
    const data = Buffer.alloc(300_000, 7);
    const body = form([['key', 'k']], { data });
    const source = new PassThrough();
    const reading = readFormData(source, BOUNDARY, async (_fields, file, stream) => {
      let size = 0;
      for await (const c of stream) size += (c as Buffer).length;
      return { size, filename: file.filename };
    });
    for (let i = 0; i < body.length; i += 997) source.write(body.subarray(i, i + 997));
    source.end();
    const out = await reading;
    assert.deepEqual(out.file?.result, { size: 300_000, filename: 'upload.bin' });
    assert.equal(out.fields.get('key'), 'k');
  });
});

describe('S3 wire details the conformance suite checks', () => {
  let fx: S3Fixture;
  before(async () => {
    fx = await startS3Fixture();
  });
  after(() => fx.close());

  it('ignores an Expect header it does not know instead of answering 417', async () => {
    for (const expect of ['200', '']) {
      const res = await raw(fx.port, 'PUT', '/alpha/expect', { headers: { expect, 'content-length': 1 }, body: 'x' });
      assert.equal(res.status, 200, `Expect: ${expect}`);
    }
  });

  it('refuses x-amz-server-side-encryption on operations that take none (GET, HEAD)', async () => {
    await raw(fx.port, 'PUT', '/alpha/sse', { headers: { 'content-length': 1, 'x-amz-server-side-encryption': 'AES256' }, body: 'x' });
    assert.equal(fx.last('PutObject').input.ServerSideEncryption, 'AES256');
    const get = await raw(fx.port, 'GET', '/alpha/sse', { headers: { 'x-amz-server-side-encryption': 'AES256' } });
    assert.equal(get.status, 400);
    assert.equal(xmlText(get.text, 'Code'), 'InvalidArgument');
    assert.equal(xmlText(get.text, 'Message'), 'x-amz-server-side-encryption header is not supported for this operation.');
    assert.equal(xmlText(get.text, 'ArgumentName'), 'x-amz-server-side-encryption');
    const head = await raw(fx.port, 'HEAD', '/alpha/sse', { headers: { 'x-amz-server-side-encryption': 'AES256' } });
    assert.equal(head.status, 400);
  });

  it("leaves CompleteMultipartUpload's x-amz-checksum-* (the object's) to the service", async () => {
    await raw(fx.port, 'PUT', '/alpha/mpu?partNumber=1&uploadId=upload-1', { headers: { 'content-length': 1 }, body: 'x' });
    const body = '<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>"e"</ETag></Part></CompleteMultipartUpload>';
    const composite = 'uWBwpe1dxI4Vw8Gf0X9ynOdw/SS6VBzfWm9giiv1sf4=-3';
    const res = await raw(fx.port, 'POST', '/alpha/mpu?uploadId=upload-1', { headers: { 'x-amz-checksum-sha256': composite }, body });
    assert.equal(res.status, 200, res.text);
    assert.equal(fx.last('CompleteMultipartUpload').input.ChecksumSHA256, composite);
  });

  it('writes HeadObject TagCount as x-amz-tagging-count', async () => {
    await raw(fx.port, 'PUT', '/alpha/tagged', { headers: { 'content-length': 1 }, body: 'x' });
    const res = await raw(fx.port, 'HEAD', '/alpha/tagged');
    assert.equal(res.status, 200);
    assert.equal(res.headers['x-amz-tagging-count'], '2');
  });
});
