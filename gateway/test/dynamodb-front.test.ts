import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { request as httpRequest, type IncomingHttpHeaders, type Server } from 'node:http';
import { crc32 } from 'node:zlib';
import { AwsError, Clock, ClockSync, LocalBus, createLogger, type CallContext } from '@stratus/shared';
import { createGateway } from '../src/index.js';

/** DynamoDB's HTTP front (src/dynamodb.ts), through a gateway with a fake `dynamodb` service. */

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

const AUTH = 'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20240101/eu-west-1/dynamodb/aws4_request, SignedHeaders=host;x-amz-date, Signature=abc';
const DATE = '20240101T000000Z';

describe('DynamoDB HTTP front', () => {
  let server: Server;
  let port = 0;
  const calls: { operation: string; input: unknown; ctx: CallContext }[] = [];

  before(async () => {
    const bus = new LocalBus();
    const clock = new Clock();
    await bus.serve('dynamodb', async (operation, input, ctx) => {
      calls.push({ operation, input, ctx });
      if (operation === 'ListTables') return { TableNames: ['a'] };
      if (operation === 'DeleteTable') throw new AwsError('ResourceNotFoundException', 'Requested resource not found', 400);
      return {};
    });
    server = createGateway({
      bus,
      logger: createLogger('silent'),
      clock,
      clockSync: new ClockSync(clock, bus),
      mode: 'embedded',
      services: ['dynamodb'],
      version: 'test',
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });

  after(async () => {
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeAllConnections();
    await closed;
  });

  function send(options: { method?: string; path?: string; headers?: Record<string, string>; body?: string }): Promise<Answer> {
    return new Promise((resolve, reject) => {
      const req = httpRequest(
        { host: '127.0.0.1', port, method: options.method ?? 'POST', path: options.path ?? '/', headers: options.headers },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
        },
      );
      req.on('error', reject);
      req.end(options.body);
    });
  }

  const signed = (target: string, extra: Record<string, string> = {}) => ({
    'x-amz-target': `DynamoDB_20120810.${target}`,
    authorization: AUTH,
    'x-amz-date': DATE,
    'content-type': 'application/x-amz-json-1.0',
    ...extra,
  });

  it('answers an operation with a 52-character request id, X-Amz-Crc32 and the request content type', async () => {
    const res = await send({ headers: signed('ListTables'), body: '{}' });
    assert.equal(res.status, 200);
    assert.deepEqual(JSON.parse(res.body), { TableNames: ['a'] });
    assert.match(String(res.headers['x-amzn-requestid']), /^[0-9A-Z]{52}$/);
    assert.equal(res.headers['x-amz-crc32'], String(crc32(Buffer.from(res.body))));
    assert.equal(res.headers['content-type'], 'application/x-amz-json-1.0');
    const last = calls.at(-1)!;
    assert.equal(last.ctx.region, 'eu-west-1');
    assert.equal(last.ctx.requestId, res.headers['x-amzn-requestid']);

    const json = await send({ headers: signed('ListTables', { 'content-type': 'application/json' }), body: '{}' });
    assert.equal(json.headers['content-type'], 'application/json');
  });

  it("encodes the service's errors in DynamoDB's namespace", async () => {
    const res = await send({ headers: signed('DeleteTable'), body: '{"TableName":"x"}' });
    assert.equal(res.status, 400);
    assert.deepEqual(JSON.parse(res.body), { __type: 'com.amazonaws.dynamodb.v20120810#ResourceNotFoundException', message: 'Requested resource not found' });
  });

  it('refuses unsigned requests and malformed signatures with Coral framework errors', async () => {
    const unsigned = await send({ headers: { 'x-amz-target': 'DynamoDB_20120810.ListTables', 'content-type': 'application/json' }, body: '{}' });
    assert.equal(unsigned.status, 400);
    assert.deepEqual(JSON.parse(unsigned.body), {
      __type: 'com.amazon.coral.service#MissingAuthenticationTokenException',
      message: 'Request is missing Authentication Token',
    });
    const both = await send({ path: '/?X-Amz-Algorithm', headers: signed('ListTables'), body: '{}' });
    assert.equal(JSON.parse(both.body).__type, 'com.amazon.coral.service#InvalidSignatureException');
    const incomplete = await send({ headers: signed('ListTables', { authorization: 'AWS4- Signature=b Credential=a' }), body: '{}' });
    assert.deepEqual(JSON.parse(incomplete.body), {
      __type: 'com.amazon.coral.service#IncompleteSignatureException',
      message: "Authorization header requires 'SignedHeaders' parameter. Authorization=AWS4- Signature=b Credential=a",
    });
  });

  it('reports a body that is not JSON before a bad target, and an empty body after the signature', async () => {
    const notJson = await send({ headers: { 'content-type': 'application/json', host: 'dynamodb.us-east-1.amazonaws.com' }, body: 'hi' });
    assert.equal(notJson.body, '{"__type":"com.amazon.coral.service#SerializationException"}');
    const badTarget = await send({ headers: signed('ListTable'), body: '{}' });
    assert.equal(badTarget.body, '{"__type":"com.amazon.coral.service#UnknownOperationException"}');
    const empty = await send({ headers: signed('ListTables') });
    assert.equal(empty.body, '{"__type":"com.amazon.coral.service#SerializationException"}');
  });

  it('answers other methods and content types on a DynamoDB host with 404, GET with its health line', async () => {
    const host = { host: 'dynamodb.us-east-1.amazonaws.com' };
    const put = await send({ method: 'PUT', headers: host });
    assert.equal(put.status, 404);
    assert.equal(put.body, '<UnknownOperationException/>\n');
    assert.equal(put.headers['x-amz-crc32'], '3552371480');
    const wrongType = await send({ headers: { ...host, 'content-type': 'application/x-amz-json-1.1' }, body: '{}' });
    assert.equal(wrongType.status, 404);
    const get = await send({ method: 'GET', headers: host });
    assert.equal(get.status, 200);
    assert.equal(get.body, 'healthy: dynamodb.us-east-1.amazonaws.com ');
  });

  it('allows any origin and answers CORS preflights', async () => {
    const preflight = await send({
      method: 'OPTIONS',
      headers: { origin: 'http://app.test', 'access-control-request-headers': 'x-amz-target, authorization', 'access-control-request-method': 'POST', host: 'dynamodb.us-east-1.amazonaws.com' },
    });
    assert.equal(preflight.status, 200);
    assert.equal(preflight.headers['access-control-allow-origin'], '*');
    assert.equal(preflight.headers['access-control-allow-headers'], 'x-amz-target, authorization');
    assert.equal(preflight.headers['access-control-allow-methods'], 'POST');
    assert.equal(preflight.headers['access-control-max-age'], '172800');
    const call = await send({ headers: signed('ListTables', { origin: 'http://app.test' }), body: '{}' });
    assert.equal(call.headers['access-control-allow-origin'], '*');
  });

  it('refuses a body over 16 MiB with an empty chunked 413', async () => {
    const res = await send({ headers: signed('ListTables'), body: 'a'.repeat(16 * 1024 * 1024 + 1) });
    assert.equal(res.status, 413);
    assert.equal(res.headers['transfer-encoding'], 'chunked');
    assert.equal(res.body, '');
  });

  it('leaves requests of other services alone', async () => {
    const res = await send({
      headers: { 'x-amz-target': 'AmazonSQS.ListQueues', 'content-type': 'application/x-amz-json-1.0', authorization: AUTH.replace('/dynamodb/', '/sqs/') },
      body: '{}',
    });
    assert.notEqual(res.headers['content-type'], 'application/json');
    assert.doesNotMatch(String(res.headers['x-amzn-requestid']), /^[0-9A-Z]{52}$/);
  });
});
