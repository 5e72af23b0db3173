import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { harness, N, rejects, S, type Harness } from './harness.js';

describe('items', () => {
  let h: Harness;
  before(async () => {
    h = await harness();
    await h.table('hash');
    await h.table('range', { range: true });
    await h.call('CreateTable', {
      TableName: 'indexed',
      AttributeDefinitions: [
        { AttributeName: 'pk', AttributeType: 'S' },
        { AttributeName: 'g', AttributeType: 'S' },
      ],
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      BillingMode: 'PAY_PER_REQUEST',
      GlobalSecondaryIndexes: [{ IndexName: 'by-g', KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' } }],
    });
  });
  after(() => h.close());

  it('puts and gets items, numbers made canonical', async () => {
    assert.deepEqual(await h.call('PutItem', { TableName: 'hash', Item: { pk: S('a'), n: N('1.50'), l: { L: [S('x'), { NULL: true }] } } }), {});
    assert.deepEqual(await h.call('GetItem', { TableName: 'hash', Key: { pk: S('a') } }), { Item: { pk: S('a'), n: N('1.5'), l: { L: [S('x'), { NULL: true }] } } });
    assert.deepEqual(await h.call('GetItem', { TableName: 'hash', Key: { pk: S('missing') } }), {});
  });

  it('accepts the table ARN as TableName', async () => {
    const arn = 'arn:aws:dynamodb:us-east-1:000000000000:table/hash';
    await h.call('PutItem', { TableName: arn, Item: { pk: S('by-arn') } });
    assert.deepEqual((await h.call('GetItem', { TableName: 'hash', Key: { pk: S('by-arn') } })).Item, { pk: S('by-arn') });
  });

  it('projects with ProjectionExpression and AttributesToGet', async () => {
    await h.call('PutItem', { TableName: 'hash', Item: { pk: S('p'), a: { M: { b: N(1), c: N(2) } }, l: { L: [N(1), N(2), N(3)] }, z: S('z') } });
    const projected = await h.call('GetItem', { TableName: 'hash', Key: { pk: S('p') }, ProjectionExpression: 'a.c, l[2], #z', ExpressionAttributeNames: { '#z': 'z' } });
    assert.deepEqual(projected.Item, { a: { M: { c: N(2) } }, l: { L: [N(3)] }, z: S('z') });
    const legacy = await h.call('GetItem', { TableName: 'hash', Key: { pk: S('p') }, AttributesToGet: ['z', 'nope'] });
    assert.deepEqual(legacy.Item, { z: S('z') });
  });

  it('gives AWS messages for keys and items that do not fit the schema', async () => {
    await rejects(h.call('GetItem', { TableName: 'hash', Key: { pk: N(1) } }), 'ValidationException', 'The provided key element does not match the schema');
    await rejects(h.call('GetItem', { TableName: 'range', Key: { pk: S('a') } }), 'ValidationException', 'The provided key element does not match the schema');
    await rejects(
      h.call('GetItem', { TableName: 'hash', Key: { pk: S('') } }),
      'ValidationException',
      'One or more parameter values were invalid: The AttributeValue for a key attribute cannot contain an empty string value. Key: pk',
    );
    await rejects(h.call('PutItem', { TableName: 'range', Item: { pk: S('a') } }), 'ValidationException', 'One or more parameter values were invalid: Missing the key sk in the item');
    await rejects(
      h.call('PutItem', { TableName: 'range', Item: { pk: S('a'), sk: S('1') } }),
      'ValidationException',
      'One or more parameter values were invalid: Type mismatch for key sk expected: N actual: S',
    );
    await rejects(
      h.call('PutItem', { TableName: 'hash', Item: { pk: S('') } }),
      'ValidationException',
      'One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty string value. Key: pk',
    );
    await rejects(
      h.call('PutItem', { TableName: 'hash', Item: { pk: S('x'.repeat(2049)) } }),
      'ValidationException',
      'One or more parameter values were invalid: Size of hashkey has exceeded the maximum size limit of2048 bytes',
    );
    await rejects(
      h.call('PutItem', { TableName: 'indexed', Item: { pk: S('a'), g: N(1) } }),
      'ValidationException',
      'One or more parameter values were invalid: Type mismatch for Index Key g Expected: S Actual: N IndexName: by-g',
    );
    await rejects(h.call('PutItem', { TableName: 'nope', Item: { pk: S('a') } }), 'ResourceNotFoundException', 'Requested resource not found');
  });

  it('checks values and sizes before looking up the table', async () => {
    await rejects(h.call('PutItem', { TableName: 'nope', Item: { a: {} } }), 'ValidationException', 'Supplied AttributeValue is empty, must contain exactly one of the supported datatypes');
    await rejects(
      h.call('PutItem', { TableName: 'nope', Item: { a: { NS: ['1', '1.0'] } } }),
      'ValidationException',
      'Input collection contains duplicates',
    );
    await rejects(h.call('PutItem', { TableName: 'nope', Item: { pk: S('a'), b: S('x'.repeat(400 * 1024)) } }), 'ValidationException', 'Item size has exceeded the maximum allowed size');
    await rejects(h.call('PutItem', { TableName: 'nope', Item: { pk: S('a') }, ReturnValues: 'ALL_NEW' }), 'ValidationException', 'ReturnValues can only be ALL_OLD or NONE');
    const e = await rejects(h.call('PutItem', { TableName: 'abc;', ReturnValues: 'hi' }), 'ValidationException');
    assert.match(e.message, /^3 validation errors detected: /);
  });

  it('evaluates conditions inside the write, with ReturnValuesOnConditionCheckFailure', async () => {
    await h.call('PutItem', { TableName: 'hash', Item: { pk: S('c'), v: N(1) } });
    const failed = await rejects(
      h.call('PutItem', {
        TableName: 'hash',
        Item: { pk: S('c'), v: N(2) },
        ConditionExpression: 'attribute_not_exists(pk)',
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      }),
      'ConditionalCheckFailedException',
      'The conditional request failed',
    );
    assert.deepEqual(failed.fields, { Item: { pk: S('c'), v: N(1) } });
    const plain = await rejects(h.call('DeleteItem', { TableName: 'hash', Key: { pk: S('c') }, ConditionExpression: 'v > :v', ExpressionAttributeValues: { ':v': N(5) } }), 'ConditionalCheckFailedException');
    assert.equal(plain.fields, undefined);
    await h.call('PutItem', { TableName: 'hash', Item: { pk: S('c'), v: N(2) }, Expected: { v: { Value: N(1) } } });
    await rejects(h.call('PutItem', { TableName: 'hash', Item: { pk: S('c') }, Expected: { v: { Exists: false } } }), 'ConditionalCheckFailedException');
    await rejects(
      h.call('PutItem', { TableName: 'hash', Item: { pk: S('c') }, Expected: { v: { Exists: true } } }),
      'ValidationException',
      'One or more parameter values were invalid: Value must be provided when Exists is true for Attribute: v',
    );
  });

  it('returns the old item with ALL_OLD', async () => {
    await h.call('PutItem', { TableName: 'hash', Item: { pk: S('r'), v: N(1) } });
    assert.deepEqual(await h.call('PutItem', { TableName: 'hash', Item: { pk: S('r'), v: N(2) }, ReturnValues: 'ALL_OLD' }), { Attributes: { pk: S('r'), v: N(1) } });
    assert.deepEqual(await h.call('DeleteItem', { TableName: 'hash', Key: { pk: S('r') }, ReturnValues: 'ALL_OLD' }), { Attributes: { pk: S('r'), v: N(2) } });
    assert.deepEqual(await h.call('DeleteItem', { TableName: 'hash', Key: { pk: S('r') }, ReturnValues: 'ALL_OLD' }), {});
  });

  it('updates with expressions and every ReturnValues', async () => {
    const key = { pk: S('u') };
    assert.deepEqual(await h.call('UpdateItem', { TableName: 'hash', Key: key }), {});
    assert.deepEqual((await h.call('GetItem', { TableName: 'hash', Key: key })).Item, key);
    const updatedNew = await h.call('UpdateItem', {
      TableName: 'hash',
      Key: key,
      UpdateExpression: 'SET a = :a, l = list_append(if_not_exists(l, :empty), :l) ADD n :one, s :s',
      ExpressionAttributeValues: { ':a': S('x'), ':l': { L: [N(1)] }, ':empty': { L: [] }, ':one': N(1), ':s': { SS: ['p', 'q'] } },
      ReturnValues: 'UPDATED_NEW',
    });
    assert.deepEqual(updatedNew.Attributes, { a: S('x'), l: { L: [N(1)] }, n: N(1), s: { SS: ['p', 'q'] } });
    const updatedOld = await h.call('UpdateItem', {
      TableName: 'hash',
      Key: key,
      UpdateExpression: 'SET n = n + :two REMOVE a DELETE s :p',
      ExpressionAttributeValues: { ':two': N(2), ':p': { SS: ['p'] } },
      ReturnValues: 'UPDATED_OLD',
    });
    assert.deepEqual(updatedOld.Attributes, { n: N(1), a: S('x'), s: { SS: ['p', 'q'] } });
    const allNew = await h.call('UpdateItem', { TableName: 'hash', Key: key, UpdateExpression: 'SET b = :b', ExpressionAttributeValues: { ':b': { BOOL: true } }, ReturnValues: 'ALL_NEW' });
    assert.deepEqual(allNew.Attributes, { pk: S('u'), l: { L: [N(1)] }, n: N(3), s: { SS: ['q'] }, b: { BOOL: true } });
    const allOld = await h.call('UpdateItem', { TableName: 'hash', Key: key, UpdateExpression: 'REMOVE b', ReturnValues: 'ALL_OLD' });
    assert.deepEqual(allOld.Attributes, allNew.Attributes);
  });

  it('updates with legacy AttributeUpdates', async () => {
    const key = { pk: S('legacy') };
    await h.call('UpdateItem', { TableName: 'hash', Key: key, AttributeUpdates: { a: { Value: N(5) }, s: { Action: 'ADD', Value: { NS: ['1', '2'] } } } });
    const result = await h.call('UpdateItem', {
      TableName: 'hash',
      Key: key,
      AttributeUpdates: { a: { Action: 'ADD', Value: N(-1) }, s: { Action: 'DELETE', Value: { NS: ['1'] } } },
      ReturnValues: 'ALL_NEW',
    });
    assert.deepEqual(result.Attributes, { pk: S('legacy'), a: N(4), s: { NS: ['2'] } });
    await rejects(
      h.call('UpdateItem', { TableName: 'hash', Key: key, AttributeUpdates: { a: { Action: 'ADD', Value: S('x') } } }),
      'ValidationException',
      'One or more parameter values were invalid: ADD action is not supported for the type S',
    );
  });

  it('refuses updates of key attributes and bad operand types', async () => {
    await rejects(
      h.call('UpdateItem', { TableName: 'hash', Key: { pk: S('k') }, UpdateExpression: 'SET pk = :v', ExpressionAttributeValues: { ':v': S('x') } }),
      'ValidationException',
      'One or more parameter values were invalid: Cannot update attribute pk. This attribute is part of the key',
    );
    await h.call('PutItem', { TableName: 'hash', Item: { pk: S('k'), s: S('text') } });
    await rejects(
      h.call('UpdateItem', { TableName: 'hash', Key: { pk: S('k') }, UpdateExpression: 'SET s = s + :one', ExpressionAttributeValues: { ':one': N(1) } }),
      'ValidationException',
      'An operand in the update expression has an incorrect data type',
    );
    await rejects(
      h.call('UpdateItem', { TableName: 'hash', Key: { pk: S('k') }, UpdateExpression: 'SET m.x = :one', ExpressionAttributeValues: { ':one': N(1) } }),
      'ValidationException',
      'The document path provided in the update expression is invalid for update',
    );
    await rejects(
      h.call('UpdateItem', { TableName: 'hash', Key: { pk: S('k') }, UpdateExpression: 'SET big = :big', ExpressionAttributeValues: { ':big': S('x'.repeat(400 * 1024)) } }),
      'ValidationException',
      'Item size to update has exceeded the maximum allowed size',
    );
    assert.deepEqual((await h.call('GetItem', { TableName: 'hash', Key: { pk: S('k') } })).Item, { pk: S('k'), s: S('text') });
  });

  it('returns ConsumedCapacity when asked', async () => {
    await h.call('PutItem', { TableName: 'hash', Item: { pk: S('cap'), b: S('x'.repeat(2000)) } });
    assert.deepEqual(await h.call('GetItem', { TableName: 'hash', Key: { pk: S('cap') }, ReturnConsumedCapacity: 'TOTAL', ProjectionExpression: 'pk' }), {
      Item: { pk: S('cap') },
      ConsumedCapacity: { TableName: 'hash', CapacityUnits: 0.5 },
    });
    assert.deepEqual(await h.call('PutItem', { TableName: 'hash', Item: { pk: S('cap') }, ReturnConsumedCapacity: 'INDEXES' }), {
      ConsumedCapacity: { TableName: 'hash', CapacityUnits: 2, Table: { CapacityUnits: 2 } },
    });
    const indexed = await h.call('PutItem', { TableName: 'indexed', Item: { pk: S('cap'), g: S('x') }, ReturnConsumedCapacity: 'INDEXES' });
    assert.deepEqual(indexed.ConsumedCapacity, { TableName: 'indexed', CapacityUnits: 2, Table: { CapacityUnits: 1 }, GlobalSecondaryIndexes: { 'by-g': { CapacityUnits: 1 } } });
  });

  it('counts items and bytes in DescribeTable', async () => {
    await h.table('counted');
    await h.call('PutItem', { TableName: 'counted', Item: { pk: S('a'), v: S('12345') } });
    await h.call('PutItem', { TableName: 'counted', Item: { pk: S('b') } });
    const table = (await h.call('DescribeTable', { TableName: 'counted' })).Table;
    assert.equal(table.ItemCount, 2);
    assert.equal(table.TableSizeBytes, 3 + 6 + 3);
  });
});
