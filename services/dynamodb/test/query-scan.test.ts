import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { harness, N, rejects, S, type Harness } from './harness.js';

describe('query and scan', () => {
  let h: Harness;
  before(async () => {
    h = await harness();
    await h.call('CreateTable', {
      TableName: 'orders',
      AttributeDefinitions: [
        { AttributeName: 'pk', AttributeType: 'S' },
        { AttributeName: 'sk', AttributeType: 'N' },
        { AttributeName: 'status', AttributeType: 'S' },
        { AttributeName: 'lsk', AttributeType: 'S' },
      ],
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      BillingMode: 'PAY_PER_REQUEST',
      GlobalSecondaryIndexes: [
        { IndexName: 'by-status', KeySchema: [{ AttributeName: 'status', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }], Projection: { ProjectionType: 'KEYS_ONLY' } },
      ],
      LocalSecondaryIndexes: [
        { IndexName: 'by-lsk', KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'lsk', KeyType: 'RANGE' }], Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['amount'] } },
      ],
    });
    for (let i = 0; i < 10; i++) {
      const item: Record<string, unknown> = { pk: S('cust'), sk: N(i), amount: N(i * 10), note: S(`n${i}`) };
      if (i % 2 === 0) item.status = S('open');
      if (i % 3 === 0) item.lsk = S(`l${9 - i}`);
      await h.call('PutItem', { TableName: 'orders', Item: item });
    }
    await h.call('PutItem', { TableName: 'orders', Item: { pk: S('other'), sk: N(1), status: S('open') } });
  });
  after(() => h.close());

  const skOf = (items: any[]) => items.map((i) => Number(i.sk.N));

  it('queries a partition in sort key order, both ways', async () => {
    const forward = await h.call('Query', { TableName: 'orders', KeyConditionExpression: 'pk = :p AND sk BETWEEN :a AND :b', ExpressionAttributeValues: { ':p': S('cust'), ':a': N(2), ':b': N(5) } });
    assert.deepEqual(skOf(forward.Items), [2, 3, 4, 5]);
    assert.equal(forward.ScannedCount, 4);
    const backward = await h.call('Query', {
      TableName: 'orders',
      KeyConditionExpression: 'pk = :p AND sk < :b',
      ExpressionAttributeValues: { ':p': S('cust'), ':b': N(3) },
      ScanIndexForward: false,
    });
    assert.deepEqual(skOf(backward.Items), [2, 1, 0]);
    const legacy = await h.call('Query', {
      TableName: 'orders',
      KeyConditions: { pk: { ComparisonOperator: 'EQ', AttributeValueList: [S('cust')] }, sk: { ComparisonOperator: 'GE', AttributeValueList: [N(8)] } },
    });
    assert.deepEqual(skOf(legacy.Items), [8, 9]);
  });

  it('pages with Limit and ExclusiveStartKey', async () => {
    const first = await h.call('Query', { TableName: 'orders', KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': S('cust') }, Limit: 4 });
    assert.deepEqual(skOf(first.Items), [0, 1, 2, 3]);
    assert.deepEqual(first.LastEvaluatedKey, { pk: S('cust'), sk: N(3) });
    const second = await h.call('Query', {
      TableName: 'orders',
      KeyConditionExpression: 'pk = :p',
      ExpressionAttributeValues: { ':p': S('cust') },
      ExclusiveStartKey: first.LastEvaluatedKey,
      Limit: 6,
    });
    assert.deepEqual(skOf(second.Items), [4, 5, 6, 7, 8, 9]);
    // The page stopped at its Limit, so AWS still returns a LastEvaluatedKey.
    assert.deepEqual(second.LastEvaluatedKey, { pk: S('cust'), sk: N(9) });
    const third = await h.call('Query', { TableName: 'orders', KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': S('cust') }, ExclusiveStartKey: second.LastEvaluatedKey });
    assert.deepEqual(third, { Count: 0, ScannedCount: 0, Items: [] });
  });

  it('filters after reading, and counts', async () => {
    const filtered = await h.call('Query', {
      TableName: 'orders',
      KeyConditionExpression: 'pk = :p',
      FilterExpression: 'amount >= :min',
      ExpressionAttributeValues: { ':p': S('cust'), ':min': N(70) },
      Limit: 8,
    });
    assert.deepEqual(skOf(filtered.Items), [7]);
    assert.equal(filtered.Count, 1);
    assert.equal(filtered.ScannedCount, 8);
    const counted = await h.call('Query', { TableName: 'orders', KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': S('cust') }, Select: 'COUNT' });
    assert.deepEqual(counted, { Count: 10, ScannedCount: 10 });
  });

  it('queries a sparse global index with its projection', async () => {
    const open = await h.call('Query', { TableName: 'orders', IndexName: 'by-status', KeyConditionExpression: '#s = :s', ExpressionAttributeNames: { '#s': 'status' }, ExpressionAttributeValues: { ':s': S('open') } });
    assert.equal(open.Count, 6);
    assert.deepEqual(open.Items[0], { pk: S('cust'), sk: N(0), status: S('open') });
    assert.deepEqual(
      open.Items.map((i: any) => `${i.pk.S}/${i.sk.N}`),
      ['cust/0', 'other/1', 'cust/2', 'cust/4', 'cust/6', 'cust/8'],
    );
    await rejects(
      h.call('Query', { TableName: 'orders', IndexName: 'by-status', Select: 'ALL_ATTRIBUTES', KeyConditionExpression: '#s = :s', ExpressionAttributeNames: { '#s': 'status' }, ExpressionAttributeValues: { ':s': S('open') } }),
      'ValidationException',
      'One or more parameter values were invalid: Select type ALL_ATTRIBUTES is not supported for global secondary index by-status because its projection type is not ALL',
    );
    await rejects(
      h.call('Query', { TableName: 'orders', IndexName: 'by-status', ConsistentRead: true, KeyConditionExpression: '#s = :s', ExpressionAttributeNames: { '#s': 'status' }, ExpressionAttributeValues: { ':s': S('open') } }),
      'ValidationException',
      'Consistent reads are not supported on global secondary indexes',
    );
  });

  it('queries a local index, fetching from the table when asked', async () => {
    const projected = await h.call('Query', { TableName: 'orders', IndexName: 'by-lsk', KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': S('cust') } });
    assert.deepEqual(
      projected.Items.map((i: any) => i.lsk.S),
      ['l0', 'l3', 'l6', 'l9'],
    );
    assert.deepEqual(projected.Items[0], { pk: S('cust'), sk: N(9), lsk: S('l0'), amount: N(90) });
    const all = await h.call('Query', { TableName: 'orders', IndexName: 'by-lsk', Select: 'ALL_ATTRIBUTES', KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': S('cust') }, Limit: 1 });
    assert.deepEqual(all.Items[0].note, S('n9'));
    assert.deepEqual(all.LastEvaluatedKey, { pk: S('cust'), sk: N(9), lsk: S('l0') });
  });

  it('gives AWS messages for bad key conditions and start keys', async () => {
    await rejects(
      h.call('Query', { TableName: 'orders', KeyConditionExpression: 'sk = :v', ExpressionAttributeValues: { ':v': N(1) } }),
      'ValidationException',
      'Query condition missed key schema element: pk',
    );
    await rejects(
      h.call('Query', { TableName: 'orders', KeyConditionExpression: 'pk = :p AND note = :n', ExpressionAttributeValues: { ':p': S('x'), ':n': S('y') } }),
      'ValidationException',
      'Query condition missed key schema element: sk',
    );
    await rejects(
      h.call('Query', { TableName: 'orders', KeyConditionExpression: 'pk = :p', FilterExpression: 'sk > :v', ExpressionAttributeValues: { ':p': S('x'), ':v': N(1) } }),
      'ValidationException',
      'Filter Expression can only contain non-primary key attributes: Primary key attribute: sk',
    );
    await rejects(h.call('Query', { TableName: 'orders' }), 'ValidationException', 'Either the KeyConditions or KeyConditionExpression parameter must be specified in the request.');
    await rejects(
      h.call('Query', { TableName: 'orders', KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': S('cust') }, ExclusiveStartKey: { pk: S('zzz'), sk: N(1) } }),
      'ValidationException',
      'The provided starting key is outside query boundaries based on provided conditions',
    );
    await rejects(
      h.call('Query', { TableName: 'orders', IndexName: 'nope', KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': S('cust') } }),
      'ValidationException',
      'The table does not have the specified index: nope',
    );
  });

  it('scans in hash order, in pages, and in parallel segments', async () => {
    await h.table('scanned');
    for (let i = 0; i < 10; i++) await h.call('PutItem', { TableName: 'scanned', Item: { pk: S(String(i)) } });
    for (const name of ['aardman', 'hello', 'zapf', 'äáöü']) await h.call('PutItem', { TableName: 'scanned', Item: { pk: S(name) } });
    const all = await h.call('Scan', { TableName: 'scanned' });
    // DynamoDB's placement-hash order, as AWS returns it.
    assert.deepEqual(
      all.Items.map((i: any) => i.pk.S),
      ['2', '8', '9', '1', '6', 'hello', '0', '5', '4', 'äáöü', 'aardman', '7', '3', 'zapf'],
    );
    const keys: string[] = [];
    let start: unknown;
    do {
      const page = await h.call('Scan', { TableName: 'scanned', Limit: 5, ExclusiveStartKey: start });
      keys.push(...page.Items.map((i: any) => i.pk.S));
      start = page.LastEvaluatedKey;
    } while (start);
    assert.deepEqual(keys, all.Items.map((i: any) => i.pk.S));
    const halves = await Promise.all([0, 1].map((segment) => h.call('Scan', { TableName: 'scanned', Segment: segment, TotalSegments: 2 })));
    assert.equal(halves[0].Count + halves[1].Count, 14);
    assert.ok(halves[0].Count > 0 && halves[1].Count > 0);
    await rejects(
      h.call('Scan', { TableName: 'scanned', Segment: 0, TotalSegments: 2, ExclusiveStartKey: halves[1].Items[0] }),
      'ValidationException',
      'The provided starting key is invalid: Invalid ExclusiveStartKey. Please use ExclusiveStartKey with correct Segment. TotalSegments: 2 Segment: 0',
    );
    await rejects(
      h.call('Scan', { TableName: 'scanned', Segment: 1 }),
      'ValidationException',
      'The TotalSegments parameter is required but was not present in the request when Segment parameter is present',
    );
  });

  it('scans with filters, projections and legacy ScanFilter', async () => {
    const filtered = await h.call('Scan', { TableName: 'orders', FilterExpression: 'amount > :a', ProjectionExpression: 'sk', ExpressionAttributeValues: { ':a': N(75) } });
    assert.deepEqual(skOf(filtered.Items).sort(), [8, 9]);
    const legacy = await h.call('Scan', { TableName: 'orders', ScanFilter: { note: { ComparisonOperator: 'BEGINS_WITH', AttributeValueList: [S('n1')] } } });
    assert.deepEqual(skOf(legacy.Items), [1]);
    const index = await h.call('Scan', { TableName: 'orders', IndexName: 'by-status' });
    assert.equal(index.Count, 6);
  });

  it('stops a page at 1 MB', async () => {
    await h.table('big');
    const filler = 'x'.repeat(100 * 1024);
    for (let i = 0; i < 15; i++) await h.call('PutItem', { TableName: 'big', Item: { pk: S(`k${i}`), data: S(filler) } });
    const page = await h.call('Scan', { TableName: 'big', Select: 'COUNT' });
    assert.equal(page.ScannedCount, 11);
    assert.ok(page.LastEvaluatedKey);
    const rest = await h.call('Scan', { TableName: 'big', Select: 'COUNT', ExclusiveStartKey: page.LastEvaluatedKey });
    assert.equal(rest.ScannedCount, 4);
    assert.equal(rest.LastEvaluatedKey, undefined);
  });
});
