import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { AwsError } from '../src/errors.js';
import { loadModel, parseModel } from '../src/protocols/model.js';
import { decodeQuery, encodeQueryError, encodeQueryResponse } from '../src/protocols/query.js';
import { escapeXml, XmlWriter } from '../src/protocols/xml.js';

/** A query service exercising what SQS and STS do not: `.member.N` lists, `.entry.N` maps, recursion. */
const testModel = parseModel('test-2020-01-01', {
  metadata: { protocol: 'query', apiVersion: '2020-01-01', serviceId: 'Test', xmlNamespace: 'https://test.example/doc/2020-01-01/' },
  operations: {
    Put: {
      input: { shape: 'Everything' },
      output: { resultWrapper: 'PutResult', shape: 'Everything' },
    },
    Ping: { input: { type: 'structure', members: {} } },
    Bare: { output: { type: 'structure', members: { Value: {} } } },
  },
  shapes: {
    Everything: {
      type: 'structure',
      members: {
        Name: {},
        Count: { type: 'integer' },
        Big: { type: 'long' },
        Ratio: { type: 'double' },
        Enabled: { type: 'boolean' },
        At: { type: 'timestamp' },
        Data: { type: 'blob' },
        Items: { type: 'list', member: {} },
        Named: { type: 'list', member: { locationName: 'Item' } },
        Pairs: { type: 'map', key: {}, value: { type: 'integer' } },
        Flat: { shape: 'FlatMap' },
        Tree: { shape: 'Node' },
        Rows: { type: 'list', member: { type: 'list', member: {} } },
        Renamed: { locationName: 'Other' },
      },
    },
    FlatMap: { type: 'map', key: { locationName: 'K' }, value: { locationName: 'V' }, flattened: true },
    Node: { type: 'structure', members: { Label: {}, Child: { shape: 'Node' } } },
  },
});

function params(entries: Record<string, string>): URLSearchParams {
  return new URLSearchParams(entries);
}

function decodeError(model: typeof testModel, op: string, p: Record<string, string>): AwsError {
  try {
    decodeQuery(model, op, params(p));
  } catch (e) {
    return e as AwsError;
  }
  assert.fail('expected decodeQuery to throw');
}

describe('decodeQuery', () => {
  it('decodes every shape kind, ignoring Action, Version and unknown parameters', () => {
    const input = decodeQuery(
      testModel,
      'Put',
      params({
        Action: 'Put',
        Version: '2020-01-01',
        Name: 'n',
        Count: '-12',
        Big: '9007199254740991',
        Ratio: '1.5',
        Enabled: 'TRUE',
        At: '2024-05-01T12:00:00Z',
        Data: 'AAE=',
        'Items.member.2': 'b',
        'Items.member.10': 'c',
        'Items.member.1': 'a',
        'Named.Item.1': 'x',
        'Pairs.entry.1.key': 'p',
        'Pairs.entry.1.value': '7',
        'Pairs.entry.2.key': '__proto__',
        'Pairs.entry.2.value': '8',
        'Flat.1.K': 'k',
        'Flat.1.V': 'v',
        'Tree.Label': 'top',
        'Tree.Child.Label': 'middle',
        'Tree.Child.Child.Label': 'bottom',
        'Rows.member.1.member.1': 'r11',
        'Rows.member.1.member.2': 'r12',
        'Rows.member.2.member.1': 'r21',
        Other: 'by location name',
        Renamed: 'ignored: the wire name is Other',
        Unknown: 'ignored',
      }),
    );
    const pairs: Record<string, unknown> = { p: 7 };
    Object.defineProperty(pairs, '__proto__', { value: 8, enumerable: true, writable: true, configurable: true });
    assert.deepEqual(input, {
      Name: 'n',
      Count: -12,
      Big: 9007199254740991,
      Ratio: 1.5,
      Enabled: true,
      At: Date.UTC(2024, 4, 1, 12),
      Data: 'AAE=',
      Items: ['a', 'b', 'c'],
      Named: ['x'],
      Pairs: pairs,
      Flat: { k: 'v' },
      Tree: { Label: 'top', Child: { Label: 'middle', Child: { Label: 'bottom' } } },
      Rows: [['r11', 'r12'], ['r21']],
      Renamed: 'by location name',
    });
    assert.equal(Object.getPrototypeOf(input.Pairs), Object.prototype);
  });

  it('reads an empty list written as the bare parameter name', () => {
    assert.deepEqual(decodeQuery(testModel, 'Put', params({ Items: '' })), { Items: [] });
    const sqs = loadModel('sqs-2012-11-05');
    // Flattened lists are named after their member (AttributeName.1) but sent empty under their own name.
    assert.deepEqual(decodeQuery(sqs, 'GetQueueAttributes', params({ QueueUrl: 'q', AttributeNames: '' })), { QueueUrl: 'q', AttributeNames: [] });
  });

  it('keeps the first of a repeated parameter and skips list indexes that are not 1-based integers', () => {
    const p = new URLSearchParams('Name=first&Name=second&Items.member.0=z&Items.member.01=y&Items.member.x=w&Items.member.3=c');
    assert.deepEqual(decodeQuery(testModel, 'Put', p), { Name: 'first', Items: ['c'] });
  });

  it('decodes SQS query requests: attributes, tags, message attributes and batch entries', () => {
    const sqs = loadModel('sqs-2012-11-05');
    assert.deepEqual(
      decodeQuery(
        sqs,
        'CreateQueue',
        params({
          Action: 'CreateQueue',
          QueueName: 'jobs.fifo',
          'Attribute.1.Name': 'FifoQueue',
          'Attribute.1.Value': 'true',
          'Attribute.2.Name': 'DelaySeconds',
          'Attribute.2.Value': '5',
          'Tag.1.Key': 'team',
          'Tag.1.Value': 'core',
        }),
      ),
      { QueueName: 'jobs.fifo', Attributes: { FifoQueue: 'true', DelaySeconds: '5' }, tags: { team: 'core' } },
    );
    assert.deepEqual(
      decodeQuery(
        sqs,
        'SendMessageBatch',
        params({
          QueueUrl: 'http://localhost:4566/000000000000/jobs',
          'SendMessageBatchRequestEntry.2.Id': 'b',
          'SendMessageBatchRequestEntry.2.MessageBody': 'second',
          'SendMessageBatchRequestEntry.1.Id': 'a',
          'SendMessageBatchRequestEntry.1.MessageBody': 'first',
          'SendMessageBatchRequestEntry.1.DelaySeconds': '2',
          'SendMessageBatchRequestEntry.1.MessageAttribute.1.Name': 'colour',
          'SendMessageBatchRequestEntry.1.MessageAttribute.1.Value.DataType': 'String',
          'SendMessageBatchRequestEntry.1.MessageAttribute.1.Value.StringValue': 'red',
          'SendMessageBatchRequestEntry.1.MessageAttribute.2.Name': 'raw',
          'SendMessageBatchRequestEntry.1.MessageAttribute.2.Value.DataType': 'Binary',
          'SendMessageBatchRequestEntry.1.MessageAttribute.2.Value.BinaryValue': 'AAH+/w==',
          'SendMessageBatchRequestEntry.1.MessageAttribute.3.Name': 'list',
          'SendMessageBatchRequestEntry.1.MessageAttribute.3.Value.DataType': 'StringList',
          'SendMessageBatchRequestEntry.1.MessageAttribute.3.Value.StringListValue.1': 'x',
          'SendMessageBatchRequestEntry.1.MessageAttribute.3.Value.StringListValue.2': 'y',
          'SendMessageBatchRequestEntry.1.MessageSystemAttribute.1.Name': 'AWSTraceHeader',
          'SendMessageBatchRequestEntry.1.MessageSystemAttribute.1.Value.DataType': 'String',
          'SendMessageBatchRequestEntry.1.MessageSystemAttribute.1.Value.StringValue': 'Root=1',
        }),
      ),
      {
        QueueUrl: 'http://localhost:4566/000000000000/jobs',
        Entries: [
          {
            Id: 'a',
            MessageBody: 'first',
            DelaySeconds: 2,
            MessageAttributes: {
              colour: { DataType: 'String', StringValue: 'red' },
              raw: { DataType: 'Binary', BinaryValue: 'AAH+/w==' },
              list: { DataType: 'StringList', StringListValues: ['x', 'y'] },
            },
            MessageSystemAttributes: { AWSTraceHeader: { DataType: 'String', StringValue: 'Root=1' } },
          },
          { Id: 'b', MessageBody: 'second' },
        ],
      },
    );
    assert.deepEqual(
      decodeQuery(
        sqs,
        'ReceiveMessage',
        params({
          QueueUrl: 'q',
          'AttributeName.1': 'All',
          'MessageSystemAttributeName.1': 'SenderId',
          'MessageAttributeName.1': 'colour',
          'MessageAttributeName.2': 'raw',
          MaxNumberOfMessages: '10',
          VisibilityTimeout: '0',
          WaitTimeSeconds: '20',
        }),
      ),
      {
        QueueUrl: 'q',
        AttributeNames: ['All'],
        MessageSystemAttributeNames: ['SenderId'],
        MessageAttributeNames: ['colour', 'raw'],
        MaxNumberOfMessages: 10,
        VisibilityTimeout: 0,
        WaitTimeSeconds: 20,
      },
    );
  });

  it('decodes a map value that is missing as an empty structure, so the service can name the problem', () => {
    const sqs = loadModel('sqs-2012-11-05');
    assert.deepEqual(decodeQuery(sqs, 'SendMessage', params({ QueueUrl: 'q', MessageBody: 'b', 'MessageAttribute.1.Name': 'colour' })), {
      QueueUrl: 'q',
      MessageBody: 'b',
      MessageAttributes: { colour: {} },
    });
  });

  it('answers InvalidParameterValue, naming the full parameter, for a value not of its type', () => {
    const cases: [Record<string, string>, string][] = [
      [{ Count: 'abc' }, 'Value abc for parameter Count is invalid.'],
      [{ Count: '1e3' }, 'Value 1e3 for parameter Count is invalid.'],
      [{ Count: '0x10' }, 'Value 0x10 for parameter Count is invalid.'],
      [{ Count: '1.5' }, 'Value 1.5 for parameter Count is invalid.'],
      [{ Count: ' 5' }, 'Value  5 for parameter Count is invalid.'],
      [{ Count: '2147483648' }, 'Value 2147483648 for parameter Count is invalid.'],
      [{ Count: '' }, 'Value  for parameter Count is invalid.'],
      [{ Big: '9007199254740993' }, 'Value 9007199254740993 for parameter Big is invalid.'],
      [{ Ratio: 'half' }, 'Value half for parameter Ratio is invalid.'],
      [{ Enabled: 'maybe' }, 'Value maybe for parameter Enabled is invalid.'],
      [{ At: 'yesterday' }, 'Value yesterday for parameter At is invalid.'],
      [{ 'Pairs.entry.1.key': 'p', 'Pairs.entry.1.value': 'seven' }, 'Value seven for parameter Pairs.entry.1.value is invalid.'],
    ];
    for (const [p, message] of cases) {
      const err = decodeError(testModel, 'Put', p);
      assert.equal(err.code, 'InvalidParameterValue', message);
      assert.equal(err.status, 400);
      assert.equal(err.fault, 'Sender');
      assert.equal(err.message, message);
    }
    const sqs = loadModel('sqs-2012-11-05');
    assert.equal(
      decodeError(sqs, 'ReceiveMessage', { QueueUrl: 'q', MaxNumberOfMessages: 'abc' }).message,
      'Value abc for parameter MaxNumberOfMessages is invalid.',
    );
  });

  it('reads numbers, booleans and timestamps in their other accepted spellings', () => {
    assert.deepEqual(decodeQuery(testModel, 'Put', params({ Count: '+7', Ratio: 'NaN', Enabled: 'false', At: '1714564800' })), {
      Count: 7,
      Ratio: NaN,
      Enabled: false,
      At: 1714564800000,
    });
  });

  it('gives {} for operations without input members and rejects unknown operations', () => {
    assert.deepEqual(decodeQuery(testModel, 'Ping', params({ Action: 'Ping' })), {});
    assert.deepEqual(decodeQuery(testModel, 'Bare', params({ Value: 'x' })), {});
    const err = decodeError(testModel, 'Nope', {});
    assert.equal(err.code, 'InvalidAction');
    assert.equal(err.message, 'The action Nope is not valid for this endpoint.');
  });
});

describe('encodeQueryResponse', () => {
  it('writes every shape kind under the result wrapper, in model order, leaving out absent members', () => {
    const xml = encodeQueryResponse(
      testModel,
      'Put',
      {
        Rows: [['r11', 'r12'], ['r21']],
        Name: 'a < b & "c"',
        Count: 0,
        Big: 9007199254740991,
        Ratio: 0.25,
        Enabled: false,
        At: new Date(Date.UTC(2024, 4, 1, 12, 0, 0, 5)),
        Data: 'AAE=',
        Items: ['a', null, 'b'],
        Named: ['x'],
        Pairs: { p: 7, skipped: null },
        Flat: { k1: 'v1', k2: 'v2' },
        Tree: { Label: 'top', Child: { Label: 'inner', Child: undefined } },
        Renamed: 'r',
        NotInModel: 'dropped',
      },
      'req-1',
    );
    assert.equal(
      xml,
      '<PutResponse xmlns="https://test.example/doc/2020-01-01/"><PutResult>' +
        '<Name>a &lt; b &amp; &quot;c&quot;</Name><Count>0</Count><Big>9007199254740991</Big><Ratio>0.25</Ratio>' +
        '<Enabled>false</Enabled><At>2024-05-01T12:00:00.005Z</At><Data>AAE=</Data>' +
        '<Items><member>a</member><member>b</member></Items><Named><Item>x</Item></Named>' +
        '<Pairs><entry><key>p</key><value>7</value></entry></Pairs>' +
        '<Flat><K>k1</K><V>v1</V></Flat><Flat><K>k2</K><V>v2</V></Flat>' +
        '<Tree><Label>top</Label><Child><Label>inner</Label></Child></Tree>' +
        '<Rows><member><member>r11</member><member>r12</member></member><member><member>r21</member></member></Rows>' +
        '<Other>r</Other>' +
        '</PutResult><ResponseMetadata><RequestId>req-1</RequestId></ResponseMetadata></PutResponse>',
    );
  });

  it('writes timestamps given as epoch milliseconds or ISO text', () => {
    assert.match(encodeQueryResponse(testModel, 'Put', { At: 1714564800000 }, 'r'), /<At>2024-05-01T12:00:00\.000Z<\/At>/);
    assert.match(encodeQueryResponse(testModel, 'Put', { At: '2024-05-01T12:00:00Z' }, 'r'), /<At>2024-05-01T12:00:00Z<\/At>/);
  });

  it('writes an empty result element, no result for operations without output, members bare without a wrapper', () => {
    assert.equal(
      encodeQueryResponse(testModel, 'Put', undefined, 'r'),
      '<PutResponse xmlns="https://test.example/doc/2020-01-01/"><PutResult></PutResult><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></PutResponse>',
    );
    assert.equal(
      encodeQueryResponse(testModel, 'Ping', { ignored: true }, 'r'),
      '<PingResponse xmlns="https://test.example/doc/2020-01-01/"><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></PingResponse>',
    );
    assert.equal(
      encodeQueryResponse(testModel, 'Bare', { Value: 'v' }, 'r'),
      '<BareResponse xmlns="https://test.example/doc/2020-01-01/"><Value>v</Value><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></BareResponse>',
    );
  });

  it('writes SQS ReceiveMessage with flattened messages, attributes and message attributes', () => {
    const sqs = loadModel('sqs-2012-11-05');
    const xml = encodeQueryResponse(
      sqs,
      'ReceiveMessage',
      {
        Messages: [
          {
            MessageId: 'm1',
            ReceiptHandle: 'rh1',
            MD5OfBody: 'md5',
            Body: 'a\r\nb',
            Attributes: { SenderId: 'AKID', ApproximateReceiveCount: '1' },
            MD5OfMessageAttributes: 'amd5',
            MessageAttributes: {
              colour: { StringValue: 'red', DataType: 'String' },
              list: { StringListValues: ['x', 'y'], DataType: 'StringList' },
            },
          },
          { MessageId: 'm2', ReceiptHandle: 'rh2', MD5OfBody: 'md5', Body: 'plain' },
        ],
      },
      'req-9',
    );
    assert.equal(
      xml,
      '<ReceiveMessageResponse xmlns="http://queue.amazonaws.com/doc/2012-11-05/"><ReceiveMessageResult>' +
        '<Message><MessageId>m1</MessageId><ReceiptHandle>rh1</ReceiptHandle><MD5OfBody>md5</MD5OfBody><Body>a&#xD;\nb</Body>' +
        '<Attribute><Name>SenderId</Name><Value>AKID</Value></Attribute>' +
        '<Attribute><Name>ApproximateReceiveCount</Name><Value>1</Value></Attribute>' +
        '<MD5OfMessageAttributes>amd5</MD5OfMessageAttributes>' +
        '<MessageAttribute><Name>colour</Name><Value><StringValue>red</StringValue><DataType>String</DataType></Value></MessageAttribute>' +
        '<MessageAttribute><Name>list</Name><Value><StringListValue>x</StringListValue><StringListValue>y</StringListValue><DataType>StringList</DataType></Value></MessageAttribute>' +
        '</Message>' +
        '<Message><MessageId>m2</MessageId><ReceiptHandle>rh2</ReceiptHandle><MD5OfBody>md5</MD5OfBody><Body>plain</Body></Message>' +
        '</ReceiveMessageResult><ResponseMetadata><RequestId>req-9</RequestId></ResponseMetadata></ReceiveMessageResponse>',
    );
  });

  it('writes SQS batch results, queue lists and attribute maps with their query-era names', () => {
    const sqs = loadModel('sqs-2012-11-05');
    assert.equal(
      encodeQueryResponse(
        sqs,
        'SendMessageBatch',
        {
          Successful: [{ Id: 'a', MessageId: 'm1', MD5OfMessageBody: 'md5' }],
          Failed: [{ Id: 'b', SenderFault: true, Code: 'InvalidParameterValue', Message: 'bad' }],
        },
        'r',
      ),
      '<SendMessageBatchResponse xmlns="http://queue.amazonaws.com/doc/2012-11-05/"><SendMessageBatchResult>' +
        '<SendMessageBatchResultEntry><Id>a</Id><MessageId>m1</MessageId><MD5OfMessageBody>md5</MD5OfMessageBody></SendMessageBatchResultEntry>' +
        '<BatchResultErrorEntry><Id>b</Id><SenderFault>true</SenderFault><Code>InvalidParameterValue</Code><Message>bad</Message></BatchResultErrorEntry>' +
        '</SendMessageBatchResult><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></SendMessageBatchResponse>',
    );
    assert.match(
      encodeQueryResponse(sqs, 'ListQueues', { QueueUrls: ['u1', 'u2'] }, 'r'),
      /<ListQueuesResult><QueueUrl>u1<\/QueueUrl><QueueUrl>u2<\/QueueUrl><\/ListQueuesResult>/,
    );
    assert.match(
      encodeQueryResponse(sqs, 'GetQueueAttributes', { Attributes: { DelaySeconds: '0' } }, 'r'),
      /<GetQueueAttributesResult><Attribute><Name>DelaySeconds<\/Name><Value>0<\/Value><\/Attribute><\/GetQueueAttributesResult>/,
    );
    assert.match(
      encodeQueryResponse(sqs, 'ListQueueTags', { Tags: { team: 'core' } }, 'r'),
      /<ListQueueTagsResult><Tag><Key>team<\/Key><Value>core<\/Value><\/Tag><\/ListQueueTagsResult>/,
    );
    assert.match(
      encodeQueryResponse(sqs, 'CreateQueue', { QueueUrl: 'http://localhost:4566/000000000000/q' }, 'r'),
      /<CreateQueueResult><QueueUrl>http:\/\/localhost:4566\/000000000000\/q<\/QueueUrl><\/CreateQueueResult>/,
    );
  });

  it('writes STS GetCallerIdentity', () => {
    const sts = loadModel('sts-2011-06-15');
    assert.equal(
      encodeQueryResponse(sts, 'GetCallerIdentity', { UserId: 'AKID', Account: '000000000000', Arn: 'arn:aws:iam::000000000000:root' }, 'r'),
      '<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult>' +
        '<UserId>AKID</UserId><Account>000000000000</Account><Arn>arn:aws:iam::000000000000:root</Arn>' +
        '</GetCallerIdentityResult><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></GetCallerIdentityResponse>',
    );
  });
});

describe('encodeQueryError', () => {
  it('writes the STS shape: type, code, message, request id', () => {
    const err = new AwsError('ValidationError', "Value 'x' at 'roleArn' <bad>", 400);
    assert.equal(
      encodeQueryError(err, 'r-1', 'https://sts.amazonaws.com/doc/2011-06-15/'),
      '<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type><Code>ValidationError</Code>' +
        '<Message>Value &apos;x&apos; at &apos;roleArn&apos; &lt;bad&gt;</Message></Error><RequestId>r-1</RequestId></ErrorResponse>',
    );
  });

  it('writes the SQS shape: the legacy query code and an empty Detail', () => {
    const err = new AwsError('QueueDoesNotExist', 'The specified queue does not exist for this wsdl version.', 400, {
      queryCode: 'AWS.SimpleQueueService.NonExistentQueue',
    });
    assert.equal(
      encodeQueryError(err, 'r-2', 'http://queue.amazonaws.com/doc/2012-11-05/', true),
      '<ErrorResponse xmlns="http://queue.amazonaws.com/doc/2012-11-05/"><Error><Type>Sender</Type>' +
        '<Code>AWS.SimpleQueueService.NonExistentQueue</Code><Message>The specified queue does not exist for this wsdl version.</Message>' +
        '<Detail/></Error><RequestId>r-2</RequestId></ErrorResponse>',
    );
  });

  it('reports server faults as Receiver, adds scalar fields, and works without a namespace', () => {
    const err = new AwsError('InternalFailure', 'boom', 500, { fields: { BucketName: 'b', Count: 2, Nested: { x: 1 } } });
    assert.equal(
      encodeQueryError(err, 'r-3'),
      '<ErrorResponse><Error><Type>Receiver</Type><Code>InternalFailure</Code><Message>boom</Message>' +
        '<BucketName>b</BucketName><Count>2</Count></Error><RequestId>r-3</RequestId></ErrorResponse>',
    );
  });
});

describe('xml', () => {
  it('escapes markup, quotes and CR, and leaves other text alone', () => {
    assert.equal(escapeXml(`a&b<c>d"e'f\rg\nh\ti`), 'a&amp;b&lt;c&gt;d&quot;e&apos;f&#xD;g\nh\ti');
    const plain = 'nothing to escape: ünïcödé 🚀';
    assert.equal(escapeXml(plain), plain);
  });

  it('writes elements, attributes and empty elements', () => {
    const w = new XmlWriter().open('A', { xmlns: 'urn:x', note: 'a"b' }).element('B', '1 < 2').empty('C').close('A');
    assert.equal(w.toString(), '<A xmlns="urn:x" note="a&quot;b"><B>1 &lt; 2</B><C/></A>');
  });
});
