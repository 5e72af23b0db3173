import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import {
  SQSClient,
  CreateQueueCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  DeleteQueueCommand,
} from '@aws-sdk/client-sqs';
import { STSClient, AssumeRoleCommand, DecodeAuthorizationMessageCommand, GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { AwsError } from '../src/errors.js';
import { loadModel, type ServiceModel } from '../src/protocols/model.js';
import { decodeJson, encodeJsonError, encodeJsonResponse } from '../src/protocols/json.js';
import { decodeQuery, encodeQueryError, encodeQueryResponse } from '../src/protocols/query.js';

// Round trips through the real AWS SDK for JavaScript v3: its serializer builds the request our decoder
// reads, and its deserializer (checksums included) parses what our encoder writes.

interface Exchange {
  operation: string;
  input: Record<string, unknown>;
}

type Service = (operation: string, input: Record<string, unknown>) => unknown;

const md5 = (s: string) => createHash('md5').update(s, 'utf8').digest('hex');

function respond(status: number, headers: Record<string, string>, body: string) {
  return { response: { statusCode: status, headers, body: Readable.from([Buffer.from(body, 'utf8')]) } };
}

/** An SQS client speaking AWS JSON 1.0 to our codecs and `service`; `seen` collects decoded calls. */
function sqsOverJson(model: ServiceModel, service: Service, seen: Exchange[]): SQSClient {
  return new SQSClient({
    region: 'us-east-1',
    endpoint: 'http://localhost:4566',
    credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
    requestHandler: {
      handle: async (request: { headers: Record<string, string>; body?: unknown }) => {
        const operation = request.headers['x-amz-target'].split('.')[1];
        try {
          const input = decodeJson(model, operation, String(request.body));
          seen.push({ operation, input });
          return respond(200, { 'content-type': 'application/x-amz-json-1.0' }, encodeJsonResponse(model, operation, service(operation, input)));
        } catch (e) {
          const { body, headers } = encodeJsonError(e as AwsError, model, 'com.amazonaws.sqs');
          return respond((e as AwsError).status, { ...headers, 'content-type': 'application/x-amz-json-1.0' }, body);
        }
      },
    } as never,
  });
}

/** An STS client speaking the query protocol to our codecs and `service`. */
function stsOverQuery(model: ServiceModel, service: Service, seen: Exchange[]): STSClient {
  return new STSClient({
    region: 'us-east-1',
    endpoint: 'http://localhost:4566',
    credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
    requestHandler: {
      handle: async (request: { body?: unknown }) => {
        const params = new URLSearchParams(String(request.body));
        const operation = params.get('Action')!;
        try {
          const input = decodeQuery(model, operation, params);
          seen.push({ operation, input });
          return respond(200, { 'content-type': 'text/xml' }, encodeQueryResponse(model, operation, service(operation, input), 'req-42'));
        } catch (e) {
          return respond((e as AwsError).status, { 'content-type': 'text/xml' }, encodeQueryError(e as AwsError, 'req-42', model.xmlNamespace));
        }
      },
    } as never,
  });
}

describe('SQS over AWS JSON 1.0, through @aws-sdk/client-sqs', () => {
  const model = loadModel('sqs-2012-11-05');
  const queueUrl = 'http://localhost:4566/000000000000/jobs';

  it('CreateQueue: attributes and tags in, queue URL out', async () => {
    const seen: Exchange[] = [];
    const client = sqsOverJson(model, () => ({ QueueUrl: queueUrl }), seen);
    const out = await client.send(
      new CreateQueueCommand({ QueueName: 'jobs', Attributes: { DelaySeconds: '5', FifoQueue: 'false' }, tags: Object.fromEntries([['team', 'core'], ['__proto__', 'odd']]) }),
    );
    assert.equal(out.QueueUrl, queueUrl);
    assert.equal(seen[0].operation, 'CreateQueue');
    assert.equal(seen[0].input.QueueName, 'jobs');
    assert.deepEqual(seen[0].input.Attributes, { DelaySeconds: '5', FifoQueue: 'false' });
    const tags = seen[0].input.tags as Record<string, unknown>;
    assert.equal(tags.team, 'core');
    assert.ok(Object.hasOwn(tags, '__proto__'), 'a __proto__ tag key stays an entry');
    assert.equal(Object.getPrototypeOf(tags), Object.prototype);
  });

  it('SendMessageBatch: entries with binary attributes in, successes and failures out', async () => {
    const seen: Exchange[] = [];
    const client = sqsOverJson(
      model,
      (_op, input) => {
        const [first, second] = input.Entries as { Id: string; MessageBody: string }[];
        return {
          Successful: [{ Id: first.Id, MessageId: 'm-1', MD5OfMessageBody: md5(first.MessageBody) }],
          Failed: [{ Id: second.Id, SenderFault: true, Code: 'InvalidParameterValue', Message: 'bad' }],
        };
      },
      seen,
    );
    const out = await client.send(
      new SendMessageBatchCommand({
        QueueUrl: queueUrl,
        Entries: [
          {
            Id: 'a',
            MessageBody: 'héllo\r\nworld',
            DelaySeconds: 3,
            MessageAttributes: { bin: { DataType: 'Binary', BinaryValue: new Uint8Array([0, 1, 254, 255]) } },
          },
          { Id: 'b', MessageBody: 'second', MessageGroupId: 'g' },
        ],
      }),
    );
    assert.deepEqual(seen[0].input, {
      QueueUrl: queueUrl,
      Entries: [
        { Id: 'a', MessageBody: 'héllo\r\nworld', DelaySeconds: 3, MessageAttributes: { bin: { DataType: 'Binary', BinaryValue: 'AAH+/w==' } } },
        { Id: 'b', MessageBody: 'second', MessageGroupId: 'g' },
      ],
    });
    assert.deepEqual(out.Successful, [{ Id: 'a', MessageId: 'm-1', MD5OfMessageBody: md5('héllo\r\nworld') }]);
    assert.deepEqual(out.Failed, [{ Id: 'b', SenderFault: true, Code: 'InvalidParameterValue', Message: 'bad' }]);
  });

  it('ReceiveMessage: messages with system and user attributes come back intact', async () => {
    const body = 'line one\r\nline <two> & "three"';
    const client = sqsOverJson(
      model,
      () => ({
        Messages: [
          {
            MessageId: 'm-1',
            ReceiptHandle: 'rh-1',
            MD5OfBody: md5(body),
            Body: body,
            Attributes: { SenderId: 'AKIDEXAMPLE', ApproximateReceiveCount: '1' },
            MessageAttributes: {
              s: { DataType: 'String', StringValue: 'v' },
              b: { DataType: 'Binary', BinaryValue: 'AAH+/w==' },
            },
          },
        ],
      }),
      [],
    );
    const out = await client.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, MessageAttributeNames: ['All'] }));
    const [m] = out.Messages!;
    assert.equal(m.Body, body);
    assert.deepEqual(m.Attributes, { SenderId: 'AKIDEXAMPLE', ApproximateReceiveCount: '1' });
    assert.equal(m.MessageAttributes!.s.StringValue, 'v');
    assert.deepEqual([...m.MessageAttributes!.b.BinaryValue!], [0, 1, 254, 255]);
  });

  it('GetQueueAttributes: names in, attribute map out', async () => {
    const seen: Exchange[] = [];
    const client = sqsOverJson(model, () => ({ Attributes: { VisibilityTimeout: '30', DelaySeconds: '0' } }), seen);
    const out = await client.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['VisibilityTimeout', 'DelaySeconds'] }));
    assert.deepEqual(seen[0].input.AttributeNames, ['VisibilityTimeout', 'DelaySeconds']);
    assert.deepEqual(out.Attributes, { VisibilityTimeout: '30', DelaySeconds: '0' });
  });

  it('DeleteQueue: an operation without output answers {}', async () => {
    const client = sqsOverJson(model, () => undefined, []);
    const out = await client.send(new DeleteQueueCommand({ QueueUrl: queueUrl }));
    assert.equal(out.$metadata.httpStatusCode, 200);
  });

  it('service errors surface as the modelled exception with the legacy query code', async () => {
    const client = sqsOverJson(
      model,
      () => {
        throw new AwsError('QueueDoesNotExist', 'The specified queue does not exist.', 400, { queryCode: 'AWS.SimpleQueueService.NonExistentQueue' });
      },
      [],
    );
    const err = await client.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: 'x' })).then(
      () => assert.fail('expected an error'),
      (e: { name: string; message: string; $metadata: { httpStatusCode: number }; Error: { Code: string; Type: string } }) => e,
    );
    assert.equal(err.name, 'QueueDoesNotExist');
    assert.equal(err.message, 'The specified queue does not exist.');
    assert.equal(err.$metadata.httpStatusCode, 400);
    assert.equal(err.Error.Code, 'AWS.SimpleQueueService.NonExistentQueue');
    assert.equal(err.Error.Type, 'Sender');
  });

  it('a wrongly typed member is a SerializationException the SDK reports by name', async () => {
    const client = sqsOverJson(model, () => ({}), []);
    const err = await client
      .send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: 'x', DelaySeconds: 'soon' as unknown as number }))
      .then(
        () => assert.fail('expected an error'),
        (e: Error) => e,
      );
    assert.equal(err.name, 'SerializationException');
    assert.equal(err.message, 'STRING_VALUE can not be converted to an Integer');
  });
});

describe('STS over the query protocol, through @aws-sdk/client-sts', () => {
  const model = loadModel('sts-2011-06-15');

  it('GetCallerIdentity', async () => {
    const seen: Exchange[] = [];
    const client = stsOverQuery(model, () => ({ UserId: 'AKIDEXAMPLE', Account: '000000000000', Arn: 'arn:aws:iam::000000000000:root' }), seen);
    const out = await client.send(new GetCallerIdentityCommand({}));
    assert.deepEqual(seen, [{ operation: 'GetCallerIdentity', input: {} }]);
    assert.equal(out.UserId, 'AKIDEXAMPLE');
    assert.equal(out.Account, '000000000000');
    assert.equal(out.Arn, 'arn:aws:iam::000000000000:root');
  });

  it('AssumeRole: member lists of structures in, credentials with a timestamp out', async () => {
    const seen: Exchange[] = [];
    const expiration = new Date('2030-01-02T03:04:05.678Z');
    const client = stsOverQuery(
      model,
      () => ({
        Credentials: { AccessKeyId: 'ASIA1', SecretAccessKey: 's3cr3t', SessionToken: 'tok', Expiration: expiration },
        AssumedRoleUser: { AssumedRoleId: 'AROA1:sess', Arn: 'arn:aws:sts::000000000000:assumed-role/r/sess' },
        PackedPolicySize: 6,
      }),
      seen,
    );
    const out = await client.send(
      new AssumeRoleCommand({
        RoleArn: 'arn:aws:iam::000000000000:role/r',
        RoleSessionName: 'sess',
        DurationSeconds: 900,
        PolicyArns: [{ arn: 'arn:aws:iam::aws:policy/A' }, { arn: 'arn:aws:iam::aws:policy/B' }],
        Tags: [
          { Key: 'k1', Value: 'v1' },
          { Key: 'k2', Value: 'v2' },
        ],
        TransitiveTagKeys: ['k1'],
      }),
    );
    assert.deepEqual(seen[0].input, {
      RoleArn: 'arn:aws:iam::000000000000:role/r',
      RoleSessionName: 'sess',
      DurationSeconds: 900,
      PolicyArns: [{ arn: 'arn:aws:iam::aws:policy/A' }, { arn: 'arn:aws:iam::aws:policy/B' }],
      Tags: [
        { Key: 'k1', Value: 'v1' },
        { Key: 'k2', Value: 'v2' },
      ],
      TransitiveTagKeys: ['k1'],
    });
    assert.equal(out.Credentials!.SessionToken, 'tok');
    assert.equal(out.Credentials!.Expiration!.getTime(), expiration.getTime());
    assert.equal(out.AssumedRoleUser!.Arn, 'arn:aws:sts::000000000000:assumed-role/r/sess');
    assert.equal(out.PackedPolicySize, 6);
  });

  it('text with markup, quotes and CR LF survives the XML', async () => {
    const text = '{"a":"<b> & \'c\'"}\r\nnext\ttab';
    const client = stsOverQuery(model, () => ({ DecodedMessage: text }), []);
    const out = await client.send(new DecodeAuthorizationMessageCommand({ EncodedMessage: 'x' }));
    assert.equal(out.DecodedMessage, text);
  });

  it('errors surface with their code and message', async () => {
    const client = stsOverQuery(
      model,
      () => {
        throw new AwsError('ValidationError', "1 validation error detected: Value 'Session1:2' at 'roleSessionName' failed to satisfy constraint");
      },
      [],
    );
    const err = await client.send(new GetCallerIdentityCommand({})).then(
      () => assert.fail('expected an error'),
      (e: { name: string; message: string; $metadata: { httpStatusCode: number } }) => e,
    );
    assert.equal(err.name, 'ValidationError');
    assert.equal(err.message, "1 validation error detected: Value 'Session1:2' at 'roleSessionName' failed to satisfy constraint");
    assert.equal(err.$metadata.httpStatusCode, 400);
  });

  it('a wrongly typed parameter is InvalidParameterValue', async () => {
    const client = stsOverQuery(model, () => ({}), []);
    const err = await client
      .send(new AssumeRoleCommand({ RoleArn: 'arn', RoleSessionName: 's', DurationSeconds: 'long' as unknown as number }))
      .then(
        () => assert.fail('expected an error'),
        (e: Error) => e,
      );
    assert.equal(err.name, 'InvalidParameterValue');
    assert.equal(err.message, 'Value long for parameter DurationSeconds is invalid.');
  });
});
