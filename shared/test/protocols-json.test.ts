import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { AwsError } from '../src/errors.js';
import { loadModel, type ServiceModel } from '../src/protocols/model.js';
import { decodeJson, encodeJsonError, encodeJsonResponse } from '../src/protocols/json.js';

const sqs = loadModel('sqs-2012-11-05');
const dynamodb = loadModel('dynamodb-2012-08-10');

function decodeError(model: ServiceModel, op: string, body: string): AwsError {
  try {
    decodeJson(model, op, body);
  } catch (e) {
    return e as AwsError;
  }
  assert.fail(`expected decodeJson to reject ${body}`);
}

/** The wire body of the error a request body leads to. */
function errorBody(model: ServiceModel, op: string, body: string): unknown {
  return JSON.parse(encodeJsonError(decodeError(model, op, body), model, 'com.amazonaws.ignored').body);
}

const serialization = (Message?: string) =>
  Message === undefined
    ? { __type: 'com.amazon.coral.service#SerializationException' }
    : { __type: 'com.amazon.coral.service#SerializationException', Message };

describe('decodeJson', () => {
  it('keeps the members the model knows, drops unknown ones and treats null as absent', () => {
    const input = decodeJson(
      sqs,
      'SendMessage',
      JSON.stringify({
        QueueUrl: 'http://localhost:4566/000000000000/q',
        MessageBody: 'hi',
        DelaySeconds: 5,
        MessageGroupId: null,
        Surprise: { nested: true },
        MessageAttributes: { colour: { DataType: 'String', StringValue: 'red', Extra: 1 }, gone: null },
      }),
    );
    assert.deepEqual(input, {
      QueueUrl: 'http://localhost:4566/000000000000/q',
      MessageBody: 'hi',
      DelaySeconds: 5,
      MessageAttributes: { colour: { DataType: 'String', StringValue: 'red' } },
    });
  });

  it('decodes recursive shapes (DynamoDB attribute values) to any depth', () => {
    const item = {
      pk: { S: 'p' },
      n: { N: '1.5' },
      b: { B: 'AAH+/w==' },
      set: { SS: ['a', 'b'] },
      deep: { M: { list: { L: [{ M: { flag: { BOOL: true } } }, { NULL: true }, { BS: ['AAE='] }] } } },
    };
    assert.deepEqual(decodeJson(dynamodb, 'PutItem', JSON.stringify({ TableName: 't', Item: item, ReturnValues: 'ALL_OLD' })), {
      TableName: 't',
      Item: item,
      ReturnValues: 'ALL_OLD',
    });
  });

  it('reads integers truncated, boolean words as booleans and timestamps as epoch milliseconds', () => {
    assert.deepEqual(decodeJson(dynamodb, 'Query', '{"TableName":"t","Limit":5.9,"ConsistentRead":"yes","ScanIndexForward":"F"}'), {
      TableName: 't',
      Limit: 5,
      ConsistentRead: true,
      ScanIndexForward: false,
    });
    assert.deepEqual(decodeJson(dynamodb, 'ListBackups', '{"TimeRangeLowerBound":1700000000.5,"TimeRangeUpperBound":"2024-05-01T12:00:00Z"}'), {
      TimeRangeLowerBound: 1700000000500,
      TimeRangeUpperBound: Date.UTC(2024, 4, 1, 12),
    });
  });

  it('keeps a __proto__ map key as an entry, not a prototype', () => {
    const input = decodeJson(sqs, 'TagQueue', '{"QueueUrl":"q","Tags":{"__proto__":"x","a":"b"}}');
    const tags = input.Tags as Record<string, unknown>;
    assert.equal(Object.getPrototypeOf(tags), Object.prototype);
    assert.deepEqual(Object.entries(tags), [
      ['__proto__', 'x'],
      ['a', 'b'],
    ]);
  });

  it('answers a body that is not JSON with a bare SerializationException', () => {
    for (const body of ['', 'hi', '{"QueueUrl":', '{QueueUrl:1}']) {
      const err = decodeError(sqs, 'ListQueues', body);
      assert.equal(err.status, 400);
      assert.deepEqual(JSON.parse(encodeJsonError(err, dynamodb, 'x').body), serialization());
    }
  });

  it('takes a null document as no input', () => {
    assert.deepEqual(decodeJson(sqs, 'ListQueues', 'null'), {});
    assert.deepEqual(decodeJson(sqs, 'ListQueues', '{}'), {});
  });

  it("answers type mismatches with SQS's SerializationException wording", () => {
    const cases: [string, Record<string, unknown>, string][] = [
      ['SendMessage', { QueueUrl: 'q', MessageBody: 'b', DelaySeconds: 'invalid' }, 'STRING_VALUE can not be converted to an Integer'],
      ['SendMessage', { QueueUrl: 'q', MessageBody: 'b', DelaySeconds: '5' }, 'STRING_VALUE can not be converted to an Integer'],
      ['SendMessage', { QueueUrl: 'q', MessageBody: 'b', DelaySeconds: true }, 'TRUE_VALUE can not be converted to an Integer'],
      ['SendMessage', { QueueUrl: 'q', MessageBody: 'b', DelaySeconds: [1] }, 'Start of list found where not expected'],
      ['SendMessage', { QueueUrl: 'q', MessageBody: {} }, 'Start of structure or map found where not expected.'],
      ['SendMessage', { QueueUrl: 'q', MessageBody: 5 }, 'NUMBER_VALUE can not be converted to a String'],
      ['SendMessage', { QueueUrl: 'q', MessageBody: 5.5 }, 'DECIMAL_VALUE can not be converted to a String'],
      ['SendMessage', { QueueUrl: false, MessageBody: 'b' }, 'FALSE_VALUE can not be converted to a String'],
      ['ListMessageMoveTasks', { SourceArn: 'a', MaxResults: 'x' }, 'STRING_VALUE can not be converted to an Integer'],
      ['ReceiveMessage', { QueueUrl: 'q', AttributeNames: 'All' }, 'Expected list or null'],
      ['CreateQueue', { QueueName: 'q', Attributes: 'x' }, 'Expected map or null'],
      ['CreateQueue', { QueueName: 'q', Attributes: ['x'] }, 'Start of list found where not expected'],
      ['SendMessageBatch', { QueueUrl: 'q', Entries: ['x'] }, 'Expected null'],
      ['SendMessageBatch', { QueueUrl: 'q', Entries: {} }, 'Start of structure or map found where not expected.'],
      [
        'SendMessage',
        { QueueUrl: 'q', MessageBody: 'b', MessageAttributes: { a: { DataType: 'Binary', BinaryValue: 5 } } },
        'only base-64-encoded strings are convertible to bytes',
      ],
      [
        'SendMessage',
        { QueueUrl: 'q', MessageBody: 'b', MessageAttributes: { a: { DataType: 'Binary', BinaryValue: 'abc' } } },
        'Base64 encoded length is expected a multiple of 4 bytes but found: 3',
      ],
    ];
    for (const [op, body, message] of cases) assert.deepEqual(errorBody(sqs, op, JSON.stringify(body)), serialization(message), message);
    assert.deepEqual(errorBody(sqs, 'ListQueues', '[]'), serialization('Start of list found where not expected'));
    assert.deepEqual(errorBody(sqs, 'ListQueues', '"x"'), serialization('Expected null'));
  });

  it("answers type mismatches with DynamoDB's SerializationException wording", () => {
    const query = (extra: Record<string, unknown>) => JSON.stringify({ TableName: 't', ...extra });
    const item = (value: unknown) => JSON.stringify({ TableName: 't', Item: { a: value } });
    const cases: [string, string, string][] = [
      ['Query', query({ Limit: '23' }), 'STRING_VALUE cannot be converted to Integer'],
      ['Query', query({ Limit: true }), 'TRUE_VALUE cannot be converted to Integer'],
      ['Query', query({ Limit: [] }), 'Unrecognized collection type class java.lang.Integer'],
      ['Query', query({ Limit: {} }), 'Start of structure or map found where not expected'],
      ['Query', query({ ConsistentRead: '23' }), 'Unexpected token received from parser'],
      ['Query', query({ ConsistentRead: 23 }), 'NUMBER_VALUE cannot be converted to Boolean'],
      ['Query', query({ ConsistentRead: 34.56 }), 'DECIMAL_VALUE cannot be converted to Boolean'],
      ['Query', query({ ConsistentRead: [] }), 'Unrecognized collection type class java.lang.Boolean'],
      ['Query', query({ IndexName: false }), 'FALSE_VALUE cannot be converted to String'],
      ['Query', query({ IndexName: 2147483648 }), 'NUMBER_VALUE cannot be converted to String'],
      ['Query', query({ IndexName: [] }), 'Unrecognized collection type class java.lang.String'],
      ['Query', query({ AttributesToGet: 'a' }), 'Unexpected field type'],
      ['Query', query({ AttributesToGet: {} }), 'Start of structure or map found where not expected'],
      ['Query', query({ KeyConditions: 23 }), 'Unexpected field type'],
      ['PutItem', item({ S: 23 }), 'NUMBER_VALUE cannot be converted to String'],
      ['PutItem', item({ B: true }), 'only base-64-encoded strings are convertible to bytes'],
      ['PutItem', item({ B: [] }), 'Unrecognized collection type class java.nio.ByteBuffer'],
      ['PutItem', item({ B: '23456' }), 'Base64 encoded length is expected a multiple of 4 bytes but found: 5'],
      ['PutItem', item({ B: '=+/=' }), 'Invalid last non-pad Base64 character dectected'],
      ['PutItem', item({ B: '+/+=' }), 'Invalid last non-pad Base64 character dectected'],
      ['PutItem', item({ L: [{ M: { x: { N: 5 } } }] }), 'NUMBER_VALUE cannot be converted to String'],
      ['ListBackups', JSON.stringify({ TimeRangeLowerBound: true }), 'TRUE_VALUE cannot be converted to Date'],
    ];
    for (const [op, body, message] of cases) assert.deepEqual(errorBody(dynamodb, op, body), serialization(message), `${body} → ${message}`);
  });

  it("names DynamoDB's Java types for structures, maps and nested collections (shape names from the supplement)", () => {
    const cast =
      'class sun.reflect.generics.reflectiveObjects.ParameterizedTypeImpl cannot be cast to class java.lang.Class ' +
      "(sun.reflect.generics.reflectiveObjects.ParameterizedTypeImpl and java.lang.Class are in module java.base of loader 'bootstrap')";
    const pkg = 'com.amazonaws.dynamodb.v20120810';
    const cases: [string, unknown, string][] = [
      // a structure member of a structure
      ['CreateTable', { ProvisionedThroughput: 5 }, 'Unexpected field type'],
      ['CreateTable', { ProvisionedThroughput: [] }, `Unrecognized collection type class ${pkg}.ProvisionedThroughput`],
      ['UpdateTable', { GlobalSecondaryIndexUpdates: [{ Create: [] }] }, `Unrecognized collection type class ${pkg}.CreateGlobalSecondaryIndexAction`],
      // a structure in a list or a map
      ['CreateTable', { KeySchema: ['a'] }, 'Unexpected value type in payload'],
      ['CreateTable', { KeySchema: [[]] }, `Unrecognized collection type class ${pkg}.KeySchemaElement`],
      ['BatchGetItem', { RequestItems: { t: true } }, 'Unexpected value type in payload'],
      ['PutItem', { Item: { a: 34.56 } }, 'Unexpected value type in payload'],
      ['PutItem', { Item: { a: { L: [23] } } }, 'Unexpected value type in payload'],
      ['PutItem', { Item: { a: [] } }, `Unrecognized collection type class ${pkg}.AttributeValue`],
      ['PutItem', { Expected: { a: { Value: [] } } }, `Unrecognized collection type class ${pkg}.AttributeValue`],
      // a map
      ['PutItem', { Item: [] }, `Unrecognized collection type java.util.Map<java.lang.String, ${pkg}.AttributeValue>`],
      ['GetItem', { ExpressionAttributeNames: [] }, 'Unrecognized collection type java.util.Map<java.lang.String, java.lang.String>'],
      ['BatchWriteItem', { RequestItems: [] }, `Unrecognized collection type java.util.Map<java.lang.String, java.util.List<${pkg}.WriteRequest>>`],
      // a list in a map, a map in a list
      ['BatchWriteItem', { RequestItems: { t: 'x' } }, cast],
      ['BatchWriteItem', { RequestItems: { t: {} } }, 'Start of structure or map found where not expected'],
      ['BatchGetItem', { RequestItems: { t: { Keys: [23] } } }, cast],
      ['BatchGetItem', { RequestItems: { t: { Keys: [[]] } } }, `Unrecognized collection type java.util.Map<java.lang.String, ${pkg}.AttributeValue>`],
    ];
    for (const [op, body, message] of cases) {
      assert.deepEqual(errorBody(dynamodb, op, JSON.stringify(body)), serialization(message), `${JSON.stringify(body)} → ${message}`);
    }
    // SQS words a structure alike wherever it sits.
    assert.deepEqual(
      errorBody(sqs, 'SendMessage', JSON.stringify({ QueueUrl: 'q', MessageBody: 'b', MessageAttributes: { a: 5 } })),
      serialization('Expected null'),
    );
  });

  it('rejects unknown operations', () => {
    assert.equal(decodeError(sqs, 'Nope', '{}').code, 'InvalidAction');
  });
});

describe('encodeJsonResponse', () => {
  it('writes outputs without timestamps as they are', () => {
    const out = { QueueUrls: ['a', 'b'], NextToken: 't' };
    assert.equal(encodeJsonResponse(sqs, 'ListQueues', out), JSON.stringify(out));
    assert.equal(encodeJsonResponse(sqs, 'ListQueues', undefined), '{}');
    assert.equal(encodeJsonResponse(sqs, 'DeleteQueue', { ignored: 1 }), '{}');
  });

  it('writes timestamps as epoch seconds wherever they sit, leaving the handler output untouched', () => {
    const created = new Date(Date.UTC(2024, 4, 1, 12, 0, 0, 250));
    const output = {
      Table: {
        TableName: 't',
        CreationDateTime: created,
        ProvisionedThroughput: { LastIncreaseDateTime: 1714564800000, ReadCapacityUnits: 5 },
        GlobalSecondaryIndexes: [{ IndexName: 'g', ProvisionedThroughput: { LastDecreaseDateTime: '2024-05-01T12:00:00Z' } }],
        ItemCount: 3,
      },
    };
    const json = JSON.parse(encodeJsonResponse(dynamodb, 'DescribeTable', output));
    assert.deepEqual(json, {
      Table: {
        TableName: 't',
        CreationDateTime: 1714564800.25,
        ProvisionedThroughput: { LastIncreaseDateTime: 1714564800, ReadCapacityUnits: 5 },
        GlobalSecondaryIndexes: [{ IndexName: 'g', ProvisionedThroughput: { LastDecreaseDateTime: 1714564800 } }],
        ItemCount: 3,
      },
    });
    assert.equal(output.Table.CreationDateTime, created);
  });

  it('writes items of recursive shapes as they are', () => {
    const out = { Item: { a: { M: { b: { L: [{ N: '1' }, { B: 'AAE=' }] } } } } };
    assert.deepEqual(JSON.parse(encodeJsonResponse(dynamodb, 'GetItem', out)), out);
  });
});

describe('encodeJsonError', () => {
  it('names an SQS error by its shape and its legacy query code', () => {
    const err = new AwsError('QueueDoesNotExist', 'The specified queue does not exist.', 400, { queryCode: 'AWS.SimpleQueueService.NonExistentQueue' });
    const { body, headers } = encodeJsonError(err, sqs, 'com.amazonaws.sqs');
    assert.deepEqual(JSON.parse(body), { __type: 'com.amazonaws.sqs#QueueDoesNotExist', message: 'The specified queue does not exist.' });
    assert.deepEqual(headers, { 'x-amzn-query-error': 'AWS.SimpleQueueService.NonExistentQueue;Sender' });
  });

  it('reports server faults as Receiver', () => {
    const { headers } = encodeJsonError(new AwsError('InternalError', 'x', 500), sqs, 'com.amazonaws.sqs');
    assert.deepEqual(headers, { 'x-amzn-query-error': 'InternalError;Receiver' });
  });

  it("uses the error's own namespace, the Coral framework spelling and extra fields", () => {
    const validation = new AwsError('ValidationException', 'The parameter cannot be converted to a numeric value', 400, {
      typeNamespace: 'com.amazon.coral.validate',
    });
    const encoded = encodeJsonError(validation, dynamodb, 'com.amazonaws.dynamodb.v20120810');
    assert.deepEqual(JSON.parse(encoded.body), {
      __type: 'com.amazon.coral.validate#ValidationException',
      message: 'The parameter cannot be converted to a numeric value',
    });
    assert.deepEqual(encoded.headers, {});

    const unknown = new AwsError('UnknownOperationException', '', 400, { typeNamespace: 'com.amazon.coral.service' });
    assert.equal(encodeJsonError(unknown, dynamodb, 'x').body, '{"__type":"com.amazon.coral.service#UnknownOperationException"}');

    const cancelled = new AwsError('TransactionCanceledException', 'Transaction cancelled', 400, {
      fields: { CancellationReasons: [{ Code: 'ConditionalCheckFailed' }], message: 'not overridden' },
    });
    assert.deepEqual(JSON.parse(encodeJsonError(cancelled, dynamodb, 'com.amazonaws.dynamodb.v20120810').body), {
      __type: 'com.amazonaws.dynamodb.v20120810#TransactionCanceledException',
      message: 'Transaction cancelled',
      CancellationReasons: [{ Code: 'ConditionalCheckFailed' }],
    });
  });
});
