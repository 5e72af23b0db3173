import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { AwsError } from '../src/errors.js';
import { loadModel } from '../src/protocols/model.js';
import { decodeQuery, encodeQueryError, encodeQueryResponse } from '../src/protocols/query.js';

// Cross-checks the query codec against botocore, the Python SDK's own serializer and XML parser, driven
// by our vendored models (botocore's current SQS model is JSON-only and lost the query names). This is
// how the AWS CLI v1 and boto3 before 1.34.90 talk to SQS, and how they still talk to STS.

const PYTHON = String.raw`
import json, sys, base64, datetime
from botocore.model import ServiceModel
from botocore import serialize, parsers

def botocore_model(raw):
    shapes = {'String': {'type': 'string'}}
    def ref(r, hint):
        out = {k: r[k] for k in ('locationName', 'flattened') if k in r}
        if 'shape' in r:
            out['shape'] = r['shape']
        elif not any(k in r for k in ('type', 'members', 'member', 'key', 'value')):
            out['shape'] = 'String'
        else:
            shapes[hint] = shape(r, hint)
            out['shape'] = hint
        return out
    def shape(s, hint):
        d = {k: v for k, v in s.items() if k != 'shape'}
        d.setdefault('type', 'string')
        if 'members' in d:
            d['members'] = {k: ref(v, hint + k) for k, v in d['members'].items()}
        for k in ('member', 'key', 'value'):
            if k in d:
                d[k] = ref(d[k], hint + k.capitalize())
        return d
    for n, s in raw.get('shapes', {}).items():
        shapes[n] = shape(s, n)
    ops = {}
    for name, op in raw['operations'].items():
        o = {'name': name, 'http': {'method': 'POST', 'requestUri': '/'}}
        if 'input' in op:
            o['input'] = {'shape': ref(op['input'], name + 'Input')['shape']}
        if 'output' in op:
            o['output'] = {'shape': ref(op['output'], name + 'Output')['shape']}
            if 'resultWrapper' in op['output']:
                o['output']['resultWrapper'] = op['output']['resultWrapper']
        ops[name] = o
    metadata = dict(raw['metadata'], protocol='query')
    metadata.pop('protocols', None)
    return ServiceModel({'metadata': metadata, 'operations': ops, 'shapes': shapes})

def plain(v):
    if isinstance(v, dict):
        return {k: plain(x) for k, x in v.items() if k != 'ResponseMetadata'}
    if isinstance(v, list):
        return [plain(x) for x in v]
    if isinstance(v, datetime.datetime):
        return v.isoformat()
    if isinstance(v, bytes):
        return base64.b64encode(v).decode()
    return v

job = json.load(sys.stdin)
model = botocore_model(json.load(open(job['model'])))
serializer = serialize.create_serializer('query', include_validation=False)
parser = parsers.create_parser('query')
results = []
for case in job['cases']:
    op = model.operation_model(case['operation'])
    if case['kind'] == 'serialize':
        results.append(list(serializer.serialize_to_request(case['params'], op)['body'].items()))
    else:
        response = {'body': case['xml'].encode(), 'headers': {}, 'status_code': case.get('status', 200)}
        results.append(plain(parser.parse(response, op.output_shape if response['status_code'] == 200 else None)))
print(json.dumps(results))
`;

const botocoreMissing = spawnSync('python3', ['-c', 'import botocore'], { encoding: 'utf8' }).status !== 0;
const skip = botocoreMissing ? 'python3 with botocore is not installed' : false;

interface Case {
  kind: 'serialize' | 'parse';
  operation: string;
  params?: unknown;
  xml?: string;
  status?: number;
}

function botocore(modelId: string, cases: Case[]): unknown[] {
  const model = fileURLToPath(new URL(`../../models/${modelId}.json`, import.meta.url));
  const run = spawnSync('python3', ['-c', PYTHON], { input: JSON.stringify({ model, cases }), encoding: 'utf8', timeout: 60_000 });
  assert.equal(run.status, 0, run.stderr);
  return JSON.parse(run.stdout) as unknown[];
}

describe('query codec against botocore', { skip }, () => {
  it('decodes what botocore sends for SQS, to the very input it was given', () => {
    const inputs: [string, Record<string, unknown>][] = [
      ['CreateQueue', { QueueName: 'jobs.fifo', Attributes: { FifoQueue: 'true', DelaySeconds: '5' }, tags: { team: 'core', env: 'test' } }],
      [
        'ReceiveMessage',
        {
          QueueUrl: 'http://localhost:4566/000000000000/jobs',
          AttributeNames: ['All'],
          MessageSystemAttributeNames: ['SenderId', 'SentTimestamp'],
          MessageAttributeNames: ['colour', 'raw'],
          MaxNumberOfMessages: 10,
          VisibilityTimeout: 0,
          WaitTimeSeconds: 20,
        },
      ],
      [
        'SendMessageBatch',
        {
          QueueUrl: 'q',
          Entries: [
            {
              Id: 'a',
              MessageBody: 'first\r\nline',
              DelaySeconds: 2,
              MessageAttributes: {
                colour: { DataType: 'String', StringValue: 'red' },
                list: { DataType: 'StringList', StringListValues: ['x', 'y'] },
              },
              MessageSystemAttributes: { AWSTraceHeader: { DataType: 'String', StringValue: 'Root=1' } },
            },
            { Id: 'b', MessageBody: 'second', MessageGroupId: 'g', MessageDeduplicationId: 'd' },
          ],
        },
      ],
      ['ChangeMessageVisibilityBatch', { QueueUrl: 'q', Entries: [{ Id: 'a', ReceiptHandle: 'rh', VisibilityTimeout: 60 }] }],
      ['DeleteMessageBatch', { QueueUrl: 'q', Entries: [{ Id: 'a', ReceiptHandle: 'rh' }] }],
      ['AddPermission', { QueueUrl: 'q', Label: 'l', AWSAccountIds: ['111111111111', '222222222222'], Actions: ['SendMessage'] }],
      ['TagQueue', { QueueUrl: 'q', Tags: { a: '1', b: '2' } }],
      ['UntagQueue', { QueueUrl: 'q', TagKeys: ['a', 'b'] }],
      ['GetQueueAttributes', { QueueUrl: 'q', AttributeNames: [] }],
      ['ListQueues', { QueueNamePrefix: 'j', MaxResults: 5, NextToken: 't' }],
    ];
    const serialized = botocore(
      'sqs-2012-11-05',
      inputs.map(([operation, params]) => ({ kind: 'serialize', operation, params })),
    ) as [string, string][][];
    const sqs = loadModel('sqs-2012-11-05');
    inputs.forEach(([operation, params], i) => {
      assert.deepEqual(decodeQuery(sqs, operation, new URLSearchParams(serialized[i])), params, operation);
    });
  });

  it('writes SQS responses and errors that botocore parses back to the handler output', () => {
    const sqs = loadModel('sqs-2012-11-05');
    const outputs: [string, Record<string, unknown>][] = [
      [
        'ReceiveMessage',
        {
          Messages: [
            {
              MessageId: 'm1',
              ReceiptHandle: 'rh1',
              MD5OfBody: 'md5',
              Body: 'a\r\nb <&> "q"',
              Attributes: { SenderId: 'AKID', ApproximateReceiveCount: '1' },
              MD5OfMessageAttributes: 'amd5',
              MessageAttributes: {
                colour: { StringValue: 'red', DataType: 'String' },
                raw: { BinaryValue: 'AAH+/w==', DataType: 'Binary' },
                list: { StringListValues: ['x', 'y'], DataType: 'StringList' },
              },
            },
            { MessageId: 'm2', ReceiptHandle: 'rh2', MD5OfBody: 'md5', Body: 'plain' },
          ],
        },
      ],
      [
        'SendMessageBatch',
        {
          Successful: [{ Id: 'a', MessageId: 'm1', MD5OfMessageBody: 'md5', SequenceNumber: '1' }],
          Failed: [{ Id: 'b', SenderFault: true, Code: 'InvalidParameterValue', Message: 'bad' }],
        },
      ],
      ['GetQueueAttributes', { Attributes: { DelaySeconds: '0', VisibilityTimeout: '30' } }],
      ['ListQueues', { QueueUrls: ['u1', 'u2'], NextToken: 'n' }],
      ['ListQueueTags', { Tags: { team: 'core' } }],
      ['CreateQueue', { QueueUrl: 'http://localhost:4566/000000000000/q' }],
      [
        'ListMessageMoveTasks',
        { Results: [{ TaskHandle: 'h', Status: 'RUNNING', ApproximateNumberOfMessagesMoved: 3, StartedTimestamp: 1714564800000 }] },
      ],
    ];
    const error = new AwsError('QueueDoesNotExist', 'The specified queue does not exist for this wsdl version.', 400, {
      queryCode: 'AWS.SimpleQueueService.NonExistentQueue',
    });
    const cases: Case[] = outputs.map(([operation, output]) => ({ kind: 'parse', operation, xml: encodeQueryResponse(sqs, operation, output, 'r') }));
    cases.push({ kind: 'parse', operation: 'GetQueueUrl', status: 400, xml: encodeQueryError(error, 'r', sqs.xmlNamespace, true) });
    const parsed = botocore('sqs-2012-11-05', cases);
    outputs.forEach(([operation, output], i) => assert.deepEqual(parsed[i], output, operation));
    // What LocalStack's snapshots record for real SQS over query: Detail present and empty.
    assert.deepEqual(parsed[outputs.length], {
      Error: {
        Type: 'Sender',
        Code: 'AWS.SimpleQueueService.NonExistentQueue',
        Message: 'The specified queue does not exist for this wsdl version.',
        Detail: null,
      },
    });
  });

  it('round-trips STS AssumeRole both ways', () => {
    const sts = loadModel('sts-2011-06-15');
    const input = {
      RoleArn: 'arn:aws:iam::000000000000:role/r',
      RoleSessionName: 's',
      DurationSeconds: 900,
      PolicyArns: [{ arn: 'arn:aws:iam::aws:policy/A' }],
      Tags: [{ Key: 'k', Value: 'v' }],
      TransitiveTagKeys: ['k'],
      ProvidedContexts: [{ ProviderArn: 'p', ContextAssertion: 'c' }],
    };
    const output = {
      Credentials: { AccessKeyId: 'ASIA', SecretAccessKey: 's', SessionToken: 't', Expiration: new Date(Date.UTC(2030, 0, 2, 3, 4, 5)) },
      AssumedRoleUser: { AssumedRoleId: 'id', Arn: 'arn' },
      PackedPolicySize: 6,
    };
    const [params, parsed] = botocore('sts-2011-06-15', [
      { kind: 'serialize', operation: 'AssumeRole', params: input },
      { kind: 'parse', operation: 'AssumeRole', xml: encodeQueryResponse(sts, 'AssumeRole', output, 'r') },
    ]) as [[string, string][], unknown];
    assert.deepEqual(decodeQuery(sts, 'AssumeRole', new URLSearchParams(params)), input);
    assert.deepEqual(parsed, { ...output, Credentials: { ...output.Credentials, Expiration: '2030-01-02T03:04:05+00:00' } });
  });
});
