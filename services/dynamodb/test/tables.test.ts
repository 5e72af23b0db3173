import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { harness, rejects, T0, type Harness } from './harness.js';

describe('tables', () => {
  let h: Harness;
  before(async () => {
    h = await harness();
  });
  after(() => h.close());

  const basic = (name: string, extra: Record<string, unknown> = {}) => ({
    TableName: name,
    AttributeDefinitions: [{ AttributeName: 'a', AttributeType: 'S' }],
    KeySchema: [{ AttributeName: 'a', KeyType: 'HASH' }],
    ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 5 },
    ...extra,
  });

  it('CreateTable answers CREATING, DescribeTable ACTIVE with the settled fields', async () => {
    const created = (await h.call('CreateTable', basic('t-basic'))).TableDescription;
    assert.equal(created.TableStatus, 'CREATING');
    assert.equal(created.TableArn, 'arn:aws:dynamodb:us-east-1:000000000000:table/t-basic');
    assert.match(created.TableId, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    assert.equal(created.CreationDateTime, T0);
    assert.deepEqual(created.ProvisionedThroughput, { NumberOfDecreasesToday: 0, ReadCapacityUnits: 5, WriteCapacityUnits: 5 });
    assert.equal(created.DeletionProtectionEnabled, false);
    assert.equal(created.WarmThroughput, undefined);
    const table = (await h.call('DescribeTable', { TableName: 't-basic' })).Table;
    assert.equal(table.TableStatus, 'ACTIVE');
    assert.deepEqual(table.WarmThroughput, { ReadUnitsPerSecond: 5, WriteUnitsPerSecond: 5, Status: 'ACTIVE' });
    assert.equal(table.ItemCount, 0);
    assert.equal(table.TableSizeBytes, 0);
  });

  it('rejects a second CreateTable of the same name', async () => {
    await rejects(h.call('CreateTable', basic('t-basic')), 'ResourceInUseException', 'Table already exists: t-basic');
  });

  it('PAY_PER_REQUEST tables report zero throughput and a billing summary', async () => {
    const created = (await h.call('CreateTable', { ...basic('t-ppr'), ProvisionedThroughput: undefined, BillingMode: 'PAY_PER_REQUEST' })).TableDescription;
    assert.deepEqual(created.BillingModeSummary, { BillingMode: 'PAY_PER_REQUEST' });
    assert.deepEqual(created.ProvisionedThroughput, { NumberOfDecreasesToday: 0, ReadCapacityUnits: 0, WriteCapacityUnits: 0 });
    const table = (await h.call('DescribeTable', { TableName: 't-ppr' })).Table;
    assert.deepEqual(table.BillingModeSummary, { BillingMode: 'PAY_PER_REQUEST', LastUpdateToPayPerRequestDateTime: T0 });
    assert.deepEqual(table.WarmThroughput, { ReadUnitsPerSecond: 12000, WriteUnitsPerSecond: 4000, Status: 'ACTIVE' });
  });

  it('validates CreateTable as AWS does', async () => {
    await rejects(h.call('CreateTable', {}), 'ValidationException', "The parameter 'TableName' is required but was not present in the request");
    await rejects(h.call('CreateTable', { TableName: 'a;' }), 'ValidationException', 'TableName must be at least 3 characters long and at most 255 characters long');
    const e = await rejects(h.call('CreateTable', { TableName: 'abc;' }), 'ValidationException');
    assert.match(e.message, /^3 validation errors detected: /);
    assert.match(e.message, /Value 'abc;' at 'tableName' failed to satisfy constraint: Member must satisfy regular expression pattern: \[a-zA-Z0-9_.-\]\+/);
    assert.match(e.message, /Value null at 'keySchema' failed to satisfy constraint: Member must not be null/);
    await rejects(
      h.call('CreateTable', { ...basic('abc'), ProvisionedThroughput: undefined }),
      'ValidationException',
      'One or more parameter values were invalid: ReadCapacityUnits and WriteCapacityUnits must both be specified when BillingMode is PROVISIONED',
    );
    await rejects(
      h.call('CreateTable', { ...basic('abc'), BillingMode: 'PAY_PER_REQUEST' }),
      'ValidationException',
      'One or more parameter values were invalid: Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST',
    );
    await rejects(
      h.call('CreateTable', { ...basic('abc'), AttributeDefinitions: [{ AttributeName: 'b', AttributeType: 'S' }] }),
      'ValidationException',
      'One or more parameter values were invalid: Some index key attributes are not defined in AttributeDefinitions. Keys: [a], AttributeDefinitions: [b]',
    );
    await rejects(
      h.call('CreateTable', {
        ...basic('abc'),
        AttributeDefinitions: [
          { AttributeName: 'a', AttributeType: 'S' },
          { AttributeName: 'b', AttributeType: 'S' },
        ],
      }),
      'ValidationException',
      'One or more parameter values were invalid: Number of attributes in KeySchema does not exactly match number of attributes defined in AttributeDefinitions',
    );
    await rejects(
      h.call('CreateTable', { ...basic('abc'), AttributeDefinitions: [{ AttributeName: 'a', AttributeType: 'SS' }] }),
      'ValidationException',
      "1 validation error detected: Value 'SS' at 'attributeDefinitions.1.member.attributeType' failed to satisfy constraint: Member must satisfy enum value set: [B, N, S]",
    );
    await rejects(
      h.call('CreateTable', {
        ...basic('abc'),
        AttributeDefinitions: [
          { AttributeName: 'a', AttributeType: 'S' },
          { AttributeName: 'b', AttributeType: 'S' },
        ],
        LocalSecondaryIndexes: [{ IndexName: 'abc', KeySchema: [{ AttributeName: 'a', KeyType: 'HASH' }, { AttributeName: 'b', KeyType: 'RANGE' }], Projection: {} }],
      }),
      'ValidationException',
      'One or more parameter values were invalid: Table KeySchema does not have a range key, which is required when specifying a LocalSecondaryIndex',
    );
  });

  it('creates indexes, reports them, and rejects their own mistakes', async () => {
    const created = (
      await h.call('CreateTable', {
        TableName: 't-indexes',
        AttributeDefinitions: [
          { AttributeName: 'a', AttributeType: 'S' },
          { AttributeName: 'b', AttributeType: 'N' },
          { AttributeName: 'c', AttributeType: 'S' },
        ],
        KeySchema: [
          { AttributeName: 'a', KeyType: 'HASH' },
          { AttributeName: 'b', KeyType: 'RANGE' },
        ],
        BillingMode: 'PAY_PER_REQUEST',
        LocalSecondaryIndexes: [{ IndexName: 'lsi', KeySchema: [{ AttributeName: 'a', KeyType: 'HASH' }, { AttributeName: 'c', KeyType: 'RANGE' }], Projection: { ProjectionType: 'KEYS_ONLY' } }],
        GlobalSecondaryIndexes: [{ IndexName: 'gsi', KeySchema: [{ AttributeName: 'c', KeyType: 'HASH' }], Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['d'] } }],
      })
    ).TableDescription;
    assert.equal(created.GlobalSecondaryIndexes[0].IndexStatus, 'CREATING');
    assert.equal(created.GlobalSecondaryIndexes[0].IndexArn, 'arn:aws:dynamodb:us-east-1:000000000000:table/t-indexes/index/gsi');
    assert.deepEqual(created.LocalSecondaryIndexes[0].Projection, { ProjectionType: 'KEYS_ONLY' });
    const table = (await h.call('DescribeTable', { TableName: 't-indexes' })).Table;
    assert.equal(table.GlobalSecondaryIndexes[0].IndexStatus, 'ACTIVE');
    assert.deepEqual(table.GlobalSecondaryIndexes[0].ProvisionedThroughput, { NumberOfDecreasesToday: 0, ReadCapacityUnits: 0, WriteCapacityUnits: 0 });
  });

  it('lists tables a page at a time', async () => {
    for (const name of ['list-a', 'list-b', 'list-c']) await h.call('CreateTable', basic(name));
    const all = (await h.call('ListTables', {})).TableNames as string[];
    assert.deepEqual(
      all.filter((n) => n.startsWith('list-')),
      ['list-a', 'list-b', 'list-c'],
    );
    const page = await h.call('ListTables', { ExclusiveStartTableName: 'list-a', Limit: 1 });
    assert.deepEqual(page, { TableNames: ['list-b'], LastEvaluatedTableName: 'list-b' });
    await rejects(
      h.call('ListTables', { Limit: 101 }),
      'ValidationException',
      "1 validation error detected: Value '101' at 'limit' failed to satisfy constraint: Member must have value less than or equal to 100",
    );
  });

  it('UpdateTable answers UPDATING with the old throughput; the change is in force at once', async () => {
    await h.call('CreateTable', basic('t-update'));
    h.advance(10);
    const updated = (await h.call('UpdateTable', { TableName: 't-update', ProvisionedThroughput: { ReadCapacityUnits: 15, WriteCapacityUnits: 15 } })).TableDescription;
    assert.equal(updated.TableStatus, 'UPDATING');
    assert.equal(updated.ProvisionedThroughput.ReadCapacityUnits, 5);
    assert.equal(updated.ProvisionedThroughput.LastIncreaseDateTime, h.clock.now());
    const table = (await h.call('DescribeTable', { TableName: 't-update' })).Table;
    assert.equal(table.ProvisionedThroughput.ReadCapacityUnits, 15);
    assert.ok(table.ProvisionedThroughput.LastIncreaseDateTime > updated.ProvisionedThroughput.LastIncreaseDateTime);
    await rejects(
      h.call('UpdateTable', { TableName: 't-update', ProvisionedThroughput: { ReadCapacityUnits: 15, WriteCapacityUnits: 15 } }),
      'ValidationException',
      /^The provisioned throughput for the table will not change\. The requested value equals the current value\./,
    );
    await rejects(
      h.call('UpdateTable', { TableName: 't-update' }),
      'ValidationException',
      'At least one of ProvisionedThroughput, BillingMode, UpdateStreamEnabled, GlobalSecondaryIndexUpdates or SSESpecification or ReplicaUpdates is required',
    );
  });

  it('UpdateTable adds and removes global secondary indexes, backfilled at once', async () => {
    await h.call('CreateTable', { ...basic('t-gsi'), ProvisionedThroughput: undefined, BillingMode: 'PAY_PER_REQUEST' });
    await h.call('PutItem', { TableName: 't-gsi', Item: { a: { S: '1' }, g: { S: 'x' } } });
    await h.call('PutItem', { TableName: 't-gsi', Item: { a: { S: '2' } } });
    const updated = (
      await h.call('UpdateTable', {
        TableName: 't-gsi',
        AttributeDefinitions: [{ AttributeName: 'g', AttributeType: 'S' }],
        GlobalSecondaryIndexUpdates: [{ Create: { IndexName: 'by-g', KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' } } }],
      })
    ).TableDescription;
    assert.equal(updated.GlobalSecondaryIndexes[0].IndexStatus, 'CREATING');
    assert.equal(updated.GlobalSecondaryIndexes[0].Backfilling, false);
    const query = await h.call('Query', { TableName: 't-gsi', IndexName: 'by-g', KeyConditionExpression: 'g = :g', ExpressionAttributeValues: { ':g': { S: 'x' } } });
    assert.deepEqual(query.Items, [{ a: { S: '1' }, g: { S: 'x' } }]);
    const deleted = (await h.call('UpdateTable', { TableName: 't-gsi', GlobalSecondaryIndexUpdates: [{ Delete: { IndexName: 'by-g' } }] })).TableDescription;
    assert.equal(deleted.GlobalSecondaryIndexes[0].IndexStatus, 'DELETING');
    assert.equal((await h.call('DescribeTable', { TableName: 't-gsi' })).Table.GlobalSecondaryIndexes, undefined);
    await rejects(
      h.call('UpdateTable', { TableName: 't-gsi', GlobalSecondaryIndexUpdates: [1, 2, 3, 4, 5, 6].map((i) => ({ Delete: { IndexName: `ix${i}` } })) }),
      'LimitExceededException',
      'Subscriber limit exceeded: Only 1 online index can be created or deleted simultaneously per table',
    );
  });

  it('switches billing mode', async () => {
    await h.call('CreateTable', basic('t-billing'));
    const updated = (await h.call('UpdateTable', { TableName: 't-billing', BillingMode: 'PAY_PER_REQUEST' })).TableDescription;
    assert.equal(updated.TableStatus, 'UPDATING');
    const table = (await h.call('DescribeTable', { TableName: 't-billing' })).Table;
    assert.equal(table.BillingModeSummary.BillingMode, 'PAY_PER_REQUEST');
    await rejects(
      h.call('UpdateTable', { TableName: 't-billing', ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 } }),
      'ValidationException',
      'One or more parameter values were invalid: Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST',
    );
  });

  it('DeleteTable answers DELETING and the table is gone', async () => {
    await h.call('CreateTable', basic('t-delete'));
    await h.call('PutItem', { TableName: 't-delete', Item: { a: { S: 'x' } } });
    const deleted = (await h.call('DeleteTable', { TableName: 't-delete' })).TableDescription;
    assert.equal(deleted.TableStatus, 'DELETING');
    assert.equal(deleted.ItemCount, 1);
    assert.equal(deleted.KeySchema, undefined);
    await rejects(h.call('DescribeTable', { TableName: 't-delete' }), 'ResourceNotFoundException', 'Requested resource not found: Table: t-delete not found');
    await rejects(h.call('DeleteTable', { TableName: 't-delete' }), 'ResourceNotFoundException', 'Requested resource not found: Table: t-delete not found');
    await rejects(h.call('GetItem', { TableName: 't-delete', Key: { a: { S: 'x' } } }), 'ResourceNotFoundException', 'Requested resource not found');
  });

  it('refuses to delete a protected table', async () => {
    await h.call('CreateTable', basic('t-protected', { DeletionProtectionEnabled: true }));
    await rejects(h.call('DeleteTable', { TableName: 't-protected' }), 'ValidationException', /protected against deletion/);
    await h.call('UpdateTable', { TableName: 't-protected', DeletionProtectionEnabled: false });
    await h.call('DeleteTable', { TableName: 't-protected' });
  });

  it('tags tables by ARN', async () => {
    await h.call('CreateTable', basic('t-tags', { Tags: [{ Key: 'k1', Value: 'v1' }] }));
    const arn = 'arn:aws:dynamodb:us-east-1:000000000000:table/t-tags';
    await h.call('TagResource', { ResourceArn: arn, Tags: [{ Key: 'k2', Value: 'v2' }, { Key: 'k1', Value: 'v1b' }] });
    assert.deepEqual((await h.call('ListTagsOfResource', { ResourceArn: arn })).Tags, [
      { Key: 'k1', Value: 'v1b' },
      { Key: 'k2', Value: 'v2' },
    ]);
    await h.call('UntagResource', { ResourceArn: arn, TagKeys: ['k1'] });
    assert.deepEqual((await h.call('ListTagsOfResource', { ResourceArn: arn })).Tags, [{ Key: 'k2', Value: 'v2' }]);
    await rejects(h.call('TagResource', {}), 'ValidationException', 'Invalid TableArn');
    const denied = await rejects(h.call('TagResource', { ResourceArn: 'abcd' }), 'AccessDeniedException');
    assert.equal(denied.typeNamespace, 'com.amazon.coral.service');
    await rejects(h.call('TagResource', { ResourceArn: 'a:b:c:d:e:f/g', Tags: [] }), 'ValidationException', 'Invalid TableArn: Invalid ResourceArn provided as input a:b:c:d:e:f/g');
    const missing = 'arn:aws:dynamodb:us-east-1:000000000000:table/nope';
    await rejects(h.call('ListTagsOfResource', { ResourceArn: missing }), 'ResourceNotFoundException', `Requested resource not found: ResourcArn: ${missing} not found`);
  });

  it('stores continuous backups settings', async () => {
    await h.call('CreateTable', basic('t-pitr'));
    assert.equal((await h.call('DescribeContinuousBackups', { TableName: 't-pitr' })).ContinuousBackupsDescription.PointInTimeRecoveryDescription.PointInTimeRecoveryStatus, 'DISABLED');
    const updated = await h.call('UpdateContinuousBackups', { TableName: 't-pitr', PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } });
    assert.equal(updated.ContinuousBackupsDescription.ContinuousBackupsStatus, 'ENABLED');
    assert.equal(updated.ContinuousBackupsDescription.PointInTimeRecoveryDescription.PointInTimeRecoveryStatus, 'ENABLED');
    assert.equal(updated.ContinuousBackupsDescription.PointInTimeRecoveryDescription.RecoveryPeriodInDays, 35);
    await rejects(h.call('DescribeContinuousBackups', { TableName: 'nope-table' }), 'TableNotFoundException', 'Table not found: nope-table');
  });

  it('answers DescribeEndpoints and DescribeLimits', async () => {
    assert.deepEqual(await h.call('DescribeEndpoints', {}), { Endpoints: [{ Address: 'dynamodb.us-east-1.amazonaws.com', CachePeriodInMinutes: 1440 }] });
    assert.equal((await h.call('DescribeLimits', {})).TableMaxReadCapacityUnits, 40000);
  });

  it('keeps accounts apart', async () => {
    await h.call('CreateTable', basic('t-account'), { account: '111111111111' });
    await rejects(h.call('DescribeTable', { TableName: 't-account' }), 'ResourceNotFoundException');
    const table = (await h.call('DescribeTable', { TableName: 't-account' }, { account: '111111111111' })).Table;
    assert.equal(table.TableArn, 'arn:aws:dynamodb:us-east-1:111111111111:table/t-account');
  });
});
