import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { harness, N, rejects, S, T0, type Harness } from './harness.js';

async function records(h: Harness, arn: string, type = 'TRIM_HORIZON', extra: Record<string, unknown> = {}) {
  const stream = (await h.stream('DescribeStream', { StreamArn: arn })).StreamDescription;
  const iterator = (await h.stream('GetShardIterator', { StreamArn: arn, ShardId: stream.Shards[0].ShardId, ShardIteratorType: type, ...extra })).ShardIterator;
  return h.stream('GetRecords', { ShardIterator: iterator });
}

describe('streams', () => {
  let h: Harness;
  before(async () => {
    h = await harness();
  });
  after(() => h.close());

  const withStream = (name: string, viewType: string) =>
    h.table(name, { extra: { StreamSpecification: { StreamEnabled: true, StreamViewType: viewType } } });

  it('describes the stream of a table', async () => {
    await withStream('s-describe', 'NEW_AND_OLD_IMAGES');
    const table = (await h.call('DescribeTable', { TableName: 's-describe' })).Table;
    assert.deepEqual(table.StreamSpecification, { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' });
    assert.equal(table.LatestStreamLabel, '2025-01-01T00:00:00.000');
    assert.equal(table.LatestStreamArn, 'arn:aws:dynamodb:us-east-1:000000000000:table/s-describe/stream/2025-01-01T00:00:00.000');
    const listed = await h.stream('ListStreams', { TableName: 's-describe' });
    assert.deepEqual(listed.Streams, [{ StreamArn: table.LatestStreamArn, TableName: 's-describe', StreamLabel: table.LatestStreamLabel }]);
    const description = (await h.stream('DescribeStream', { StreamArn: table.LatestStreamArn })).StreamDescription;
    assert.equal(description.StreamStatus, 'ENABLED');
    assert.equal(description.StreamViewType, 'NEW_AND_OLD_IMAGES');
    assert.equal(description.CreationRequestDateTime, T0);
    assert.deepEqual(description.KeySchema, [{ AttributeName: 'pk', KeyType: 'HASH' }]);
    assert.match(description.Shards[0].ShardId, /^shardId-/);
    assert.match(description.Shards[0].SequenceNumberRange.StartingSequenceNumber, /^\d{21}$/);
    const missing = `${table.TableArn}/stream/2020-01-01T00:00:00.000`;
    await rejects(h.stream('DescribeStream', { StreamArn: missing }), 'ResourceNotFoundException', `Requested resource not found: Stream: ${missing} not found`);
  });

  it('records INSERT, MODIFY and REMOVE with images, sizes and increasing sequence numbers', async () => {
    await withStream('s-images', 'NEW_AND_OLD_IMAGES');
    await h.call('PutItem', { TableName: 's-images', Item: { pk: S('Fred') } });
    await h.call('PutItem', { TableName: 's-images', Item: { pk: S('Fred') } });
    await h.call('UpdateItem', { TableName: 's-images', Key: { pk: S('Fred') }, UpdateExpression: 'SET #n = :n', ExpressionAttributeNames: { '#n': 'name' }, ExpressionAttributeValues: { ':n': S('Fred') } });
    await h.call('DeleteItem', { TableName: 's-images', Key: { pk: S('Fred') } });
    await h.call('DeleteItem', { TableName: 's-images', Key: { pk: S('Fred') } });
    const arn = (await h.call('DescribeTable', { TableName: 's-images' })).Table.LatestStreamArn;
    const read = await records(h, arn);
    assert.deepEqual(
      read.Records.map((r: any) => r.eventName),
      ['INSERT', 'MODIFY', 'REMOVE'],
    );
    const [insert, modify, remove] = read.Records;
    assert.deepEqual(insert.dynamodb.Keys, { pk: S('Fred') });
    assert.deepEqual(insert.dynamodb.NewImage, { pk: S('Fred') });
    assert.equal(insert.dynamodb.OldImage, undefined);
    assert.equal(insert.dynamodb.SizeBytes, 12);
    assert.equal(insert.dynamodb.StreamViewType, 'NEW_AND_OLD_IMAGES');
    assert.equal(insert.dynamodb.ApproximateCreationDateTime, T0);
    assert.equal(insert.eventSource, 'aws:dynamodb');
    assert.equal(insert.eventVersion, '1.1');
    assert.equal(insert.awsRegion, 'us-east-1');
    assert.match(insert.eventID, /^[0-9a-f]{32}$/);
    assert.deepEqual(modify.dynamodb.OldImage, { pk: S('Fred') });
    assert.deepEqual(modify.dynamodb.NewImage, { pk: S('Fred'), name: S('Fred') });
    assert.equal(modify.dynamodb.SizeBytes, 26);
    assert.deepEqual(remove.dynamodb.OldImage, { pk: S('Fred'), name: S('Fred') });
    const sequences = read.Records.map((r: any) => BigInt(r.dynamodb.SequenceNumber));
    assert.ok(sequences[0] < sequences[1] && sequences[1] < sequences[2]);
    assert.ok(read.NextShardIterator);
    assert.deepEqual((await h.stream('GetRecords', { ShardIterator: read.NextShardIterator })).Records, []);
  });

  it('keeps only what the view type asks for', async () => {
    for (const view of ['KEYS_ONLY', 'NEW_IMAGE', 'OLD_IMAGE']) {
      const name = `s-view-${view.toLowerCase().replace('_', '-')}`;
      await withStream(name, view);
      await h.call('PutItem', { TableName: name, Item: { pk: S('a'), v: N(1) } });
      await h.call('PutItem', { TableName: name, Item: { pk: S('a'), v: N(2) } });
      const arn = (await h.call('DescribeTable', { TableName: name })).Table.LatestStreamArn;
      const modify = (await records(h, arn)).Records[1].dynamodb;
      assert.equal(modify.NewImage !== undefined, view === 'NEW_IMAGE', view);
      assert.equal(modify.OldImage !== undefined, view === 'OLD_IMAGE', view);
      assert.equal(modify.SizeBytes, view === 'KEYS_ONLY' ? 3 : 9, view);
    }
  });

  it('reads from LATEST, AT and AFTER a sequence number', async () => {
    await withStream('s-iterators', 'KEYS_ONLY');
    const arn = (await h.call('DescribeTable', { TableName: 's-iterators' })).Table.LatestStreamArn;
    await h.call('PutItem', { TableName: 's-iterators', Item: { pk: S('1') } });
    await h.call('PutItem', { TableName: 's-iterators', Item: { pk: S('2') } });
    const all = (await records(h, arn)).Records;
    const shardId = (await h.stream('DescribeStream', { StreamArn: arn })).StreamDescription.Shards[0].ShardId;
    const latest = (await h.stream('GetShardIterator', { StreamArn: arn, ShardId: shardId, ShardIteratorType: 'LATEST' })).ShardIterator;
    await h.call('PutItem', { TableName: 's-iterators', Item: { pk: S('3') } });
    assert.deepEqual(
      (await h.stream('GetRecords', { ShardIterator: latest })).Records.map((r: any) => r.dynamodb.Keys.pk.S),
      ['3'],
    );
    const at = await records(h, arn, 'AT_SEQUENCE_NUMBER', { SequenceNumber: all[1].dynamodb.SequenceNumber });
    assert.deepEqual(
      at.Records.map((r: any) => r.dynamodb.Keys.pk.S),
      ['2', '3'],
    );
    const afterSeq = await records(h, arn, 'AFTER_SEQUENCE_NUMBER', { SequenceNumber: all[1].dynamodb.SequenceNumber });
    assert.deepEqual(
      afterSeq.Records.map((r: any) => r.dynamodb.Keys.pk.S),
      ['3'],
    );
    const limited = await h.stream('GetRecords', { ShardIterator: (await h.stream('GetShardIterator', { StreamArn: arn, ShardId: shardId, ShardIteratorType: 'TRIM_HORIZON' })).ShardIterator, Limit: 1 });
    assert.equal(limited.Records.length, 1);
  });

  it('expires iterators after 15 minutes and records after 24 hours', async () => {
    await withStream('s-retention', 'KEYS_ONLY');
    const arn = (await h.call('DescribeTable', { TableName: 's-retention' })).Table.LatestStreamArn;
    await h.call('PutItem', { TableName: 's-retention', Item: { pk: S('old') } });
    const shardId = (await h.stream('DescribeStream', { StreamArn: arn })).StreamDescription.Shards[0].ShardId;
    const iterator = (await h.stream('GetShardIterator', { StreamArn: arn, ShardId: shardId, ShardIteratorType: 'TRIM_HORIZON' })).ShardIterator;
    h.advance(16 * 60);
    await rejects(h.stream('GetRecords', { ShardIterator: iterator }), 'ExpiredIteratorException');
    h.advance(24 * 60 * 60);
    await h.call('PutItem', { TableName: 's-retention', Item: { pk: S('new') } });
    assert.deepEqual(
      (await records(h, arn)).Records.map((r: any) => r.dynamodb.Keys.pk.S),
      ['new'],
    );
  });

  it('disables and re-enables streams with a new ARN', async () => {
    await withStream('s-toggle', 'KEYS_ONLY');
    const first = (await h.call('DescribeTable', { TableName: 's-toggle' })).Table.LatestStreamArn;
    await h.call('UpdateTable', { TableName: 's-toggle', StreamSpecification: { StreamEnabled: false } });
    assert.equal((await h.stream('DescribeStream', { StreamArn: first })).StreamDescription.StreamStatus, 'DISABLED');
    await h.call('PutItem', { TableName: 's-toggle', Item: { pk: S('quiet') } });
    assert.deepEqual((await records(h, first)).Records, []);
    h.advance(1);
    await h.call('UpdateTable', { TableName: 's-toggle', StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' } });
    const second = (await h.call('DescribeTable', { TableName: 's-toggle' })).Table.LatestStreamArn;
    assert.notEqual(second, first);
    await rejects(
      h.call('UpdateTable', { TableName: 's-toggle', StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' } }),
      'ValidationException',
      'Table already has an enabled stream: TableName: s-toggle',
    );
  });

  it('publishes every change on the bus as a Lambda event record', async () => {
    await withStream('s-bus', 'NEW_IMAGE');
    const events: any[] = [];
    const stop = h.bus.subscribe('dynamodb.stream', (data) => events.push(data));
    await h.call('PutItem', { TableName: 's-bus', Item: { pk: S('e') } });
    await new Promise((resolve) => setImmediate(resolve));
    stop();
    const arn = (await h.call('DescribeTable', { TableName: 's-bus' })).Table.LatestStreamArn;
    assert.equal(events.length, 1);
    assert.equal(events[0].eventSourceARN, arn);
    assert.equal(events[0].eventName, 'INSERT');
    assert.equal(events[0].dynamodb.ApproximateCreationDateTime, Math.floor(h.clock.now() / 1000));
    assert.deepEqual(events[0].dynamodb.NewImage, { pk: S('e') });
  });

  it('records the writes of transactions and batches', async () => {
    await withStream('s-batch', 'KEYS_ONLY');
    await h.call('BatchWriteItem', { RequestItems: { 's-batch': [{ PutRequest: { Item: { pk: S('1') } } }, { PutRequest: { Item: { pk: S('2') } } }] } });
    await h.call('TransactWriteItems', { TransactItems: [{ Delete: { TableName: 's-batch', Key: { pk: S('1') } } }, { Put: { TableName: 's-batch', Item: { pk: S('3') } } }] });
    const arn = (await h.call('DescribeTable', { TableName: 's-batch' })).Table.LatestStreamArn;
    assert.deepEqual(
      (await records(h, arn)).Records.map((r: any) => `${r.eventName} ${r.dynamodb.Keys.pk.S}`),
      ['INSERT 1', 'INSERT 2', 'REMOVE 1', 'INSERT 3'],
    );
  });
});

describe('time to live', () => {
  let h: Harness;
  before(async () => {
    h = await harness();
  });
  after(() => h.close());

  it('enables TTL and deletes expired items on the clock, with the TTL principal in the stream', async () => {
    await h.table('ttl', { extra: { StreamSpecification: { StreamEnabled: true, StreamViewType: 'OLD_IMAGE' } } });
    assert.deepEqual(await h.call('DescribeTimeToLive', { TableName: 'ttl' }), { TimeToLiveDescription: { TimeToLiveStatus: 'DISABLED' } });
    const now = T0 / 1000;
    await h.call('PutItem', { TableName: 'ttl', Item: { pk: S('soon'), expires: N(now + 60) } });
    await h.call('PutItem', { TableName: 'ttl', Item: { pk: S('later'), expires: N(now + 3600) } });
    await h.call('PutItem', { TableName: 'ttl', Item: { pk: S('never'), expires: S('not a number') } });
    await h.call('PutItem', { TableName: 'ttl', Item: { pk: S('ancient'), expires: N(now - 6 * 365 * 24 * 3600) } });
    assert.deepEqual(await h.call('UpdateTimeToLive', { TableName: 'ttl', TimeToLiveSpecification: { Enabled: true, AttributeName: 'expires' } }), {
      TimeToLiveSpecification: { Enabled: true, AttributeName: 'expires' },
    });
    assert.deepEqual(await h.call('DescribeTimeToLive', { TableName: 'ttl' }), { TimeToLiveDescription: { TimeToLiveStatus: 'ENABLED', AttributeName: 'expires' } });
    await rejects(h.call('UpdateTimeToLive', { TableName: 'ttl', TimeToLiveSpecification: { Enabled: true, AttributeName: 'expires' } }), 'ValidationException', 'TimeToLive is already enabled');
    h.advance(61);
    await new Promise((resolve) => setImmediate(resolve));
    const left = (await h.call('Scan', { TableName: 'ttl' })).Items.map((i: any) => i.pk.S).sort();
    assert.deepEqual(left, ['ancient', 'later', 'never']);
    const arn = (await h.call('DescribeTable', { TableName: 'ttl' })).Table.LatestStreamArn;
    const removal = (await records(h, arn)).Records.find((r: any) => r.eventName === 'REMOVE');
    assert.deepEqual(removal.userIdentity, { PrincipalId: 'dynamodb.amazonaws.com', Type: 'Service' });
    assert.deepEqual(removal.dynamodb.OldImage, { pk: S('soon'), expires: N(now + 60) });
    await h.call('UpdateTimeToLive', { TableName: 'ttl', TimeToLiveSpecification: { Enabled: false, AttributeName: 'expires' } });
    await rejects(h.call('UpdateTimeToLive', { TableName: 'ttl', TimeToLiveSpecification: { Enabled: false, AttributeName: 'expires' } }), 'ValidationException', 'TimeToLive is already disabled');
    h.advance(3600);
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal((await h.call('Scan', { TableName: 'ttl' })).Count, 3);
  });
});

describe('durability', () => {
  it('finds tables, items, indexes and stream records again after a restart', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'stratus-ddb-'));
    try {
      const first = await harness(dir);
      await first.call('CreateTable', {
        TableName: 'kept',
        AttributeDefinitions: [
          { AttributeName: 'pk', AttributeType: 'S' },
          { AttributeName: 'g', AttributeType: 'S' },
        ],
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
        BillingMode: 'PAY_PER_REQUEST',
        GlobalSecondaryIndexes: [{ IndexName: 'by-g', KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' } }],
        StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' },
      });
      await first.call('PutItem', { TableName: 'kept', Item: { pk: S('a'), g: S('x') } });
      await first.call('PutItem', { TableName: 'kept', Item: { pk: S('b'), g: S('x') } });
      await first.call('DeleteItem', { TableName: 'kept', Key: { pk: S('b') } });
      await first.close();

      const second = await harness(dir);
      assert.deepEqual((await second.call('GetItem', { TableName: 'kept', Key: { pk: S('a') } })).Item, { pk: S('a'), g: S('x') });
      assert.deepEqual((await second.call('GetItem', { TableName: 'kept', Key: { pk: S('b') } })).Item, undefined);
      const byG = await second.call('Query', { TableName: 'kept', IndexName: 'by-g', KeyConditionExpression: 'g = :g', ExpressionAttributeValues: { ':g': S('x') } });
      assert.equal(byG.Count, 1);
      const arn = (await second.call('DescribeTable', { TableName: 'kept' })).Table.LatestStreamArn;
      assert.deepEqual(
        (await records(second, arn)).Records.map((r: any) => r.eventName),
        ['INSERT', 'INSERT', 'REMOVE'],
      );
      await second.call('PutItem', { TableName: 'kept', Item: { pk: S('c') } });
      const after = (await records(second, arn)).Records.map((r: any) => r.dynamodb.SequenceNumber);
      assert.equal(new Set(after).size, 4);
      await second.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('resets one account or everything', async () => {
    const h = await harness();
    await h.table('mine');
    await h.table('theirs', {});
    await h.call('CreateTable', { TableName: 'other-account', AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }], BillingMode: 'PAY_PER_REQUEST' }, { account: '222222222222' });
    await h.dynamodb.reset('000000000000');
    assert.deepEqual((await h.call('ListTables', {})).TableNames, []);
    assert.deepEqual((await h.call('ListTables', {}, { account: '222222222222' })).TableNames, ['other-account']);
    await h.dynamodb.reset();
    assert.deepEqual((await h.call('ListTables', {}, { account: '222222222222' })).TableNames, []);
    await h.close();
  });
});
