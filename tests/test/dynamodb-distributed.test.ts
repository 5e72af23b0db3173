import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  ConditionalCheckFailedException,
  CreateTableCommand,
  DeleteTableCommand,
  DescribeTableCommand,
  GetItemCommand,
  ListTablesCommand,
  PutItemCommand,
  QueryCommand,
  ScanCommand,
  TransactWriteItemsCommand,
  TransactionCanceledException,
  UpdateItemCommand,
  UpdateTableCommand,
  type AttributeValue,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { uniqueName } from '../src/clients.js';
import { Cluster } from '../src/cluster.js';
import { dynamodbClient, streamsCall } from '../src/dynamodb.js';

const ACCOUNT = '123456789012';
const S = (s: string): AttributeValue => ({ S: s });
const N = (n: number): AttributeValue => ({ N: String(n) });

describe('distributed: DynamoDB through a gateway and two DynamoDB replicas sharing Redis', () => {
  let cluster: Cluster;
  let ddb: DynamoDBClient;

  before(async () => {
    cluster = await Cluster.start({ dynamodb: 2, dynamodbstreams: 1, sts: 1 });
    ddb = dynamodbClient(cluster.endpoint, ACCOUNT);
  });
  after(async () => {
    ddb?.destroy();
    await cluster?.stop();
  });

  async function table(extra: Partial<ConstructorParameters<typeof CreateTableCommand>[0]> = {}): Promise<string> {
    const TableName = uniqueName('ddb');
    await ddb.send(
      new CreateTableCommand({
        TableName,
        AttributeDefinitions: [
          { AttributeName: 'pk', AttributeType: 'S' },
          { AttributeName: 'sk', AttributeType: 'N' },
        ],
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
        BillingMode: 'PAY_PER_REQUEST',
        ...extra,
      }),
    );
    return TableName;
  }

  it('creates a table every replica sees, and pages through its items', async () => {
    const TableName = await table();
    // Requests spread over both replicas: each must find the table and the items the other wrote.
    await Promise.all(Array.from({ length: 30 }, (_, i) => ddb.send(new PutItemCommand({ TableName, Item: { pk: S(`p${i % 3}`), sk: N(i), v: S(`v${i}`) } }))));
    await Promise.all(Array.from({ length: 10 }, () => ddb.send(new DescribeTableCommand({ TableName }))));
    const tables = (await ddb.send(new ListTablesCommand({}))).TableNames ?? [];
    assert.ok(tables.includes(TableName));
    const query = await ddb.send(new QueryCommand({ TableName, KeyConditionExpression: 'pk = :p AND sk >= :s', ExpressionAttributeValues: { ':p': S('p1'), ':s': N(10) } }));
    assert.deepEqual(
      query.Items?.map((i) => Number(i.sk.N)),
      [10, 13, 16, 19, 22, 25, 28],
    );
    const seen: string[] = [];
    let ExclusiveStartKey: Record<string, AttributeValue> | undefined;
    do {
      const page = await ddb.send(new ScanCommand({ TableName, Limit: 7, ExclusiveStartKey }));
      seen.push(...(page.Items ?? []).map((i) => i.v.S!));
      ExclusiveStartKey = page.LastEvaluatedKey;
    } while (ExclusiveStartKey);
    assert.equal(seen.length, 30);
    assert.equal(new Set(seen).size, 30);
    const described = (await ddb.send(new DescribeTableCommand({ TableName }))).Table!;
    assert.equal(described.ItemCount, 30);
  });

  it('lets one of many concurrent conditional puts win, and loses no concurrent increment', async () => {
    const TableName = await table();
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) =>
        ddb.send(new PutItemCommand({ TableName, Item: { pk: S('lock'), sk: N(0), owner: N(i) }, ConditionExpression: 'attribute_not_exists(pk)' })),
      ),
    );
    assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1);
    for (const r of results) if (r.status === 'rejected') assert.ok(r.reason instanceof ConditionalCheckFailedException, String(r.reason));

    const increments = 40;
    await Promise.all(
      Array.from({ length: increments }, () =>
        ddb.send(new UpdateItemCommand({ TableName, Key: { pk: S('counter'), sk: N(0) }, UpdateExpression: 'ADD n :one', ExpressionAttributeValues: { ':one': N(1) } })),
      ),
    );
    const counter = await ddb.send(new GetItemCommand({ TableName, Key: { pk: S('counter'), sk: N(0) }, ConsistentRead: true }));
    assert.deepEqual(counter.Item?.n, N(increments));
  });

  it('never commits two transactions that conflict on one item', async () => {
    const TableName = await table();
    const results = await Promise.allSettled(
      Array.from({ length: 12 }, (_, i) =>
        ddb.send(
          new TransactWriteItemsCommand({
            TransactItems: [
              { Put: { TableName, Item: { pk: S('slot'), sk: N(0), by: N(i) }, ConditionExpression: 'attribute_not_exists(pk)' } },
              { Put: { TableName, Item: { pk: S(`mine-${i}`), sk: N(0) } } },
            ],
          }),
        ),
      ),
    );
    const committed = results.map((r, i) => (r.status === 'fulfilled' ? i : -1)).filter((i) => i >= 0);
    assert.equal(committed.length, 1);
    for (const r of results) if (r.status === 'rejected') assert.ok(r.reason instanceof TransactionCanceledException, String(r.reason));
    const items = (await ddb.send(new ScanCommand({ TableName }))).Items ?? [];
    assert.deepEqual(items.map((i) => i.pk.S).sort(), ['slot', `mine-${committed[0]}`].sort());
  });

  it('keeps an index added on one replica while the other writes, and streams every change', async () => {
    const TableName = await table({ StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' } });
    await Promise.all(Array.from({ length: 10 }, (_, i) => ddb.send(new PutItemCommand({ TableName, Item: { pk: S('p'), sk: N(i), g: S(i % 2 ? 'odd' : 'even') } }))));
    await ddb.send(
      new UpdateTableCommand({
        TableName,
        AttributeDefinitions: [{ AttributeName: 'g', AttributeType: 'S' }],
        GlobalSecondaryIndexUpdates: [{ Create: { IndexName: 'by-g', KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' } } }],
      }),
    );
    await Promise.all(Array.from({ length: 10 }, (_, i) => ddb.send(new PutItemCommand({ TableName, Item: { pk: S('q'), sk: N(i), g: S('odd') } }))));
    const odd = await ddb.send(new QueryCommand({ TableName, IndexName: 'by-g', KeyConditionExpression: 'g = :g', ExpressionAttributeValues: { ':g': S('odd') } }));
    assert.equal(odd.Count, 15);

    const StreamArn = (await ddb.send(new DescribeTableCommand({ TableName }))).Table!.LatestStreamArn!;
    const stream = (await streamsCall(cluster.endpoint, 'DescribeStream', { StreamArn }, ACCOUNT)).StreamDescription;
    const { ShardIterator } = await streamsCall(
      cluster.endpoint,
      'GetShardIterator',
      { StreamArn, ShardId: stream.Shards[0].ShardId, ShardIteratorType: 'TRIM_HORIZON' },
      ACCOUNT,
    );
    const read = await streamsCall(cluster.endpoint, 'GetRecords', { ShardIterator }, ACCOUNT);
    assert.equal(read.Records.length, 20);
    const sequence = read.Records.map((r: any) => BigInt(r.dynamodb.SequenceNumber));
    for (let i = 1; i < sequence.length; i++) assert.ok(sequence[i] > sequence[i - 1]);

    await ddb.send(new DeleteTableCommand({ TableName }));
    await assert.rejects(ddb.send(new GetItemCommand({ TableName, Key: { pk: S('p'), sk: N(1) } })), { name: 'ResourceNotFoundException' });
  });
});
