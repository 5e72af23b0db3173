import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  BatchGetItemCommand,
  BatchWriteItemCommand,
  ConditionalCheckFailedException,
  CreateTableCommand,
  DeleteItemCommand,
  DeleteTableCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  ExecuteStatementCommand,
  BatchExecuteStatementCommand,
  GetItemCommand,
  ListTablesCommand,
  PutItemCommand,
  QueryCommand,
  ResourceNotFoundException,
  ScanCommand,
  TransactGetItemsCommand,
  TransactWriteItemsCommand,
  TransactionCanceledException,
  UpdateItemCommand,
  UpdateTimeToLiveCommand,
  paginateQuery,
  paginateScan,
  waitUntilTableExists,
  waitUntilTableNotExists,
  type AttributeValue,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import {
  BatchWriteCommand,
  DeleteCommand,
  GetCommand,
  NumberValue,
  PutCommand,
  QueryCommand as DocQueryCommand,
  TransactWriteCommand,
  UpdateCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import { startEmbedded, type RunningStratus } from '@stratus/cli';
import { advanceClock } from '../src/admin.js';
import { uniqueName } from '../src/clients.js';
import { documentClient, dynamodbClient, streamsCall } from '../src/dynamodb.js';

/**
 * DynamoDB through the AWS SDK for JavaScript v3 (the low-level client and lib-dynamodb's
 * DocumentClient) against an embedded server of its own: what an application does, checked against
 * what DynamoDB answers (the DynamoDB Developer Guide and the recorded AWS answers in aws-oracle/dynamodb).
 */

const S = (s: string): AttributeValue => ({ S: s });
const N = (n: string | number): AttributeValue => ({ N: String(n) });

/** Every page's items of a paginator. */
async function collect<T>(pages: AsyncIterable<{ Items?: T[] }>): Promise<{ items: T[]; pages: number }> {
  const items: T[] = [];
  let count = 0;
  for await (const page of pages) {
    count++;
    items.push(...(page.Items ?? []));
  }
  return { items, pages: count };
}

describe('DynamoDB through the JS SDK v3', () => {
  let stratus: RunningStratus;
  let ddb: DynamoDBClient;
  let doc: DynamoDBDocumentClient;
  let endpoint: string;

  before(async () => {
    stratus = await startEmbedded({ port: 0, logLevel: 'silent', dataDir: undefined, redisUrl: undefined, natsUrl: undefined });
    endpoint = stratus.endpoint;
    ddb = dynamodbClient(endpoint);
    doc = documentClient(ddb);
  });
  after(async () => {
    ddb.destroy();
    await stratus.close();
  });

  /** A table with a string partition key `pk` and a numeric sort key `sk`, ready to use. */
  async function rangeTable(extra: Partial<ConstructorParameters<typeof CreateTableCommand>[0]> = {}): Promise<string> {
    const TableName = uniqueName('ddb');
    await ddb.send(
      new CreateTableCommand({
        TableName,
        AttributeDefinitions: [
          { AttributeName: 'pk', AttributeType: 'S' },
          { AttributeName: 'sk', AttributeType: 'N' },
          ...(extra.AttributeDefinitions ?? []),
        ],
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
        BillingMode: 'PAY_PER_REQUEST',
        ...Object.fromEntries(Object.entries(extra).filter(([k]) => k !== 'AttributeDefinitions')),
      }),
    );
    await waitUntilTableExists({ client: ddb, maxWaitTime: 30, minDelay: 1 }, { TableName });
    return TableName;
  }

  it('creates a table with a global and a local secondary index, describes, lists and deletes it', async () => {
    const TableName = uniqueName('ddb-idx');
    const created = await ddb.send(
      new CreateTableCommand({
        TableName,
        AttributeDefinitions: [
          { AttributeName: 'pk', AttributeType: 'S' },
          { AttributeName: 'sk', AttributeType: 'S' },
          { AttributeName: 'email', AttributeType: 'S' },
          { AttributeName: 'score', AttributeType: 'N' },
        ],
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
        GlobalSecondaryIndexes: [
          {
            IndexName: 'by-email',
            KeySchema: [{ AttributeName: 'email', KeyType: 'HASH' }],
            Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['name'] },
            ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 5 },
          },
        ],
        LocalSecondaryIndexes: [
          {
            IndexName: 'by-score',
            KeySchema: [
              { AttributeName: 'pk', KeyType: 'HASH' },
              { AttributeName: 'score', KeyType: 'RANGE' },
            ],
            Projection: { ProjectionType: 'KEYS_ONLY' },
          },
        ],
        ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 5 },
        Tags: [{ Key: 'team', Value: 'sdk' }],
      }),
    );
    const description = created.TableDescription!;
    assert.equal(description.TableStatus, 'CREATING');
    assert.equal(description.TableArn, `arn:aws:dynamodb:us-east-1:000000000000:table/${TableName}`);
    assert.match(description.TableId!, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    assert.ok(description.CreationDateTime instanceof Date);
    assert.equal(description.DeletionProtectionEnabled, false);

    const waited = await waitUntilTableExists({ client: ddb, maxWaitTime: 30, minDelay: 1 }, { TableName });
    assert.equal(waited.state, 'SUCCESS');
    const table = (await ddb.send(new DescribeTableCommand({ TableName }))).Table!;
    assert.equal(table.TableStatus, 'ACTIVE');
    assert.equal(table.ItemCount, 0);
    const gsi = table.GlobalSecondaryIndexes![0];
    assert.equal(gsi.IndexName, 'by-email');
    assert.equal(gsi.IndexStatus, 'ACTIVE');
    assert.deepEqual(gsi.Projection, { ProjectionType: 'INCLUDE', NonKeyAttributes: ['name'] });
    assert.equal(gsi.IndexArn, `${table.TableArn}/index/by-email`);
    const lsi = table.LocalSecondaryIndexes![0];
    assert.equal(lsi.IndexName, 'by-score');
    assert.deepEqual(lsi.KeySchema, [
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'score', KeyType: 'RANGE' },
    ]);

    // Items are found through both indexes, projected as the index says.
    await ddb.send(new PutItemCommand({ TableName, Item: { pk: S('u1'), sk: S('profile'), email: S('a@x.test'), score: N(7), name: S('Ann'), extra: S('e') } }));
    await ddb.send(new PutItemCommand({ TableName, Item: { pk: S('u1'), sk: S('other'), score: N(3) } }));
    const byEmail = await ddb.send(
      new QueryCommand({ TableName, IndexName: 'by-email', KeyConditionExpression: 'email = :e', ExpressionAttributeValues: { ':e': S('a@x.test') } }),
    );
    assert.deepEqual(byEmail.Items, [{ pk: S('u1'), sk: S('profile'), email: S('a@x.test'), name: S('Ann') }]);
    const byScore = await ddb.send(
      new QueryCommand({ TableName, IndexName: 'by-score', KeyConditionExpression: 'pk = :p AND score > :s', ExpressionAttributeValues: { ':p': S('u1'), ':s': N(1) } }),
    );
    assert.deepEqual(byScore.Items, [
      { pk: S('u1'), sk: S('other'), score: N(3) },
      { pk: S('u1'), sk: S('profile'), score: N(7) },
    ]);

    const listed = await ddb.send(new ListTablesCommand({}));
    assert.ok(listed.TableNames!.includes(TableName));

    const deleted = await ddb.send(new DeleteTableCommand({ TableName }));
    assert.equal(deleted.TableDescription!.TableStatus, 'DELETING');
    const gone = await waitUntilTableNotExists({ client: ddb, maxWaitTime: 30, minDelay: 1 }, { TableName });
    assert.equal(gone.state, 'SUCCESS');
    await assert.rejects(ddb.send(new DescribeTableCommand({ TableName })), (e: unknown) => {
      assert.ok(e instanceof ResourceNotFoundException);
      assert.equal(e.message, `Requested resource not found: Table: ${TableName} not found`);
      assert.equal(e.$metadata.httpStatusCode, 400);
      assert.match(e.$metadata.requestId!, /^[0-9A-Z]{52}$/);
      return true;
    });
  });

  it('puts, gets, updates and deletes with conditions and ReturnValues', async () => {
    const TableName = await rangeTable();
    const Key = { pk: S('p'), sk: N(1) };

    const first = await ddb.send(new PutItemCommand({ TableName, Item: { ...Key, n: N(1), tags: { SS: ['a', 'b'] } }, ReturnValues: 'ALL_OLD' }));
    assert.equal(first.Attributes, undefined);
    const second = await ddb.send(new PutItemCommand({ TableName, Item: { ...Key, n: N(2), tags: { SS: ['a', 'b'] } }, ReturnValues: 'ALL_OLD' }));
    assert.deepEqual(second.Attributes, { ...Key, n: N(1), tags: { SS: ['a', 'b'] } });

    // A put that must not overwrite.
    await assert.rejects(
      ddb.send(new PutItemCommand({ TableName, Item: Key, ConditionExpression: 'attribute_not_exists(pk)', ReturnValuesOnConditionCheckFailure: 'ALL_OLD' })),
      (e: unknown) => {
        assert.ok(e instanceof ConditionalCheckFailedException);
        assert.equal(e.message, 'The conditional request failed');
        assert.deepEqual(e.Item, { ...Key, n: N(2), tags: { SS: ['a', 'b'] } });
        return true;
      },
    );

    // (SET info.city on an item without `info` would be refused: the path's parent must exist.)
    const updated = await ddb.send(
      new UpdateItemCommand({
        TableName,
        Key,
        UpdateExpression: 'SET #n = #n + :one, info = :info REMOVE gone ADD tags :more',
        ConditionExpression: '#n = :two',
        ExpressionAttributeNames: { '#n': 'n' },
        ExpressionAttributeValues: { ':one': N(1), ':two': N(2), ':info': { M: { city: S('Oslo') } }, ':more': { SS: ['c'] } },
        ReturnValues: 'UPDATED_NEW',
      }),
    );
    assert.deepEqual(updated.Attributes, { n: N(3), info: { M: { city: S('Oslo') } }, tags: { SS: ['a', 'b', 'c'] } });

    const nested = await ddb.send(
      new UpdateItemCommand({ TableName, Key, UpdateExpression: 'SET info.city = :c', ExpressionAttributeValues: { ':c': S('Bergen') }, ReturnValues: 'ALL_NEW' }),
    );
    assert.deepEqual(nested.Attributes, { ...Key, n: N(3), info: { M: { city: S('Bergen') } }, tags: { SS: ['a', 'b', 'c'] } });

    const got = await ddb.send(new GetItemCommand({ TableName, Key, ProjectionExpression: 'info.city, n', ConsistentRead: true }));
    assert.deepEqual(got.Item, { n: N(3), info: { M: { city: S('Bergen') } } });

    // The condition no longer holds: nothing changes.
    await assert.rejects(
      ddb.send(new UpdateItemCommand({ TableName, Key, UpdateExpression: 'SET n = :z', ConditionExpression: 'n = :two', ExpressionAttributeValues: { ':z': N(0), ':two': N(2) } })),
      ConditionalCheckFailedException,
    );
    // An update of a missing item creates it; UPDATED_OLD of a new item is nothing.
    const fresh = await ddb.send(new UpdateItemCommand({ TableName, Key: { pk: S('p'), sk: N(2) }, UpdateExpression: 'SET a = :a', ExpressionAttributeValues: { ':a': S('x') }, ReturnValues: 'UPDATED_OLD' }));
    assert.equal(fresh.Attributes, undefined);

    const removed = await ddb.send(new DeleteItemCommand({ TableName, Key, ConditionExpression: 'contains(tags, :t)', ExpressionAttributeValues: { ':t': S('c') }, ReturnValues: 'ALL_OLD' }));
    assert.equal(removed.Attributes!.n.N, '3');
    assert.equal((await ddb.send(new GetItemCommand({ TableName, Key }))).Item, undefined);

    // Validation as DynamoDB words it.
    await assert.rejects(ddb.send(new PutItemCommand({ TableName, Item: { pk: S('p') } })), {
      name: 'ValidationException',
      message: 'One or more parameter values were invalid: Missing the key sk in the item',
    });
    await assert.rejects(ddb.send(new GetItemCommand({ TableName: uniqueName('missing'), Key })), ResourceNotFoundException);
  });

  it('pages through Query and Scan results, forwards and backwards, with filters and counts', async () => {
    const TableName = await rangeTable();
    const writes = [];
    for (let i = 0; i < 25; i++) writes.push({ PutRequest: { Item: { pk: S('orders'), sk: N(i), even: { BOOL: i % 2 === 0 }, pad: S('x'.repeat(100)) } } });
    for (let i = 0; i < 25; i += 25) await ddb.send(new BatchWriteItemCommand({ RequestItems: { [TableName]: writes.slice(i, i + 25) } }));
    await ddb.send(new PutItemCommand({ TableName, Item: { pk: S('other'), sk: N(0) } }));

    const paged = await collect(
      paginateQuery({ client: ddb, pageSize: 10 }, { TableName, KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': S('orders') } }),
    );
    assert.deepEqual(paged.items.map((i) => Number(i.sk.N)), Array.from({ length: 25 }, (_, i) => i));
    // 10 + 10 + 5: the third page is short, so it has no LastEvaluatedKey.
    assert.equal(paged.pages, 3);

    const page = await ddb.send(
      new QueryCommand({ TableName, KeyConditionExpression: 'pk = :p AND sk BETWEEN :a AND :b', ExpressionAttributeValues: { ':p': S('orders'), ':a': N(5), ':b': N(20) }, ScanIndexForward: false, Limit: 4 }),
    );
    assert.deepEqual(page.Items!.map((i) => i.sk.N), ['20', '19', '18', '17']);
    assert.deepEqual(page.LastEvaluatedKey, { pk: S('orders'), sk: N(17) });
    assert.equal(page.Count, 4);
    assert.equal(page.ScannedCount, 4);

    // A filter applies after the limit: Count is what passed, ScannedCount what was read.
    const filtered = await ddb.send(
      new QueryCommand({ TableName, KeyConditionExpression: 'pk = :p', FilterExpression: 'even = :t', ExpressionAttributeValues: { ':p': S('orders'), ':t': { BOOL: true } }, Limit: 10 }),
    );
    assert.equal(filtered.Count, 5);
    assert.equal(filtered.ScannedCount, 10);
    assert.deepEqual(filtered.LastEvaluatedKey, { pk: S('orders'), sk: N(9) });

    const counted = await ddb.send(new QueryCommand({ TableName, KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': S('orders') }, Select: 'COUNT' }));
    assert.equal(counted.Count, 25);
    assert.equal(counted.Items, undefined);

    const scanned = await collect(paginateScan({ client: ddb, pageSize: 7 }, { TableName, ProjectionExpression: 'pk, sk' }));
    assert.equal(scanned.items.length, 26);
    assert.equal(scanned.pages, 4);
    assert.deepEqual(Object.keys(scanned.items[0]).sort(), ['pk', 'sk']);

    // Parallel scan: the segments partition the table.
    const segments = await Promise.all(
      [0, 1, 2].map((Segment) => collect(paginateScan({ client: ddb }, { TableName, Segment, TotalSegments: 3 }))),
    );
    assert.equal(segments.reduce((n, s) => n + s.items.length, 0), 26);

    await assert.rejects(ddb.send(new QueryCommand({ TableName, KeyConditionExpression: 'sk = :s', ExpressionAttributeValues: { ':s': N(1) } })), {
      name: 'ValidationException',
      message: 'Query condition missed key schema element: pk',
    });
  });

  it('writes and reads in batches', async () => {
    const TableName = await rangeTable();
    const items = Array.from({ length: 25 }, (_, i) => ({ pk: S('b'), sk: N(i), v: S(`v${i}`) }));
    const written = await ddb.send(new BatchWriteItemCommand({ RequestItems: { [TableName]: items.map((Item) => ({ PutRequest: { Item } })) } }));
    assert.deepEqual(written.UnprocessedItems, {});

    const read = await ddb.send(
      new BatchGetItemCommand({
        RequestItems: { [TableName]: { Keys: [...items.slice(0, 10).map(({ pk, sk }) => ({ pk, sk })), { pk: S('b'), sk: N(99) }], ProjectionExpression: 'sk, v' } },
      }),
    );
    assert.deepEqual(read.UnprocessedKeys, {});
    const got = read.Responses![TableName].map((i) => Number(i.sk.N)).sort((a, b) => a - b);
    assert.deepEqual(got, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);

    const deleted = await ddb.send(
      new BatchWriteItemCommand({ RequestItems: { [TableName]: items.slice(0, 5).map(({ pk, sk }) => ({ DeleteRequest: { Key: { pk, sk } } })) } }),
    );
    assert.deepEqual(deleted.UnprocessedItems, {});
    const left = await ddb.send(new QueryCommand({ TableName, KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': S('b') }, Select: 'COUNT' }));
    assert.equal(left.Count, 20);

    // 26 writes are one too many.
    const tooMany = Array.from({ length: 26 }, (_, i) => ({ PutRequest: { Item: { pk: S('c'), sk: N(i) } } }));
    await assert.rejects(ddb.send(new BatchWriteItemCommand({ RequestItems: { [TableName]: tooMany } })), { name: 'ValidationException' });
  });

  it('commits transactions all or nothing and reports why a cancelled one failed', async () => {
    const TableName = await rangeTable();
    await ddb.send(
      new TransactWriteItemsCommand({
        TransactItems: [
          { Put: { TableName, Item: { pk: S('acct'), sk: N(1), balance: N(100) } } },
          { Put: { TableName, Item: { pk: S('acct'), sk: N(2), balance: N(0) } } },
        ],
      }),
    );
    // Move 30 from 1 to 2, on condition that 1 has enough.
    const transfer = (amount: number) =>
      new TransactWriteItemsCommand({
        TransactItems: [
          {
            Update: {
              TableName,
              Key: { pk: S('acct'), sk: N(1) },
              UpdateExpression: 'SET balance = balance - :a',
              ConditionExpression: 'balance >= :a',
              ExpressionAttributeValues: { ':a': N(amount) },
              ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
            },
          },
          { Update: { TableName, Key: { pk: S('acct'), sk: N(2) }, UpdateExpression: 'SET balance = balance + :a', ExpressionAttributeValues: { ':a': N(amount) } } },
        ],
        ClientRequestToken: uniqueName('token'),
      });
    await ddb.send(transfer(30));
    await assert.rejects(ddb.send(transfer(500)), (e: unknown) => {
      assert.ok(e instanceof TransactionCanceledException);
      assert.equal(e.message, 'Transaction cancelled, please refer cancellation reasons for specific reasons [ConditionalCheckFailed, None]');
      assert.deepEqual(e.CancellationReasons, [
        { Code: 'ConditionalCheckFailed', Message: 'The conditional request failed', Item: { pk: S('acct'), sk: N(1), balance: N(70) } },
        { Code: 'None' },
      ]);
      return true;
    });
    const read = await ddb.send(
      new TransactGetItemsCommand({
        TransactItems: [{ Get: { TableName, Key: { pk: S('acct'), sk: N(1) } } }, { Get: { TableName, Key: { pk: S('acct'), sk: N(2) }, ProjectionExpression: 'balance' } }],
      }),
    );
    assert.deepEqual(read.Responses, [{ Item: { pk: S('acct'), sk: N(1), balance: N(70) } }, { Item: { balance: N(30) } }]);

    // Two operations on one item are refused as a whole.
    await assert.rejects(
      ddb.send(
        new TransactWriteItemsCommand({
          TransactItems: [
            { Put: { TableName, Item: { pk: S('acct'), sk: N(1) } } },
            { Delete: { TableName, Key: { pk: S('acct'), sk: N(1) } } },
          ],
        }),
      ),
      { name: 'ValidationException', message: 'Transaction request cannot include multiple operations on one item' },
    );
  });

  it('runs PartiQL statements, with parameters and in batches', async () => {
    const TableName = await rangeTable();
    await ddb.send(new ExecuteStatementCommand({ Statement: `INSERT INTO "${TableName}" VALUE {'pk': ?, 'sk': ?, 'name': ?}`, Parameters: [S('q'), N(1), S('one')] }));
    await ddb.send(new ExecuteStatementCommand({ Statement: `INSERT INTO "${TableName}" VALUE {'pk': 'q', 'sk': 2, 'name': 'two'}` }));
    await assert.rejects(
      ddb.send(new ExecuteStatementCommand({ Statement: `INSERT INTO "${TableName}" VALUE {'pk': 'q', 'sk': 2}` })),
      { name: 'DuplicateItemException', message: 'Duplicate primary key exists in table' },
    );
    await ddb.send(new ExecuteStatementCommand({ Statement: `UPDATE "${TableName}" SET name = 'TWO' WHERE pk = 'q' AND sk = 2` }));
    const selected = await ddb.send(new ExecuteStatementCommand({ Statement: `SELECT sk, name FROM "${TableName}" WHERE pk = ? ORDER BY sk DESC`, Parameters: [S('q')] }));
    assert.deepEqual(selected.Items, [
      { sk: N(2), name: S('TWO') },
      { sk: N(1), name: S('one') },
    ]);
    // A batch is all reads or all writes.
    const reads = await ddb.send(
      new BatchExecuteStatementCommand({
        Statements: [
          { Statement: `SELECT * FROM "${TableName}" WHERE pk = 'q' AND sk = 1` },
          { Statement: `SELECT * FROM "${TableName}" WHERE pk = 'nope' AND sk = 1` },
        ],
      }),
    );
    assert.deepEqual(reads.Responses, [{ TableName, Item: { pk: S('q'), sk: N(1), name: S('one') } }, { TableName }]);
    const writes = await ddb.send(
      new BatchExecuteStatementCommand({
        Statements: [
          { Statement: `DELETE FROM "${TableName}" WHERE pk = 'q' AND sk = 2` },
          { Statement: `INSERT INTO "${TableName}" VALUE {'pk': 'q', 'sk': 1}` },
        ],
      }),
    );
    assert.deepEqual(writes.Responses, [{ TableName }, { TableName, Error: { Code: 'DuplicateItem', Message: 'Duplicate primary key exists in table' } }]);
    await assert.rejects(
      ddb.send(
        new BatchExecuteStatementCommand({
          Statements: [{ Statement: `SELECT * FROM "${TableName}" WHERE pk = 'q' AND sk = 1` }, { Statement: `DELETE FROM "${TableName}" WHERE pk = 'q' AND sk = 1` }],
        }),
      ),
      { name: 'ValidationException', message: 'Supported operations: all reads or all writes in one batch' },
    );
  });

  it('records changes in the table stream, read with GetRecords', async () => {
    const TableName = await rangeTable({ StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' } });
    const table = (await ddb.send(new DescribeTableCommand({ TableName }))).Table!;
    const StreamArn = table.LatestStreamArn!;
    assert.match(StreamArn, new RegExp(`^${table.TableArn}/stream/\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}$`));
    const Key = { pk: S('s'), sk: N(1) };
    await ddb.send(new PutItemCommand({ TableName, Item: { ...Key, v: N(1) } }));
    await ddb.send(new UpdateItemCommand({ TableName, Key, UpdateExpression: 'SET v = :v', ExpressionAttributeValues: { ':v': N(2) } }));
    await ddb.send(new DeleteItemCommand({ TableName, Key }));

    const listed = await streamsCall(endpoint, 'ListStreams', { TableName });
    assert.deepEqual(listed.Streams, [{ StreamArn, TableName, StreamLabel: table.LatestStreamLabel }]);
    const stream = (await streamsCall(endpoint, 'DescribeStream', { StreamArn })).StreamDescription;
    assert.equal(stream.StreamStatus, 'ENABLED');
    const { ShardIterator } = await streamsCall(endpoint, 'GetShardIterator', { StreamArn, ShardId: stream.Shards[0].ShardId, ShardIteratorType: 'TRIM_HORIZON' });
    const read = await streamsCall(endpoint, 'GetRecords', { ShardIterator });
    assert.deepEqual(read.Records.map((r: any) => r.eventName), ['INSERT', 'MODIFY', 'REMOVE']);
    const [insert, modify, remove] = read.Records;
    assert.equal(insert.eventSource, 'aws:dynamodb');
    assert.equal(insert.awsRegion, 'us-east-1');
    assert.deepEqual(insert.dynamodb.Keys, Key);
    assert.deepEqual(insert.dynamodb.NewImage, { ...Key, v: N(1) });
    assert.deepEqual(modify.dynamodb.OldImage, { ...Key, v: N(1) });
    assert.deepEqual(modify.dynamodb.NewImage, { ...Key, v: N(2) });
    assert.deepEqual(remove.dynamodb.OldImage, { ...Key, v: N(2) });
    assert.equal(remove.dynamodb.NewImage, undefined);
    assert.equal(insert.dynamodb.StreamViewType, 'NEW_AND_OLD_IMAGES');
    assert.ok(BigInt(insert.dynamodb.SequenceNumber) < BigInt(modify.dynamodb.SequenceNumber));
    assert.ok(read.NextShardIterator);
    // Nothing new after the last record.
    const again = await streamsCall(endpoint, 'GetRecords', { ShardIterator: read.NextShardIterator });
    assert.deepEqual(again.Records, []);
  });

  it('keeps numbers of 38 significant digits exact, through the DocumentClient too', async () => {
    const TableName = await rangeTable();
    const big = '12345678901234567890123456789012345678';
    const tiny = '0.00000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000001';
    const negative = '-9.9999999999999999999999999999999999999E+125';
    await ddb.send(new PutItemCommand({ TableName, Item: { pk: S('n'), sk: N(1), big: N(big), tiny: N(tiny), negative: N(negative), set: { NS: ['1', '1.50', big] } } }));
    const got = (await ddb.send(new GetItemCommand({ TableName, Key: { pk: S('n'), sk: N(1) } }))).Item!;
    assert.equal(got.big.N, big);
    // The extremes of the range keep their value (how DynamoDB spells them is its own business).
    assert.equal(Number(got.tiny.N), 1e-125);
    assert.equal(Number(got.negative.N), Number(negative));
    assert.deepEqual([...got.set.NS!].sort(), ['1', '1.5', big].sort());

    const added = await ddb.send(
      new UpdateItemCommand({ TableName, Key: { pk: S('n'), sk: N(1) }, UpdateExpression: 'ADD big :one', ExpressionAttributeValues: { ':one': N(1) }, ReturnValues: 'UPDATED_NEW' }),
    );
    assert.equal(added.Attributes!.big.N, '12345678901234567890123456789012345679');
    await assert.rejects(ddb.send(new PutItemCommand({ TableName, Item: { pk: S('n'), sk: N(2), x: N('123456789012345678901234567890123456789') } })), {
      name: 'ValidationException',
      message: 'Attempting to store more than 38 significant digits in a Number',
    });

    // The DocumentClient with wrapNumbers hands back NumberValues, whose text is exactly what was stored.
    await doc.send(new PutCommand({ TableName, Item: { pk: 'n', sk: 3, big: NumberValue.from(big), plain: 42 } }));
    const item = (await doc.send(new GetCommand({ TableName, Key: { pk: 'n', sk: 3 } }))).Item!;
    assert.ok(item.big instanceof NumberValue);
    assert.equal(item.big.toString(), big);
    assert.equal(item.plain.toString(), '42');
  });

  it('serves the DocumentClient: native values, sets, conditions, batches and transactions', async () => {
    const TableName = await rangeTable();
    await doc.send(new PutCommand({ TableName, Item: { pk: 'doc', sk: 1, name: 'Ann', tags: new Set(['a', 'b']), nested: { things: [1, 'two', null, true] }, skip: undefined } }));
    const got = (await doc.send(new GetCommand({ TableName, Key: { pk: 'doc', sk: 1 } }))).Item!;
    assert.equal(got.name, 'Ann');
    assert.deepEqual(got.tags, new Set(['a', 'b']));
    assert.equal(got.nested.things[1], 'two');
    assert.equal(got.nested.things[2], null);
    assert.equal('skip' in got, false);

    const updated = await doc.send(
      new UpdateCommand({
        TableName,
        Key: { pk: 'doc', sk: 1 },
        UpdateExpression: 'SET visits = if_not_exists(visits, :zero) + :one, nested.things[0] = :first',
        ExpressionAttributeValues: { ':zero': 0, ':one': 1, ':first': 'first' },
        ReturnValues: 'ALL_NEW',
      }),
    );
    assert.equal(updated.Attributes!.visits.toString(), '1');
    assert.equal(updated.Attributes!.nested.things[0], 'first');

    await doc.send(new BatchWriteCommand({ RequestItems: { [TableName]: [2, 3, 4].map((sk) => ({ PutRequest: { Item: { pk: 'doc', sk, kind: sk % 2 ? 'odd' : 'even' } } })) } }));
    const odd = await doc.send(
      new DocQueryCommand({ TableName, KeyConditionExpression: 'pk = :p AND sk >= :s', FilterExpression: 'kind = :k', ExpressionAttributeValues: { ':p': 'doc', ':s': 2, ':k': 'odd' } }),
    );
    assert.deepEqual(odd.Items!.map((i) => i.sk.toString()), ['3']);

    await assert.rejects(
      doc.send(
        new TransactWriteCommand({
          TransactItems: [
            { ConditionCheck: { TableName, Key: { pk: 'doc', sk: 2 }, ConditionExpression: 'kind = :k', ExpressionAttributeValues: { ':k': 'odd' } } },
            { Delete: { TableName, Key: { pk: 'doc', sk: 3 } } },
          ],
        }),
      ),
      (e: unknown) => e instanceof TransactionCanceledException && e.CancellationReasons?.[0].Code === 'ConditionalCheckFailed',
    );
    await doc.send(new DeleteCommand({ TableName, Key: { pk: 'doc', sk: 3 }, ConditionExpression: 'attribute_exists(pk)' }));
    assert.equal((await doc.send(new GetCommand({ TableName, Key: { pk: 'doc', sk: 3 } }))).Item, undefined);
  });

  it('expires items by their time-to-live attribute when the clock passes it', async () => {
    const TableName = await rangeTable({ StreamSpecification: { StreamEnabled: true, StreamViewType: 'OLD_IMAGE' } });
    const ttl = await ddb.send(new UpdateTimeToLiveCommand({ TableName, TimeToLiveSpecification: { Enabled: true, AttributeName: 'expiresAt' } }));
    assert.deepEqual(ttl.TimeToLiveSpecification, { Enabled: true, AttributeName: 'expiresAt' });
    const described = await ddb.send(new DescribeTimeToLiveCommand({ TableName }));
    assert.deepEqual(described.TimeToLiveDescription, { TimeToLiveStatus: 'ENABLED', AttributeName: 'expiresAt' });

    const clock = (await (await fetch(`${endpoint}/_stratus/clock`)).json()) as { now: string | number };
    const nowSeconds = Math.floor(new Date(clock.now).getTime() / 1000);
    await ddb.send(new PutItemCommand({ TableName, Item: { pk: S('t'), sk: N(1), expiresAt: N(nowSeconds + 3600) } }));
    await ddb.send(new PutItemCommand({ TableName, Item: { pk: S('t'), sk: N(2), expiresAt: N(nowSeconds + 7 * 86400) } }));
    await ddb.send(new PutItemCommand({ TableName, Item: { pk: S('t'), sk: N(3), expiresAt: S('not a number') } }));

    await advanceClock(endpoint, 2 * 3600);
    const remaining = async () => {
      const r = await ddb.send(new QueryCommand({ TableName, KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': S('t') }, ConsistentRead: true }));
      return r.Items!.map((i) => i.sk.N);
    };
    // The sweep runs as the clock moves; give it a moment.
    for (let i = 0; i < 50 && (await remaining()).length === 3; i++) await new Promise((r) => setTimeout(r, 20));
    assert.deepEqual(await remaining(), ['2', '3']);

    // The deletion is in the stream, made by the DynamoDB service principal.
    const StreamArn = (await ddb.send(new DescribeTableCommand({ TableName }))).Table!.LatestStreamArn!;
    const stream = (await streamsCall(endpoint, 'DescribeStream', { StreamArn })).StreamDescription;
    const { ShardIterator } = await streamsCall(endpoint, 'GetShardIterator', { StreamArn, ShardId: stream.Shards[0].ShardId, ShardIteratorType: 'TRIM_HORIZON' });
    const records = (await streamsCall(endpoint, 'GetRecords', { ShardIterator })).Records as any[];
    const removal = records.find((r) => r.eventName === 'REMOVE');
    assert.deepEqual(removal.userIdentity, { Type: 'Service', PrincipalId: 'dynamodb.amazonaws.com' });
    assert.deepEqual(removal.dynamodb.Keys, { pk: S('t'), sk: N(1) });
  });

  it('answers an unknown table with ResourceNotFoundException in every operation family', async () => {
    const TableName = uniqueName('nope');
    const Key = { pk: S('x'), sk: N(1) };
    for (const command of [
      new GetItemCommand({ TableName, Key }),
      new QueryCommand({ TableName, KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': S('x') } }),
      new ScanCommand({ TableName }),
      new BatchGetItemCommand({ RequestItems: { [TableName]: { Keys: [Key] } } }),
    ]) {
      await assert.rejects(ddb.send(command as never), ResourceNotFoundException);
    }
  });
});
