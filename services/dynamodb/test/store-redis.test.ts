import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { startRedisServer, type RedisServer } from '@stratus/shared/testing/redis-server';
import { parseExpressions, type Condition, type UpdatePlan } from '../src/core.js';
import { streamArn, streamLabel, tableArn, type IndexRecord, type StreamRecord, type TableRecord } from '../src/model.js';
import { RedisDynamoStore } from '../src/store/redis.js';
import type { WriteOutcome } from '../src/store/types.js';
import type { AttributeValue } from '../src/values/attribute-value.js';

// What only a shared backend shows: two stores on two connections behave like two service replicas.

const T0 = Date.UTC(2025, 0, 1);
const REGION = 'us-east-1';
const S = (s: string): AttributeValue => ({ S: s });
const N = (n: number): AttributeValue => ({ N: String(n) });

function condition(expression: string, values?: Record<string, AttributeValue>): Condition {
  return parseExpressions({ ConditionExpression: expression, ExpressionAttributeValues: values }).condition!.condition;
}

function update(expression: string, values?: Record<string, AttributeValue>): UpdatePlan {
  return parseExpressions({ UpdateExpression: expression, ExpressionAttributeValues: values }).update!;
}

describe('RedisDynamoStore across replicas', () => {
  let server: RedisServer;
  let a: RedisDynamoStore;
  let b: RedisDynamoStore;
  let accounts = 0;

  before(async () => {
    server = await startRedisServer();
    [a, b] = await Promise.all([RedisDynamoStore.connect(server.url), RedisDynamoStore.connect(server.url)]);
  });
  after(async () => {
    await Promise.all([a.close(), b.close()]);
    await server.stop();
  });

  function table(options: { stream?: boolean; ttl?: string; globalIndexes?: IndexRecord[] } = {}): TableRecord {
    const account = String(400_000_000_000 + ++accounts);
    const arn = tableArn(account, REGION, 'shared');
    const label = streamLabel(T0);
    return {
      account,
      region: REGION,
      name: 'shared',
      arn,
      id: randomUUID(),
      createdAt: T0,
      attributeDefinitions: [
        { AttributeName: 'pk', AttributeType: 'S' },
        { AttributeName: 'g', AttributeType: 'S' },
      ],
      keySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      billingMode: 'PAY_PER_REQUEST',
      throughput: { ReadCapacityUnits: 0, WriteCapacityUnits: 0, NumberOfDecreasesToday: 0 },
      localIndexes: [],
      globalIndexes: options.globalIndexes ?? [],
      stream: options.stream ? { arn: streamArn(arn, label), label, viewType: 'NEW_AND_OLD_IMAGES', enabled: true, createdAt: T0 } : undefined,
      ttl: options.ttl ? { attributeName: options.ttl, enabled: true } : undefined,
      deletionProtection: false,
      tags: [],
    };
  }

  /** Runs `n` tasks, alternating replicas, all at once. */
  function race<T>(n: number, task: (store: RedisDynamoStore, i: number) => Promise<T>): Promise<T[]> {
    return Promise.all(Array.from({ length: n }, (_, i) => task(i % 2 ? a : b, i)));
  }

  it('lets exactly one of many concurrent attribute_not_exists puts win', async () => {
    const record = table({ stream: true });
    await a.createTable(record);
    for (let round = 0; round < 5; round++) {
      const key = S(`lock-${round}`);
      const outcomes = await race(40, (store, i) =>
        store.write(record, { kind: 'put', item: { pk: key, owner: N(i) }, condition: condition('attribute_not_exists(pk)') }, T0),
      );
      const winners = outcomes.map((o, i) => (o.ok ? i : -1)).filter((i) => i >= 0);
      assert.equal(winners.length, 1, `round ${round}: ${winners.length} winners`);
      // Every loser saw the winner's item.
      for (const o of outcomes) if (!o.ok) assert.deepEqual(o.old, { pk: key, owner: N(winners[0]) });
      assert.deepEqual(await b.getItem(record, { pk: key }), { pk: key, owner: N(winners[0]) });
    }
    // One INSERT per round in the stream, nothing else.
    const read = await a.readStream(record.stream!.arn, 0n, 1000, T0);
    assert.deepEqual(
      read.records.map((r) => r.eventName),
      ['INSERT', 'INSERT', 'INSERT', 'INSERT', 'INSERT'],
    );
  });

  it('loses no increment of concurrent ADD counters, and each increment sees its own value', async () => {
    const record = table({ stream: true });
    await a.createTable(record);
    const key = { pk: S('counter') };
    const add = update('ADD n :one', { ':one': N(1) });
    const workers = 16;
    const each = 15;
    const seen = (
      await race(workers, async (store) => {
        const values: number[] = [];
        for (let i = 0; i < each; i++) {
          const outcome: WriteOutcome = await store.write(record, { kind: 'update', key, plan: add }, T0);
          values.push(Number(outcome.new!.n.N));
        }
        return values;
      })
    ).flat();
    const total = workers * each;
    assert.deepEqual(await a.getItem(record, key), { pk: S('counter'), n: N(total) });
    assert.deepEqual(
      [...seen].sort((x, y) => x - y),
      Array.from({ length: total }, (_, i) => i + 1),
    );
    // The stream has one record per increment, in increment order.
    const read = await b.readStream(record.stream!.arn, 0n, 1000, T0);
    assert.equal(read.records.length, total);
    assert.deepEqual(
      read.records.map((r) => Number(r.dynamodb.NewImage!.n.N)),
      Array.from({ length: total }, (_, i) => i + 1),
    );
  });

  it('never commits two transactions that conflict on one item', async () => {
    const record = table();
    await a.createTable(record);
    // Each transaction claims the same slot and writes an item of its own: exactly one may commit.
    const outcomes = await race(30, (store, i) =>
      store.transactWrite(
        [
          { table: record, op: { kind: 'put', item: { pk: S('slot'), by: N(i) }, condition: condition('attribute_not_exists(pk)') } },
          { table: record, op: { kind: 'put', item: { pk: S(`mine-${i}`) } } },
        ],
        T0,
      ),
    );
    const committed = outcomes.map((o, i) => (o.ok ? i : -1)).filter((i) => i >= 0);
    assert.equal(committed.length, 1);
    const page = await b.readPage(record, { forward: true });
    assert.deepEqual(page.items.map((item) => item.pk.S).sort(), ['slot', `mine-${committed[0]}`].sort());
    assert.deepEqual(await a.getItem(record, { pk: S('slot') }), { pk: S('slot'), by: N(committed[0]) });
  });

  it('keeps a balance invariant under concurrent transfer transactions', async () => {
    const record = table();
    await a.createTable(record);
    await a.write(record, { kind: 'put', item: { pk: S('alice'), balance: N(25) } }, T0);
    await a.write(record, { kind: 'put', item: { pk: S('bob'), balance: N(0) } }, T0);
    const enough = condition('balance >= :one', { ':one': N(1) });
    const outcomes = await race(40, (store) =>
      store.transactWrite(
        [
          { table: record, op: { kind: 'update', key: { pk: S('alice') }, plan: update('SET balance = balance - :one', { ':one': N(1) }), condition: enough } },
          { table: record, op: { kind: 'update', key: { pk: S('bob') }, plan: update('SET balance = balance + :one', { ':one': N(1) }) } },
        ],
        T0,
      ),
    );
    assert.equal(outcomes.filter((o) => o.ok).length, 25);
    assert.deepEqual(await b.getItem(record, { pk: S('alice') }), { pk: S('alice'), balance: N(0) });
    assert.deepEqual(await b.getItem(record, { pk: S('bob') }), { pk: S('bob'), balance: N(25) });
  });

  it('follows a table changed by the other replica: new index, new stream, recreated table', async () => {
    const record = table();
    await a.createTable(record);
    await b.write(record, { kind: 'put', item: { pk: S('before'), g: S('x') } }, T0);
    assert.deepEqual(await b.getTable(record), JSON.parse(JSON.stringify(record)));

    // a adds an index; b, which knew the table without it, keeps it on its next write.
    await a.replaceTable({ ...record, globalIndexes: [{ IndexName: 'by-g', KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' } }] });
    await b.write(record, { kind: 'put', item: { pk: S('after'), g: S('x') } }, T0);
    const indexed = await b.readPage(record, { forward: true, index: 'by-g', partition: S('x') });
    assert.deepEqual(indexed.items.map((i) => i.pk.S).sort(), ['after', 'before']);

    // a turns a stream on; b's next write appends to it.
    const withIndex = (await a.getTable(record))!;
    const label = streamLabel(T0 + 1000);
    const arn = streamArn(record.arn, label);
    await a.replaceTable({ ...withIndex, stream: { arn, label, viewType: 'KEYS_ONLY', enabled: true, createdAt: T0 + 1000 } });
    const heard: StreamRecord[] = [];
    b.onStreamRecord((streamArnHeard, r) => {
      if (streamArnHeard === arn) heard.push(r);
    });
    await b.write(record, { kind: 'delete', key: { pk: S('before') } }, T0 + 1000);
    const read = await a.readStream(arn, 0n, 10, T0 + 1000);
    assert.deepEqual(
      read.records.map((r) => [r.eventName, r.dynamodb.Keys.pk.S]),
      [['REMOVE', 'before']],
    );
    assert.deepEqual(heard, read.records);

    // a deletes and recreates the table; b writes into the new one.
    await a.deleteTable(record, T0 + 2000);
    await assert.rejects(b.getItem(record, { pk: S('after') }), { name: 'TableMissingError' });
    const recreated = { ...record, id: randomUUID() };
    await a.createTable(recreated);
    await b.write(record, { kind: 'put', item: { pk: S('new') } }, T0 + 3000);
    assert.deepEqual((await a.readPage(record, { forward: true })).items, [{ pk: S('new') }]);
    assert.equal((await a.tableStats(record)).itemCount, 1);
  });

  it('expires each item once when both replicas sweep at the same time', async () => {
    const record = table({ stream: true, ttl: 'exp' });
    await a.createTable(record);
    const total = 120;
    await race(total, (store, i) => store.write(record, { kind: 'put', item: { pk: S(`t${i}`), exp: N(T0 / 1000 + (i % 3)) } }, T0));
    const counts = await Promise.all([a.expireItems(T0 + 5000), b.expireItems(T0 + 5000), a.expireItems(T0 + 5000), b.expireItems(T0 + 5000)]);
    assert.equal(
      counts.reduce((x, y) => x + y, 0),
      total,
    );
    assert.equal((await a.tableStats(record)).itemCount, 0);
    const removes = (await b.readStream(record.stream!.arn, 0n, 1000, T0 + 5000)).records.filter((r) => r.eventName === 'REMOVE');
    assert.equal(removes.length, total);
    assert.equal(new Set(removes.map((r) => r.dynamodb.Keys.pk.S)).size, total);
  });

  it('hands out stream sequence numbers once, across replicas', async () => {
    const one = table({ stream: true });
    const two = table({ stream: true });
    await a.createTable(one);
    await b.createTable(two);
    await race(60, (store, i) => store.write(i % 3 ? one : two, { kind: 'put', item: { pk: S(`k${i}`) } }, T0));
    const records = [
      ...(await a.readStream(one.stream!.arn, 0n, 1000, T0)).records,
      ...(await b.readStream(two.stream!.arn, 0n, 1000, T0)).records,
    ];
    assert.equal(records.length, 60);
    assert.equal(new Set(records.map((r) => r.dynamodb.SequenceNumber)).size, 60);
  });
});
