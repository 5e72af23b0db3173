import { after, afterEach, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { startEmbedded, type RunningStratus } from '@stratus/cli';
import { uniqueName } from '../src/clients.js';
import { QueryClient, parseXml, sigv4Headers, uriEncode, type SigningOptions } from '../src/query-client.js';

/**
 * Requests no SDK would send, through raw HTTP: broken or mistyped JSON, unknown operations, bad query
 * parameters, oversized bodies, bad attribute values and message contents, invalid receipt handles.
 * Each must be answered with a 4xx in the shape its protocol's clients parse (JSON: `__type`, a
 * message and `x-amzn-query-error`; query: `<ErrorResponse>`), and the server must go on serving: after
 * each test a good JSON call and a good query call must succeed.
 *
 * Expected codes and messages: the SQS API reference (common errors: MissingAction 400, InvalidAction
 * 400), the Smithy model's error traits (ReceiptHandleIsInvalid 404), the `[sqs]` recordings in
 * aws-oracle/sqs and LocalStack's AWS-validated tests (test names cited), and for Coral's
 * SerializationException wording the sources in shared/src/protocols/json-type-errors.ts.
 */

const SIGNING: SigningOptions = { accessKeyId: 'test', secretAccessKey: 'test', region: 'us-east-1', service: 'sqs' };
const QUERY_ERROR = /^[A-Za-z.]+;(Sender|Receiver)$/;

interface RawResponse {
  status: number;
  headers: Headers;
  text: string;
}

function headersOf(res: http.IncomingMessage): Headers {
  const h = new Headers();
  for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) h.set(k, Array.isArray(v) ? v.join(', ') : v);
  return h;
}

describe('malformed and invalid requests', () => {
  let stratus: RunningStratus;
  let endpoint: string;
  let queueUrl: string;
  let queueName: string;
  let q: QueryClient;

  /** A signed AWS JSON 1.0 request with any body text and target. */
  async function jsonRequest(target: string | undefined, body: string, extraHeaders: Record<string, string> = {}): Promise<RawResponse> {
    const url = new URL(`${endpoint}/`);
    const headers: Record<string, string> = { 'content-type': 'application/x-amz-json-1.0', ...extraHeaders };
    if (target !== undefined) headers['x-amz-target'] = target;
    Object.assign(headers, sigv4Headers(SIGNING, { method: 'POST', url, headers, body }));
    const res = await fetch(url, { method: 'POST', headers, body });
    return { status: res.status, headers: res.headers, text: await res.text() };
  }

  /** A signed form POST with this exact body text. */
  async function formRequest(body: string, path = '/'): Promise<RawResponse> {
    const url = new URL(path, `${endpoint}/`);
    const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' };
    Object.assign(headers, sigv4Headers(SIGNING, { method: 'POST', url, headers, body }));
    const res = await fetch(url, { method: 'POST', headers, body });
    return { status: res.status, headers: res.headers, text: await res.text() };
  }

  const form = (params: Record<string, string>) =>
    Object.entries(params)
      .map(([k, v]) => `${uriEncode(k)}=${uriEncode(v)}`)
      .join('&');

  /**
   * Asserts an AWS JSON error: status, `__type` ending in `#code` (in `namespace` when given), the
   * message (`message`, or `Message` for Coral's own errors) and `x-amzn-query-error`.
   */
  function expectJsonError(res: RawResponse, status: number, code: string, message?: string | RegExp, namespace?: string): Record<string, unknown> {
    assert.equal(res.status, status, `expected HTTP ${status} ${code}, got ${res.status}: ${res.text}`);
    assert.equal(res.headers.get('content-type'), 'application/x-amz-json-1.0');
    assert.ok(res.headers.get('x-amzn-requestid'), 'an error carries a request id');
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(res.text) as Record<string, unknown>;
    } catch {
      assert.fail(`error body is not JSON: ${res.text}`);
    }
    assert.equal(typeof body.__type, 'string', res.text);
    const [ns, shape] = (body.__type as string).split('#');
    assert.equal(shape, code, res.text);
    if (namespace) assert.equal(ns, namespace, res.text);
    const text = (body.message ?? body.Message) as string | undefined;
    if (typeof message === 'string') assert.equal(text, message, res.text);
    else if (message) assert.match(text ?? '', message, res.text);
    assert.match(res.headers.get('x-amzn-query-error') ?? '', QUERY_ERROR, 'x-amzn-query-error names the legacy code and fault');
    return body;
  }

  /** Asserts a query `<ErrorResponse>`: status, Type, Code, Message. */
  function expectXmlError(res: RawResponse, status: number, code: string, message?: string | RegExp): void {
    assert.equal(res.status, status, `expected HTTP ${status} ${code}, got ${res.status}: ${res.text}`);
    assert.match(res.headers.get('content-type') ?? '', /^text\/xml/);
    const doc = parseXml(res.text);
    const error = doc.ErrorResponse?.Error;
    assert.ok(error, `no <ErrorResponse><Error>: ${res.text}`);
    assert.equal(error.Type, 'Sender', res.text);
    assert.equal(error.Code, code, res.text);
    if (typeof message === 'string') assert.equal(error.Message, message, res.text);
    else if (message) assert.match(error.Message ?? '', message, res.text);
    assert.ok(doc.ErrorResponse.RequestId, 'an error carries a RequestId');
  }

  before(async () => {
    stratus = await startEmbedded({ port: 0, logLevel: 'silent', dataDir: undefined, redisUrl: undefined, natsUrl: undefined });
    endpoint = stratus.endpoint;
    q = new QueryClient({ endpoint });
    queueName = uniqueName('malformed');
    queueUrl = (await q.call('CreateQueue', { QueueName: queueName })).QueueUrl;
  });
  after(() => stratus.close());

  // The server keeps serving both protocols after whatever the test sent.
  afterEach(async () => {
    const json = await jsonRequest('AmazonSQS.GetQueueUrl', JSON.stringify({ QueueName: queueName }));
    assert.equal(json.status, 200, `JSON call after the test: ${json.status} ${json.text}`);
    assert.deepEqual(JSON.parse(json.text), { QueueUrl: queueUrl });
    assert.equal((await q.call('GetQueueUrl', { QueueName: queueName })).QueueUrl, queueUrl);
  });

  describe('SQS JSON protocol', () => {
    it('refuses a body that is not JSON', async () => {
      // Coral answers SerializationException, with no message, for a body it cannot parse.
      for (const body of ['{"QueueName": "a"', 'QueueName=a', '{"QueueName": "a"}}', '\u0000\u0001']) {
        expectJsonError(await jsonRequest('AmazonSQS.GetQueueUrl', body), 400, 'SerializationException', undefined, 'com.amazon.coral.service');
      }
      // JSON, but not an object.
      expectJsonError(await jsonRequest('AmazonSQS.GetQueueUrl', '[]'), 400, 'SerializationException', 'Start of list found where not expected', 'com.amazon.coral.service');
      // An empty body.
      const empty = await jsonRequest('AmazonSQS.GetQueueUrl', '');
      assert.ok(empty.status >= 400 && empty.status < 500, `${empty.status} ${empty.text}`);
      assert.ok(JSON.parse(empty.text).__type, empty.text);
    });

    it('refuses members of the wrong JSON type', async () => {
      const cases: [string, Record<string, unknown>, string][] = [
        ['AmazonSQS.ReceiveMessage', { QueueUrl: queueUrl, MaxNumberOfMessages: '5' }, 'STRING_VALUE can not be converted to an Integer'],
        ['AmazonSQS.ReceiveMessage', { QueueUrl: queueUrl, MaxNumberOfMessages: true }, 'TRUE_VALUE can not be converted to an Integer'],
        ['AmazonSQS.ReceiveMessage', { QueueUrl: queueUrl, MessageAttributeNames: 'All' }, 'Expected list or null'],
        ['AmazonSQS.CreateQueue', { QueueName: { name: 'x' } }, 'Start of structure or map found where not expected.'],
        ['AmazonSQS.CreateQueue', { QueueName: 'x', Attributes: [['DelaySeconds', '1']] }, 'Start of list found where not expected'],
        ['AmazonSQS.SendMessage', { QueueUrl: queueUrl, MessageBody: 42 }, 'NUMBER_VALUE can not be converted to a String'],
      ];
      for (const [target, input, message] of cases) {
        expectJsonError(await jsonRequest(target, JSON.stringify(input)), 400, 'SerializationException', message, 'com.amazon.coral.service');
      }
      // A binary attribute value that is not base64.
      const res = await jsonRequest(
        'AmazonSQS.SendMessage',
        JSON.stringify({ QueueUrl: queueUrl, MessageBody: 'x', MessageAttributes: { b: { DataType: 'Binary', BinaryValue: 'not base64!' } } }),
      );
      expectJsonError(res, 400, 'SerializationException', undefined, 'com.amazon.coral.service');
      // A value nested 100,000 deep where a string belongs.
      const deep = `{"QueueName":"x","Attributes":{"DelaySeconds":${'['.repeat(100_000)}${']'.repeat(100_000)}}}`;
      expectJsonError(await jsonRequest('AmazonSQS.CreateQueue', deep), 400, 'SerializationException', undefined, 'com.amazon.coral.service');
    });

    it('refuses an unknown X-Amz-Target operation', async () => {
      for (const target of ['AmazonSQS.FooBar', 'AmazonSQS.', 'AmazonSQS', 'AmazonFoo.CreateQueue']) {
        expectJsonError(await jsonRequest(target, JSON.stringify({ QueueName: 'x' })), 400, 'UnknownOperationException', undefined, 'com.amazon.coral.service');
      }
    });

    it('refuses bad queue attribute values', async () => {
      const create = (Attributes: Record<string, string>) => jsonRequest('AmazonSQS.CreateQueue', JSON.stringify({ QueueName: uniqueName('badattr'), Attributes }));
      const bad: Record<string, string>[] = [
        { VisibilityTimeout: 'abc' },
        { VisibilityTimeout: '-1' },
        { MaximumMessageSize: '100' },
        { DelaySeconds: '901' },
      ];
      for (const attrs of bad) {
        const [name] = Object.keys(attrs);
        const body = expectJsonError(await create(attrs), 400, 'InvalidAttributeValue', new RegExp(`^Invalid value for the parameter ${name}`), 'com.amazonaws.sqs');
        assert.ok(body.message, 'the message names the attribute');
      }
      // A RedrivePolicy that does not parse is a parameter error (LocalStack's AWS-validated redrive
      // policy tests expect InvalidParameterValue for malformed policies).
      const redrive = await create({ RedrivePolicy: '{not json' });
      expectJsonError(redrive, 400, 'InvalidParameterValueException', /^Value \{not json for parameter RedrivePolicy is invalid\./, 'com.amazonaws.sqs');
      assert.equal(redrive.headers.get('x-amzn-query-error'), 'InvalidParameterValue;Sender');
      // test_set_unsupported_attribute_standard: unknown names.
      expectJsonError(await create({ Foo: '1' }), 400, 'InvalidAttributeName', 'Unknown Attribute Foo.', 'com.amazonaws.sqs');
      const set = await jsonRequest('AmazonSQS.SetQueueAttributes', JSON.stringify({ QueueUrl: queueUrl, Attributes: { VisibilityTimeout: '43201' } }));
      expectJsonError(set, 400, 'InvalidAttributeValue', /^Invalid value for the parameter VisibilityTimeout/);
      // Nothing was created or changed.
      const a = await jsonRequest('AmazonSQS.GetQueueAttributes', JSON.stringify({ QueueUrl: queueUrl, AttributeNames: ['VisibilityTimeout'] }));
      assert.deepEqual(JSON.parse(a.text), { Attributes: { VisibilityTimeout: '30' } });
    });

    it('refuses message bodies with characters SQS does not allow', async () => {
      // test_send_message_with_invalid_payload_characters: outside #x9 | #xA | #xD | #x20-#xD7FF | #xE000-#xFFFD | #x10000-#x10FFFF.
      for (const body of ['\u0000', 'a\u0008b', '\u001f', '\uffff', '\ud800 lone surrogate', 'x\udc00']) {
        const res = await jsonRequest('AmazonSQS.SendMessage', JSON.stringify({ QueueUrl: queueUrl, MessageBody: body }));
        expectJsonError(res, 400, 'InvalidMessageContents', /^Invalid characters found\./, 'com.amazonaws.sqs');
        assert.equal(res.headers.get('x-amzn-query-error'), 'InvalidMessageContents;Sender');
      }
      // The allowed edges pass.
      const ok = await jsonRequest('AmazonSQS.SendMessage', JSON.stringify({ QueueUrl: queueUrl, MessageBody: '\t\n\r \ud7ff\ue000\ufffd\u{10000}\u{10ffff}' }));
      assert.equal(ok.status, 200, ok.text);
      const got = await q.call('ReceiveMessage', { QueueUrl: queueUrl });
      assert.equal(got.Message.Body, '\t\n\r \ud7ff\ue000\ufffd\u{10000}\u{10ffff}');
      await q.call('DeleteMessage', { QueueUrl: queueUrl, ReceiptHandle: got.Message.ReceiptHandle });
    });

    it('refuses bad message attributes', async () => {
      const send = (MessageAttributes: unknown) => jsonRequest('AmazonSQS.SendMessage', JSON.stringify({ QueueUrl: queueUrl, MessageBody: 'x', MessageAttributes }));
      // test_send_message_with_empty_string_attribute
      expectJsonError(
        await send({ ErrorDetails: { DataType: 'String', StringValue: '' } }),
        400,
        'InvalidParameterValueException',
        "Message (user) attribute 'ErrorDetails' must contain a non-empty value of type 'String'.",
        'com.amazonaws.sqs',
      );
      for (const attrs of [
        { n: { DataType: 'Number', StringValue: 'not a number' } },
        { t: { DataType: 'Text', StringValue: 'x' } },
        { s: { DataType: 'String' } },
      ]) {
        const res = await send(attrs);
        expectJsonError(res, 400, 'InvalidParameterValueException', undefined, 'com.amazonaws.sqs');
        assert.equal(res.headers.get('x-amzn-query-error'), 'InvalidParameterValue;Sender');
      }
    });

    it('refuses invalid receipt handles', async () => {
      // test_delete_message_with_illegal_receipt_handle; the model gives ReceiptHandleIsInvalid HTTP 404.
      const del = await jsonRequest('AmazonSQS.DeleteMessage', JSON.stringify({ QueueUrl: queueUrl, ReceiptHandle: 'garbage' }));
      expectJsonError(del, 404, 'ReceiptHandleIsInvalid', 'The input receipt handle "garbage" is not a valid receipt handle.', 'com.amazonaws.sqs');
      assert.equal(del.headers.get('x-amzn-query-error'), 'ReceiptHandleIsInvalid;Sender');
      const forged = Buffer.from(`${'x'.repeat(40)} arn:aws:sqs:us-east-1:000000000000:${queueName}`).toString('base64');
      for (const handle of [forged, '%%%', 'a'.repeat(10_000)]) {
        const res = await jsonRequest('AmazonSQS.ChangeMessageVisibility', JSON.stringify({ QueueUrl: queueUrl, ReceiptHandle: handle, VisibilityTimeout: 0 }));
        expectJsonError(res, 404, 'ReceiptHandleIsInvalid', `The input receipt handle "${handle}" is not a valid receipt handle.`, 'com.amazonaws.sqs');
      }
    });
  });

  describe('query protocol', () => {
    it('refuses an unknown Action', async () => {
      // TestSqsQueryApi.test_invalid_action_raises_exception
      expectXmlError(await formRequest(form({ Action: 'FooBar', Version: '2012-11-05' })), 400, 'InvalidAction', 'The action FooBar is not valid for this endpoint.');
      expectXmlError(await formRequest(form({ Action: 'FooBar', Version: '2012-11-05' }), new URL(queueUrl).pathname), 400, 'InvalidAction');
    });

    it('refuses a request without an Action', async () => {
      // SQS API reference, common errors: MissingAction, HTTP 400.
      expectXmlError(await formRequest(form({ Version: '2012-11-05', QueueName: 'x' })), 400, 'MissingAction');
      expectXmlError(await formRequest(''), 400, 'MissingAction');
      expectXmlError(await formRequest(form({ Action: '', Version: '2012-11-05' })), 400, 'MissingAction');
    });

    it('refuses parameters of the wrong type', async () => {
      const path = new URL(queueUrl).pathname;
      for (const [action, name, value] of [
        ['ReceiveMessage', 'MaxNumberOfMessages', 'abc'],
        ['ReceiveMessage', 'VisibilityTimeout', '1.5'],
        ['ReceiveMessage', 'WaitTimeSeconds', '0x10'],
        ['SendMessage', 'DelaySeconds', '99999999999'],
      ]) {
        const res = await formRequest(form({ Action: action, Version: '2012-11-05', MessageBody: 'x', [name]: value }), path);
        expectXmlError(res, 400, 'InvalidParameterValue', new RegExp(`^Value ${value.replace('.', '\\.')} for parameter ${name} is invalid\\.`));
      }
      // Nothing was sent by the refused SendMessage.
      const a = await q.call('GetQueueAttributes', { QueueUrl: queueUrl, 'AttributeName.1': 'ApproximateNumberOfMessages' });
      assert.deepEqual(a.Attribute, { Name: 'ApproximateNumberOfMessages', Value: '0' });
    });

    it('refuses bad attribute values, message contents and receipt handles', async () => {
      const path = new URL(queueUrl).pathname;
      expectXmlError(
        await formRequest(form({ Action: 'CreateQueue', QueueName: uniqueName('qbad'), 'Attribute.1.Name': 'VisibilityTimeout', 'Attribute.1.Value': 'abc' })),
        400,
        'InvalidAttributeValue',
        /^Invalid value for the parameter VisibilityTimeout/,
      );
      expectXmlError(
        await formRequest(form({ Action: 'SetQueueAttributes', 'Attribute.1.Name': 'Foo', 'Attribute.1.Value': '1' }), path),
        400,
        'InvalidAttributeName',
        'Unknown Attribute Foo.',
      );
      expectXmlError(await formRequest(form({ Action: 'SendMessage', MessageBody: 'bad \u0000 char' }), path), 400, 'InvalidMessageContents', /^Invalid characters found\./);
      expectXmlError(
        await formRequest(form({ Action: 'SendMessage', MessageBody: 'x', 'MessageAttribute.1.Name': 'n', 'MessageAttribute.1.Value.DataType': 'Number', 'MessageAttribute.1.Value.StringValue': 'NaN-ish' }), path),
        400,
        'InvalidParameterValue',
      );
      expectXmlError(
        await formRequest(form({ Action: 'DeleteMessage', ReceiptHandle: 'garbage' }), path),
        404,
        'ReceiptHandleIsInvalid',
        'The input receipt handle "garbage" is not a valid receipt handle.',
      );
    });

    it('ignores the common query parameters older signers add', async () => {
      // SQS API reference, "Common Parameters": AWSAccessKeyId, Expires/Timestamp, Signature,
      // SignatureMethod, SignatureVersion, Version, and the X-Amz-* ones of SigV4 query signing.
      const path = new URL(queueUrl).pathname;
      const res = await formRequest(
        form({
          Action: 'SendMessage',
          Version: '2012-11-05',
          MessageBody: 'signed the old way',
          AWSAccessKeyId: 'test',
          SignatureMethod: 'HmacSHA256',
          SignatureVersion: '2',
          Timestamp: new Date().toISOString(),
          Signature: 'bm90IGNoZWNrZWQ=',
          'X-Amz-Algorithm': 'AWS4-HMAC-SHA256',
        }),
        path,
      );
      assert.equal(res.status, 200, res.text);
      const got = await q.call('ReceiveMessage', { QueueUrl: queueUrl });
      assert.equal(got.Message.Body, 'signed the old way');
      await q.call('DeleteMessage', { QueueUrl: queueUrl, ReceiptHandle: got.Message.ReceiptHandle });
    });
  });

  describe('oversized bodies', () => {
    /**
     * Declares a 20 MB body, sends only its first 64 KiB and waits for the answer: a server that read
     * the body whole before refusing it would never answer. The bound below is for a hung server, it
     * is not a timing assertion.
     */
    function declaredTooLarge(headers: Record<string, string>, path = '/'): Promise<RawResponse> {
      return new Promise((resolve, reject) => {
        const req = http.request(`${endpoint}${path}`, { method: 'POST', headers: { ...headers, 'content-length': String(20 * 1024 * 1024) } });
        const guard = setTimeout(() => {
          req.destroy();
          reject(new Error('no answer while the 20 MB body was still incomplete: the server waits to read it whole'));
        }, 15_000);
        req.on('response', (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            clearTimeout(guard);
            req.destroy();
            resolve({ status: res.statusCode ?? 0, headers: headersOf(res), text: Buffer.concat(chunks).toString('utf8') });
          });
        });
        req.on('error', (e) => {
          clearTimeout(guard);
          reject(e);
        });
        req.write(Buffer.alloc(64 * 1024, 'a'));
      });
    }

    it('refuses a JSON body declared at 20 MB without reading it', async () => {
      const res = await declaredTooLarge({ 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'AmazonSQS.SendMessage' });
      assert.equal(res.status, 413, res.text);
      const body = JSON.parse(res.text) as { __type: string };
      assert.match(body.__type, /#\w+/);
      assert.match(res.headers.get('x-amzn-query-error') ?? '', QUERY_ERROR);
    });

    it('refuses a query body declared at 20 MB without reading it', async () => {
      const res = await declaredTooLarge({ 'content-type': 'application/x-www-form-urlencoded' }, new URL(queueUrl).pathname);
      assert.equal(res.status, 413, res.text);
      assert.ok(parseXml(res.text).ErrorResponse?.Error?.Code, res.text);
    });

    it('refuses a chunked JSON body once it passes the limit', async () => {
      // No Content-Length: the server can only count. 17 MiB of a never-ending JSON string.
      const res = await new Promise<RawResponse>((resolve, reject) => {
        const req = http.request(`${endpoint}/`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'AmazonSQS.SendMessage', 'transfer-encoding': 'chunked' },
        });
        let answered = false;
        req.on('response', (r) => {
          answered = true;
          const chunks: Buffer[] = [];
          r.on('data', (c: Buffer) => chunks.push(c));
          r.on('end', () => {
            req.destroy();
            resolve({ status: r.statusCode ?? 0, headers: headersOf(r), text: Buffer.concat(chunks).toString('utf8') });
          });
        });
        req.on('error', (e) => {
          if (!answered) reject(e);
        });
        const chunk = Buffer.alloc(1024 * 1024, 'a');
        let sent = 0;
        const pump = () => {
          while (!answered && sent < 17) {
            sent++;
            if (!req.write(sent === 1 ? Buffer.concat([Buffer.from(`{"QueueUrl":"${queueUrl}","MessageBody":"`), chunk]) : chunk)) {
              req.once('drain', pump);
              return;
            }
          }
          if (!answered) req.end('"}');
        };
        pump();
      });
      assert.equal(res.status, 413, res.text);
      assert.match((JSON.parse(res.text) as { __type: string }).__type, /#\w+/);
    });
  });
});
