import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { parseExpressions, type Condition, type SortKeyCondition, type UpdatePlan } from '../src/core.js';
import { hashPrefix, keyComponent, segmentBuckets } from '../src/keys.js';
import {
  compileTable,
  projectForIndex,
  streamArn,
  streamLabel,
  tableArn,
  type IndexRecord,
  type KeySchemaElement,
  type StreamRecord,
  type TableModel,
  type TableRecord,
} from '../src/model.js';
import { PAGE_LIMIT_BYTES, pageSize } from '../src/page-size.js';
import { sequenceOrdinal } from '../src/store/memory-state.js';
import { TableMissingError, type DynamoStore, type PageRequest, type TransactOp } from '../src/store/types.js';
import { compareStrings } from '../src/values/compare.js';
import type { AttributeValue, Item, ScalarType } from '../src/values/attribute-value.js';
import { itemSize } from '../src/values/size.js';

/**
 * The DynamoStore contract, backend-agnostic: `describe`s the semantics of store/types.ts against the
 * store `open` returns (one store for the suite; each case works in a fresh account, so cases never see
 * each other's tables). Run it from a `*.test.ts` per backend.
 */

const T0 = Date.UTC(2025, 0, 1);
const REGION = 'us-east-1';
const HOUR = 60 * 60 * 1000;

const S = (s: string): AttributeValue => ({ S: s });
const N = (n: number | string): AttributeValue => ({ N: String(n) });
const B = (bytes: number[]): AttributeValue => ({ B: Buffer.from(bytes).toString('base64') });

let accounts = 0;
function freshAccount(): string {
  return String(100_000_000_000 + Math.floor(Math.random() * 1000) * 1_000_000 + ++accounts);
}

interface TableOptions {
  account?: string;
  name?: string;
  hash?: [string, ScalarType];
  range?: [string, ScalarType];
  /** Extra attribute definitions (index keys). */
  attributes?: [string, ScalarType][];
  globalIndexes?: IndexRecord[];
  localIndexes?: IndexRecord[];
  stream?: 'KEYS_ONLY' | 'NEW_IMAGE' | 'OLD_IMAGE' | 'NEW_AND_OLD_IMAGES';
  ttl?: string;
  now?: number;
}

function tableRecord(options: TableOptions = {}): TableRecord {
  const account = options.account ?? freshAccount();
  const name = options.name ?? 'items';
  const [hashName, hashType] = options.hash ?? ['pk', 'S'];
  const definitions: [string, ScalarType][] = [[hashName, hashType]];
  const keySchema: KeySchemaElement[] = [{ AttributeName: hashName, KeyType: 'HASH' }];
  if (options.range) {
    definitions.push(options.range);
    keySchema.push({ AttributeName: options.range[0], KeyType: 'RANGE' });
  }
  definitions.push(...(options.attributes ?? []));
  const arn = tableArn(account, REGION, name);
  const now = options.now ?? T0;
  const label = streamLabel(now);
  return {
    account,
    region: REGION,
    name,
    arn,
    id: randomUUID(),
    createdAt: now,
    attributeDefinitions: definitions.map(([AttributeName, AttributeType]) => ({ AttributeName, AttributeType })),
    keySchema,
    billingMode: 'PAY_PER_REQUEST',
    throughput: { ReadCapacityUnits: 0, WriteCapacityUnits: 0, NumberOfDecreasesToday: 0 },
    localIndexes: options.localIndexes ?? [],
    globalIndexes: options.globalIndexes ?? [],
    stream: options.stream ? { arn: streamArn(arn, label), label, viewType: options.stream, enabled: true, createdAt: now } : undefined,
    ttl: options.ttl ? { attributeName: options.ttl, enabled: true } : undefined,
    deletionProtection: false,
    tags: [],
  };
}

function gsi(name: string, hash: string, range?: string, projection: IndexRecord['Projection'] = { ProjectionType: 'ALL' }): IndexRecord {
  const keys: KeySchemaElement[] = [{ AttributeName: hash, KeyType: 'HASH' }];
  if (range) keys.push({ AttributeName: range, KeyType: 'RANGE' });
  return { IndexName: name, KeySchema: keys, Projection: projection };
}

function condition(expression: string, values?: Record<string, AttributeValue>): Condition {
  return parseExpressions({ ConditionExpression: expression, ExpressionAttributeValues: values }).condition!.condition;
}

function update(expression: string, values?: Record<string, AttributeValue>): UpdatePlan {
  return parseExpressions({ UpdateExpression: expression, ExpressionAttributeValues: values }).update!;
}

/** Plain JSON, as a record looks after any backend stored it (undefined members dropped). */
function plain<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

// ---- the order AWS gives (keys.ts), computed independently of any store ----

function tableOrder(model: TableModel): (a: Item, b: Item) => number {
  const parts = (item: Item) => ({
    prefix: hashPrefix(item[model.hash.name], model.hash.type),
    hk: keyComponent(item[model.hash.name], model.hash.type),
    rk: model.range ? keyComponent(item[model.range.name], model.range.type) : '',
  });
  return (a, b) => {
    const x = parts(a);
    const y = parts(b);
    return x.prefix - y.prefix || compareStrings(x.hk, y.hk) || compareStrings(x.rk, y.rk);
  };
}

function indexOrder(model: TableModel, indexName: string): (a: Item, b: Item) => number {
  const index = model.indexes.find((i) => i.name === indexName)!;
  const primary = tableOrder(model);
  const hash = index.global ? index.hash : model.hash;
  const parts = (item: Item) => ({
    prefix: hashPrefix(item[hash.name], hash.type),
    hk: keyComponent(item[hash.name], hash.type),
    rk: index.range ? keyComponent(item[index.range.name], index.range.type) : '',
    tprefix: hashPrefix(item[model.hash.name], model.hash.type, model.range ? item[model.range.name] : undefined, model.range?.type),
  });
  return (a, b) => {
    const x = parts(a);
    const y = parts(b);
    return x.prefix - y.prefix || compareStrings(x.hk, y.hk) || compareStrings(x.rk, y.rk) || x.tprefix - y.tprefix || primary(a, b);
  };
}

export function storeContract(name: string, open: () => Promise<DynamoStore>, close: (store: DynamoStore) => Promise<void>): void {
  describe(`DynamoStore contract: ${name}`, () => {
    let store: DynamoStore;
    before(async () => {
      store = await open();
    });
    after(async () => {
      await close(store);
    });

    async function created(options: TableOptions = {}): Promise<{ record: TableRecord; model: TableModel }> {
      const record = tableRecord(options);
      assert.equal(await store.createTable(record), true);
      return { record, model: compileTable(record) };
    }

    async function put(record: TableRecord, ...items: Item[]): Promise<void> {
      for (const item of items) assert.equal((await store.write(record, { kind: 'put', item }, T0)).ok, true);
    }

    /** Every item of a read, page after page (`limit` per page), the way a client follows LastEvaluatedKey. */
    async function readAll(record: TableRecord, request: PageRequest, startKeyNames: readonly string[], limit: number): Promise<Item[]> {
      const items: Item[] = [];
      let start: Item | undefined;
      for (let pages = 0; pages < 1000; pages++) {
        const page = await store.readPage(record, { ...request, limit, exclusiveStart: start });
        items.push(...page.items);
        if (!page.truncated || page.items.length === 0) return items;
        const last = page.items[page.items.length - 1];
        start = {};
        for (const key of startKeyNames) if (last[key] !== undefined) start[key] = last[key];
      }
      throw new Error('too many pages');
    }

    describe('tables', () => {
      it('creates a table once, finds, lists and replaces it', async () => {
        const account = freshAccount();
        const { record } = await created({ account, name: 'b-table' });
        assert.equal(await store.createTable({ ...record, id: randomUUID() }), false);
        assert.deepEqual(plain(await store.getTable(record)), plain(record));
        await created({ account, name: 'a-table' });
        assert.equal(await store.createTable({ ...tableRecord({ account, name: 'c' }), region: 'eu-west-1' }), true);
        assert.deepEqual(await store.listTables(account, REGION), ['a-table', 'b-table']);
        assert.deepEqual(await store.listTables(account, 'eu-west-1'), ['c']);
        assert.deepEqual(await store.listTables(freshAccount(), REGION), []);

        const tagged = { ...record, tags: [{ Key: 'env', Value: 'dev' }] };
        await store.replaceTable(tagged);
        assert.deepEqual(plain(await store.getTable(record)), plain(tagged));
        await assert.rejects(store.replaceTable({ ...record, id: randomUUID() }), TableMissingError);
        await assert.rejects(store.replaceTable({ ...record, name: 'nope' }), TableMissingError);
        assert.equal(await store.getTable({ ...record, name: 'nope' }), undefined);
      });

      it('deletes a table with its items; table methods then throw TableMissingError; a new table starts empty', async () => {
        const { record } = await created({ range: ['sk', 'N'], globalIndexes: [gsi('g', 'pk', 'sk')] });
        await put(record, { pk: S('a'), sk: N(1) }, { pk: S('a'), sk: N(2) });
        assert.deepEqual(plain(await store.deleteTable(record, T0)), plain(record));
        assert.equal(await store.deleteTable(record, T0), undefined);
        assert.equal(await store.getTable(record), undefined);
        assert.deepEqual(await store.listTables(record.account, REGION), []);
        await assert.rejects(store.getItem(record, { pk: S('a'), sk: N(1) }), TableMissingError);
        await assert.rejects(store.write(record, { kind: 'put', item: { pk: S('b'), sk: N(1) } }, T0), TableMissingError);
        await assert.rejects(store.readPage(record, { forward: true }), TableMissingError);
        await assert.rejects(store.tableStats(record), TableMissingError);
        await assert.rejects(store.transactWrite([{ table: record, op: { kind: 'put', item: { pk: S('b'), sk: N(1) } } }], T0), TableMissingError);

        const again = { ...record, id: randomUUID() };
        assert.equal(await store.createTable(again), true);
        assert.equal(await store.getItem(again, { pk: S('a'), sk: N(1) }), undefined);
        assert.deepEqual(await store.readPage(again, { forward: true }), { items: [], truncated: false });
        assert.deepEqual(await store.readPage(again, { forward: true, index: 'g' }), { items: [], truncated: false });
        assert.deepEqual(await store.tableStats(again), { itemCount: 0, sizeBytes: 0, indexes: { g: { itemCount: 0, sizeBytes: 0 } } });
      });

      it('counts items and bytes of the table and of each index', async () => {
        const { record, model } = await created({
          range: ['sk', 'N'],
          attributes: [['g', 'S']],
          globalIndexes: [gsi('by-g', 'g', undefined, { ProjectionType: 'KEYS_ONLY' })],
        });
        const items: Item[] = [
          { pk: S('a'), sk: N(1), g: S('x'), data: S('x'.repeat(100)) },
          { pk: S('a'), sk: N(2), data: S('y') },
          { pk: S('b'), sk: N(1), g: S('y') },
        ];
        await put(record, ...items);
        const index = model.indexes[0];
        const indexed = [items[0], items[2]].map((i) => projectForIndex(index, i));
        const sum = (list: Item[]) => list.reduce((n, i) => n + itemSize(i), 0);
        assert.deepEqual(await store.tableStats(record), {
          itemCount: 3,
          sizeBytes: sum(items),
          indexes: { 'by-g': { itemCount: 2, sizeBytes: sum(indexed) } },
        });
        // Replacing an item moves it out of the index; deleting one takes it out of both.
        await put(record, { pk: S('a'), sk: N(1), data: S('short') });
        await store.write(record, { kind: 'delete', key: { pk: S('b'), sk: N(1) } }, T0);
        assert.deepEqual(await store.tableStats(record), {
          itemCount: 2,
          sizeBytes: sum([{ pk: S('a'), sk: N(1), data: S('short') }, items[1]]),
          indexes: { 'by-g': { itemCount: 0, sizeBytes: 0 } },
        });
      });
    });

    describe('items', () => {
      it('puts, gets, replaces and deletes items, telling the item before and after', async () => {
        const { record } = await created({ range: ['sk', 'S'] });
        const key = { pk: S('k'), sk: S('1') };
        assert.equal(await store.getItem(record, key), undefined);
        assert.deepEqual(await store.write(record, { kind: 'put', item: { ...key, v: N(1) } }, T0), { ok: true, old: undefined, new: { ...key, v: N(1) } });
        assert.deepEqual(await store.getItem(record, key), { ...key, v: N(1) });
        assert.deepEqual(await store.write(record, { kind: 'put', item: { ...key, v: N(2) } }, T0), { ok: true, old: { ...key, v: N(1) }, new: { ...key, v: N(2) } });
        assert.deepEqual(await store.write(record, { kind: 'delete', key }, T0), { ok: true, old: { ...key, v: N(2) } });
        assert.equal(await store.getItem(record, key), undefined);
        assert.deepEqual(await store.write(record, { kind: 'delete', key }, T0), { ok: true, old: undefined });
        // Keys are exact: another sort key is another item.
        await put(record, { pk: S('k'), sk: S('1\u0000') });
        assert.equal(await store.getItem(record, key), undefined);
      });

      it('writes only when the condition holds, evaluated on the item before the write', async () => {
        const { record } = await created();
        const key = { pk: S('c') };
        const absent = condition('attribute_not_exists(pk)');
        assert.equal((await store.write(record, { kind: 'put', item: { ...key, n: N(1) }, condition: absent }, T0)).ok, true);
        assert.deepEqual(await store.write(record, { kind: 'put', item: { ...key, n: N(9) }, condition: absent }, T0), { ok: false, old: { ...key, n: N(1) } });
        assert.deepEqual(await store.getItem(record, key), { ...key, n: N(1) });
        const isOne = condition('n = :one', { ':one': N(1) });
        assert.equal((await store.write(record, { kind: 'delete', key, condition: condition('n = :two', { ':two': N(2) }) }, T0)).ok, false);
        assert.equal((await store.write(record, { kind: 'delete', key, condition: isOne }, T0)).ok, true);
        assert.deepEqual(await store.write(record, { kind: 'delete', key, condition: isOne }, T0), { ok: false, old: undefined });
        assert.deepEqual(await store.write(record, { kind: 'check', key, condition: absent }, T0), { ok: true, old: undefined, new: undefined });
      });

      it('applies update plans to the item before, or to the key when there is none', async () => {
        const { record } = await created();
        const key = { pk: S('u') };
        const fixed = parseExpressions({
          UpdateExpression: 'ADD #c :one SET tags = list_append(if_not_exists(tags, :empty), :t)',
          ExpressionAttributeNames: { '#c': 'count' },
          ExpressionAttributeValues: { ':one': N(1), ':empty': { L: [] }, ':t': { L: [S('x')] } },
        }).update!;
        const first = await store.write(record, { kind: 'update', key, plan: fixed }, T0);
        assert.deepEqual(first, { ok: true, old: undefined, new: { pk: S('u'), count: N(1), tags: { L: [S('x')] } } });
        const second = await store.write(record, { kind: 'update', key, plan: fixed, condition: condition('attribute_exists(pk)') }, T0);
        assert.deepEqual(second.new, { pk: S('u'), count: N(2), tags: { L: [S('x'), S('x')] } });
        assert.deepEqual(await store.getItem(record, key), second.new);
        // An update that fails validation throws its ValidationException and writes nothing.
        const bad = update('SET a = b + :one', { ':one': N(1) });
        await assert.rejects(store.write(record, { kind: 'update', key, plan: bad }, T0), (e: Error & { code?: string }) => e.code === 'ValidationException');
        assert.deepEqual(await store.getItem(record, key), second.new);
      });
    });

    describe('transactions', () => {
      it('applies every write or none, reporting each failed condition with the item', async () => {
        const { record: a } = await created({ name: 'ta' });
        const { record: b } = await created({ account: a.account, name: 'tb', range: ['sk', 'N'] });
        await put(a, { pk: S('1'), n: N(1), s: S('text') }, { pk: S('gone') });
        await put(b, { pk: S('x'), sk: N(1) });
        const ops: TransactOp[] = [
          { table: a, op: { kind: 'put', item: { pk: S('2') }, condition: condition('attribute_not_exists(pk)') } },
          { table: a, op: { kind: 'update', key: { pk: S('1') }, plan: update('SET n = n + :one', { ':one': N(1) }) } },
          { table: b, op: { kind: 'check', key: { pk: S('x'), sk: N(1) }, condition: condition('attribute_exists(pk)') } },
          { table: a, op: { kind: 'delete', key: { pk: S('gone') } } },
          { table: b, op: { kind: 'delete', key: { pk: S('y'), sk: N(5) } } },
        ];
        const failing = [...ops];
        failing[2] = { table: b, op: { kind: 'check', key: { pk: S('x'), sk: N(1) }, condition: condition('attribute_not_exists(pk)') } };
        assert.deepEqual(await store.transactWrite(failing, T0), {
          ok: false,
          failures: [undefined, undefined, { code: 'ConditionalCheckFailed', old: { pk: S('x'), sk: N(1) } }, undefined, undefined],
        });
        assert.equal(await store.getItem(a, { pk: S('2') }), undefined);
        assert.deepEqual(await store.getItem(a, { pk: S('1') }), { pk: S('1'), n: N(1), s: S('text') });

        const invalid = [...ops];
        invalid[1] = { table: a, op: { kind: 'update', key: { pk: S('1') }, plan: update('SET s = s + :one', { ':one': N(1) }) } };
        const outcome = await store.transactWrite(invalid, T0);
        assert.equal(outcome.ok, false);
        assert.equal(!outcome.ok && outcome.failures[1]?.code, 'ValidationError');

        const done = await store.transactWrite(ops, T0);
        assert.equal(done.ok, true);
        assert.deepEqual(done.ok && done.outcomes.map((o) => o.new), [{ pk: S('2') }, { pk: S('1'), n: N(2), s: S('text') }, { pk: S('x'), sk: N(1) }, undefined, undefined]);
        assert.deepEqual(await store.getItem(a, { pk: S('2') }), { pk: S('2') });
        assert.deepEqual(await store.getItem(a, { pk: S('1') }), { pk: S('1'), n: N(2), s: S('text') });
        assert.equal(await store.getItem(a, { pk: S('gone') }), undefined);
        assert.equal((await store.tableStats(a)).itemCount, 2);
      });
    });

    describe('pages', () => {
      it('scans in placement-hash order, in pages, and splits parallel segments by hash bucket', async () => {
        const { record, model } = await created({ hash: ['id', 'N'] });
        const items: Item[] = [];
        for (let i = 0; i < 120; i++) items.push({ id: N(i * 7 - 300), v: S(`v${i}`) });
        await put(record, ...items);
        const expected = [...items].sort(tableOrder(model));
        assert.deepEqual((await store.readPage(record, { forward: true })).items, expected);
        assert.deepEqual(await readAll(record, { forward: true }, ['id'], 7), expected);
        const segments: Item[] = [];
        for (let segment = 0; segment < 4; segment++) {
          const buckets = segmentBuckets(segment, 4);
          const part = await readAll(record, { forward: true, buckets }, ['id'], 9);
          for (const item of part) {
            const bucket = hashPrefix(item.id, 'N') >>> 12;
            assert.ok(bucket >= buckets.first && bucket <= buckets.last);
          }
          segments.push(...part);
        }
        assert.deepEqual(segments, expected);
        const limited = await store.readPage(record, { forward: true, limit: 5 });
        assert.deepEqual(limited, { items: expected.slice(0, 5), truncated: true });
        assert.deepEqual(await store.readPage(record, { forward: true, limit: 120 }), { items: expected, truncated: true });
        assert.deepEqual(await store.readPage(record, { forward: true, limit: 121 }), { items: expected, truncated: false });
      });

      it('queries a partition in sort key order for strings (code points), numbers and binaries, both ways', async () => {
        const strings = ['a', 'a\u0000', 'a\u0000b', 'a\u0001', 'ab', 'b', 'b ', '\u00e9', '\uffff', '\u{1f600}', '\ue000', 'Z', '0'];
        const numbers = ['-10000000000', '-5.5', '-5', '-0.001', '0', '0.001', '1', '1.5', '10', '100000000000000000000', '-123456789012345678901234567890'];
        const binaries = [[0], [0, 1], [1], [255], [127, 255], [0, 0], [128]];
        const cases: [ScalarType, AttributeValue[]][] = [
          ['S', strings.map(S)],
          ['N', numbers.map(N)],
          ['B', binaries.map(B)],
        ];
        for (const [type, values] of cases) {
          const { record, model } = await created({ range: ['sk', type] });
          const items = values.map((sk, i) => ({ pk: S('p'), sk, i: N(i) }));
          await put(record, ...items, { pk: S('q'), sk: values[0] }, { pk: S('o'), sk: values[0] });
          const expected = [...items].sort(tableOrder(model));
          const partition = S('p');
          assert.deepEqual((await store.readPage(record, { forward: true, partition })).items, expected, `${type} forward`);
          assert.deepEqual((await store.readPage(record, { forward: false, partition })).items, [...expected].reverse(), `${type} backward`);
          assert.deepEqual(await readAll(record, { forward: true, partition }, ['pk', 'sk'], 3), expected, `${type} paged`);
          assert.deepEqual(await readAll(record, { forward: false, partition }, ['pk', 'sk'], 4), [...expected].reverse(), `${type} paged backward`);
        }
      });

      it('narrows a query with every sort key condition', async () => {
        const values = ['a', 'a\u0000', 'a\u0000b', 'a\u0001', 'ab', 'abc', 'b', 'ba', 'c', '\u00e9'];
        const { record, model } = await created({ range: ['sk', 'S'] });
        const items = values.map((v) => ({ pk: S('p'), sk: S(v) }));
        await put(record, ...items, { pk: S('p2'), sk: S('ab') });
        const sorted = [...items].sort(tableOrder(model));
        const cmp = (a: string, b: string) => compareStrings(a, b);
        const conditions: [SortKeyCondition, (v: string) => boolean][] = [
          [{ name: 'sk', operator: 'EQ', values: [S('ab')] }, (v) => v === 'ab'],
          [{ name: 'sk', operator: 'EQ', values: [S('a')] }, (v) => v === 'a'],
          [{ name: 'sk', operator: 'LT', values: [S('ab')] }, (v) => cmp(v, 'ab') < 0],
          [{ name: 'sk', operator: 'LE', values: [S('ab')] }, (v) => cmp(v, 'ab') <= 0],
          [{ name: 'sk', operator: 'GT', values: [S('a')] }, (v) => cmp(v, 'a') > 0],
          [{ name: 'sk', operator: 'GE', values: [S('a\u0000b')] }, (v) => cmp(v, 'a\u0000b') >= 0],
          [{ name: 'sk', operator: 'BETWEEN', values: [S('a\u0000'), S('b')] }, (v) => cmp(v, 'a\u0000') >= 0 && cmp(v, 'b') <= 0],
          [{ name: 'sk', operator: 'BEGINS_WITH', values: [S('a')] }, (v) => v.startsWith('a')],
          [{ name: 'sk', operator: 'BEGINS_WITH', values: [S('a\u0000')] }, (v) => v.startsWith('a\u0000')],
          [{ name: 'sk', operator: 'BEGINS_WITH', values: [S('ab')] }, (v) => v.startsWith('ab')],
          [{ name: 'sk', operator: 'BEGINS_WITH', values: [S('z')] }, () => false],
        ];
        for (const [sort, keep] of conditions) {
          const expected = sorted.filter((item) => keep(item.sk.S!));
          const label = `${sort.operator} ${JSON.stringify(sort.values)}`;
          assert.deepEqual((await store.readPage(record, { forward: true, partition: S('p'), sort })).items, expected, label);
          assert.deepEqual((await store.readPage(record, { forward: false, partition: S('p'), sort })).items, [...expected].reverse(), `${label} backward`);
          assert.deepEqual(await readAll(record, { forward: true, partition: S('p'), sort }, ['pk', 'sk'], 2), expected, `${label} paged`);
          assert.deepEqual(await readAll(record, { forward: false, partition: S('p'), sort }, ['pk', 'sk'], 2), [...expected].reverse(), `${label} paged backward`);
        }
        const numeric = await created({ account: record.account, name: 'numeric', range: ['sk', 'N'] });
        await put(numeric.record, ...[-3, -1.5, 0, 2, 10, 11].map((n) => ({ pk: S('p'), sk: N(n) })));
        const between = await store.readPage(numeric.record, { forward: true, partition: S('p'), sort: { name: 'sk', operator: 'BETWEEN', values: [N(-1.5), N(10)] } });
        assert.deepEqual(
          between.items.map((i) => i.sk.N),
          ['-1.5', '0', '2', '10'],
        );
      });

      it('reads global and local indexes in index order, sparse, paged, with projected page sizes', async () => {
        const { record, model } = await created({
          range: ['sk', 'N'],
          attributes: [
            ['g', 'S'],
            ['r', 'N'],
            ['l', 'S'],
          ],
          globalIndexes: [gsi('by-g', 'g', 'r', { ProjectionType: 'KEYS_ONLY' }), gsi('by-g-only', 'g')],
          localIndexes: [{ IndexName: 'by-l', KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'l', KeyType: 'RANGE' }], Projection: { ProjectionType: 'ALL' } }],
        });
        const items: Item[] = [];
        for (let i = 0; i < 40; i++) {
          const item: Item = { pk: S(`p${i % 4}`), sk: N(i), payload: S('x'.repeat(i)) };
          if (i % 5 !== 0) item.g = S(`g${i % 3}`);
          if (i % 5 !== 1) item.r = N(i % 6);
          if (i % 2 === 0) item.l = S(`l${(i * 7) % 10}`);
          items.push(item);
        }
        await put(record, ...items);
        for (const indexName of ['by-g', 'by-g-only', 'by-l']) {
          const index = model.indexes.find((i) => i.name === indexName)!;
          const member = (item: Item) =>
            item[index.hash.name] !== undefined && (!index.range || item[index.range.name] !== undefined);
          const expected = items.filter(member).sort(indexOrder(model, indexName));
          assert.deepEqual((await store.readPage(record, { forward: true, index: indexName })).items, expected, `${indexName} scan`);
          assert.deepEqual(await readAll(record, { forward: true, index: indexName }, index.startKeyNames, 6), expected, `${indexName} scan paged`);
          const partition = expected[0][index.hash.name];
          const inPartition = expected.filter((i) => compareStrings(keyComponent(i[index.hash.name], 'S'), keyComponent(partition, 'S')) === 0);
          assert.deepEqual(await readAll(record, { forward: true, index: indexName, partition }, index.startKeyNames, 3), inPartition, `${indexName} query`);
          assert.deepEqual(
            await readAll(record, { forward: false, index: indexName, partition }, index.startKeyNames, 3),
            [...inPartition].reverse(),
            `${indexName} query backward`,
          );
        }
        const ranged = await store.readPage(record, { forward: true, index: 'by-g', partition: S('g1'), sort: { name: 'r', operator: 'GE', values: [N(3)] } });
        assert.ok(ranged.items.length > 0);
        assert.ok(ranged.items.every((i) => i.g.S === 'g1' && Number(i.r.N) >= 3));
        assert.deepEqual(await store.readPage(record, { forward: true, index: 'nope' }), { items: [], truncated: false });
      });

      it('ends a page once it reaches 1 MB in the page measure of the table or of the index', async () => {
        const { record, model } = await created({ attributes: [['g', 'S']], globalIndexes: [gsi('keys', 'g', undefined, { ProjectionType: 'KEYS_ONLY' })] });
        const items: Item[] = [];
        for (let i = 0; i < 14; i++) items.push({ pk: S(`big${i}`), g: S('all'), blob: S('z'.repeat(100_000 + i)) });
        await put(record, ...items);
        const expected = [...items].sort(tableOrder(model));
        let size = 0;
        let count = 0;
        while (size < PAGE_LIMIT_BYTES) size += pageSize(expected[count++]);
        const page = await store.readPage(record, { forward: true });
        assert.deepEqual(page, { items: expected.slice(0, count), truncated: true });
        assert.deepEqual(await readAll(record, { forward: true }, ['pk'], 100), expected);
        // Index entries hold only keys: the whole index fits one page.
        const index = await store.readPage(record, { forward: true, index: 'keys' });
        assert.equal(index.items.length, 14);
        assert.equal(index.truncated, false);
      });
    });

    describe('changing a table', () => {
      it('fills an index added later, forgets one removed, and starts over when one comes back', async () => {
        const { record, model } = await created({ range: ['sk', 'N'], attributes: [['g', 'S']] });
        const items: Item[] = [];
        for (let i = 0; i < 300; i++) items.push(i % 4 === 0 ? { pk: S(`p${i % 7}`), sk: N(i) } : { pk: S(`p${i % 7}`), sk: N(i), g: S(`g${i % 2}`) });
        await put(record, ...items);
        const withIndex = { ...record, globalIndexes: [gsi('by-g', 'g', 'sk')] };
        await store.replaceTable(withIndex);
        const indexed = compileTable(withIndex);
        const expected = items.filter((i) => i.g !== undefined).sort(indexOrder(indexed, 'by-g'));
        assert.deepEqual((await store.readPage(record, { forward: true, index: 'by-g' })).items, expected);
        assert.deepEqual((await store.tableStats(record)).indexes, { 'by-g': { itemCount: expected.length, sizeBytes: expected.reduce((n, i) => n + itemSize(i), 0) } });
        // Writes after the change keep the index.
        await put(record, { pk: S('new'), sk: N(1), g: S('g0') });
        assert.equal((await store.readPage(record, { forward: true, index: 'by-g', partition: S('g0') })).items.length, expected.filter((i) => i.g.S === 'g0').length + 1);

        await store.replaceTable(record);
        assert.deepEqual(await store.readPage(record, { forward: true, index: 'by-g' }), { items: [], truncated: false });
        assert.deepEqual((await store.tableStats(record)).indexes, {});
        await store.write(record, { kind: 'delete', key: { pk: S('new'), sk: N(1) } }, T0);
        await put(record, { pk: S('p0'), sk: N(0), g: S('g1') });
        const withOther = { ...record, globalIndexes: [gsi('by-g', 'g')] };
        await store.replaceTable(withOther);
        const current = items.map((i) => (i.pk.S === 'p0' && i.sk.N === '0' ? { pk: S('p0'), sk: N(0), g: S('g1') } : i));
        const again = current.filter((i) => i.g !== undefined).sort(indexOrder(compileTable(withOther), 'by-g'));
        assert.deepEqual((await store.readPage(record, { forward: true, index: 'by-g' })).items, again);
        assert.equal((await store.tableStats(record)).indexes['by-g'].itemCount, again.length);
        assert.equal(model.indexes.length, 0);
      });
    });

    describe('streams', () => {
      it('appends a record per change in one sequence, with the images of the view type, and tells listeners', async () => {
        const heard: [string, StreamRecord][] = [];
        store.onStreamRecord((arn, record) => heard.push([arn, record]));
        const { record } = await created({ stream: 'NEW_AND_OLD_IMAGES', range: ['sk', 'N'] });
        const arn = record.stream!.arn;
        const before = (await store.getStream(arn, T0))!;
        assert.equal(before.enabled, true);
        assert.equal(before.firstSequence, undefined);
        assert.equal(before.startOrdinal, before.nextOrdinal);
        const key = { pk: S('s'), sk: N(1) };
        await store.write(record, { kind: 'put', item: key }, T0 + 1500);
        await store.write(record, { kind: 'put', item: key }, T0 + 1500);
        await store.write(record, { kind: 'update', key, plan: update('SET v = :v', { ':v': S('x') }) }, T0 + 2000);
        await store.transactWrite(
          [
            { table: record, op: { kind: 'delete', key } },
            { table: record, op: { kind: 'put', item: { pk: S('t'), sk: N(2) } } },
          ],
          T0 + 3000,
        );
        await store.write(record, { kind: 'delete', key }, T0 + 4000);

        const read = await store.readStream(arn, before.startOrdinal, 100, T0 + 5000);
        assert.deepEqual(
          read.records.map((r) => [r.eventName, r.dynamodb.Keys.pk.S, r.dynamodb.ApproximateCreationDateTime]),
          [
            ['INSERT', 's', T0 + 1000],
            ['MODIFY', 's', T0 + 2000],
            ['REMOVE', 's', T0 + 3000],
            ['INSERT', 't', T0 + 3000],
          ],
        );
        const [insert, modify, remove] = read.records;
        assert.deepEqual(insert.dynamodb.NewImage, key);
        assert.equal(insert.dynamodb.OldImage, undefined);
        assert.equal(insert.dynamodb.SizeBytes, itemSize(key) * 2);
        assert.deepEqual(modify.dynamodb.OldImage, key);
        assert.deepEqual(modify.dynamodb.NewImage, { ...key, v: S('x') });
        assert.deepEqual(remove.dynamodb.OldImage, { ...key, v: S('x') });
        assert.equal(insert.awsRegion, REGION);
        assert.equal(insert.eventSource, 'aws:dynamodb');
        assert.match(insert.eventID, /^[0-9a-f]{32}$/);
        const ordinals = read.records.map((r) => sequenceOrdinal(r.dynamodb.SequenceNumber)!);
        assert.equal(ordinals[0], before.startOrdinal);
        for (let i = 1; i < ordinals.length; i++) assert.ok(ordinals[i] > ordinals[i - 1]);
        assert.equal(read.next, ordinals[3] + 1n);
        assert.deepEqual(
          heard.filter(([a]) => a === arn).map(([, r]) => r),
          read.records,
        );

        const summary = (await store.getStream(arn, T0 + 5000))!;
        assert.equal(summary.firstSequence, read.records[0].dynamodb.SequenceNumber);
        assert.equal(summary.lastSequence, read.records[3].dynamodb.SequenceNumber);
        assert.ok(summary.nextOrdinal > ordinals[3]);
        const partial = await store.readStream(arn, ordinals[1], 2, T0 + 5000);
        assert.deepEqual(partial.records, read.records.slice(1, 3));
        assert.equal(partial.next, ordinals[2] + 1n);
        assert.deepEqual(await store.readStream(arn, read.next, 10, T0 + 5000), { records: [], next: read.next });
        assert.deepEqual(await store.readStream(`${arn}-nope`, 5n, 10, T0), { records: [], next: 5n });
      });

      it('keeps records 24 hours, closes the stream when disabled or when the table goes, and lists streams', async () => {
        const { record } = await created({ stream: 'KEYS_ONLY' });
        const arn = record.stream!.arn;
        await store.write(record, { kind: 'put', item: { pk: S('old') } }, T0);
        await store.write(record, { kind: 'put', item: { pk: S('new') } }, T0 + 23 * HOUR);
        const later = T0 + 24 * HOUR + 1000;
        const read = await store.readStream(arn, 0n, 100, later);
        assert.deepEqual(
          read.records.map((r) => r.dynamodb.Keys.pk.S),
          ['new'],
        );
        assert.equal((await store.getStream(arn, later))!.firstSequence, read.records[0].dynamodb.SequenceNumber);

        const listed = await store.listStreams(record.account, REGION, later);
        assert.deepEqual(
          listed.map((s) => [s.arn, s.tableName, s.viewType, s.enabled]),
          [[arn, record.name, 'KEYS_ONLY', true]],
        );

        // Disabled: the shard closes, the table writes no more records.
        const disabled = { ...record, stream: { ...record.stream!, enabled: false, disabledAt: later } };
        await store.replaceTable(disabled);
        await store.write(record, { kind: 'put', item: { pk: S('after') } }, later);
        const closed = (await store.getStream(arn, later))!;
        assert.equal(closed.enabled, false);
        assert.equal(closed.closedAt, later);
        assert.equal((await store.readStream(arn, 0n, 100, later)).records.length, 1);

        // A new stream starts after every record so far.
        const label = streamLabel(later);
        const enabled = { ...disabled, stream: { arn: streamArn(record.arn, label), label, viewType: 'NEW_IMAGE' as const, enabled: true, createdAt: later } };
        await store.replaceTable(enabled);
        const fresh = (await store.getStream(enabled.stream.arn, later))!;
        assert.equal(fresh.startOrdinal, fresh.nextOrdinal);
        await store.write(record, { kind: 'put', item: { pk: S('third') } }, later);
        const third = await store.readStream(enabled.stream.arn, fresh.startOrdinal, 10, later);
        assert.deepEqual(third.records[0].dynamodb.NewImage, { pk: S('third') });
        assert.equal(
          (await store.listStreams(record.account, REGION, later)).filter((s) => s.enabled).length,
          1,
        );

        // Deleting the table closes its stream; a day later it is no longer listed.
        await store.deleteTable(record, later + 1000);
        assert.equal((await store.getStream(enabled.stream.arn, later + 1000))!.closedAt, later + 1000);
        assert.equal((await store.listStreams(record.account, REGION, later + 1000)).length, 2);
        assert.deepEqual(await store.listStreams(record.account, REGION, later + 1000 + 25 * HOUR), []);
      });
    });

    describe('time to live', () => {
      it('deletes items whose time has come, with the TTL principal in the stream; others stay', async () => {
        const { record } = await created({ stream: 'OLD_IMAGE' });
        const seconds = T0 / 1000;
        await put(
          record,
          { pk: S('soon'), exp: N(seconds + 60) },
          { pk: S('later'), exp: N(seconds + 3600) },
          { pk: S('text'), exp: S('not a number') },
          { pk: S('ancient'), exp: N(seconds - 6 * 365 * 24 * 3600) },
          { pk: S('none') },
        );
        // TTL turned on after the items exist: they are tracked from then on.
        await store.replaceTable({ ...record, ttl: { attributeName: 'exp', enabled: true } });
        for (let i = 0; i < 30; i++) await put(record, { pk: S(`bulk${i}`), exp: N(seconds + 30) });
        await put(record, { pk: S('soon-updated'), exp: N(seconds + 10) });
        await put(record, { pk: S('soon-updated'), exp: N(seconds + 10_000) });
        let expired = 0;
        // Sweeps are idempotent: a second one finds nothing more.
        expired += await store.expireItems(T0 + 61_000);
        expired += await store.expireItems(T0 + 61_000);
        assert.equal(expired, 31);
        const left = (await store.readPage(record, { forward: true })).items.map((i) => i.pk.S).sort();
        assert.deepEqual(left, ['ancient', 'later', 'none', 'soon-updated', 'text']);
        const records = (await store.readStream(record.stream!.arn, 0n, 1000, T0 + 61_000)).records.filter((r) => r.eventName === 'REMOVE');
        assert.equal(records.length, 31);
        assert.deepEqual(records[0].userIdentity, { PrincipalId: 'dynamodb.amazonaws.com', Type: 'Service' });
        assert.ok(records[0].dynamodb.OldImage);

        // TTL off: nothing more expires.
        await store.replaceTable({ ...record, ttl: { attributeName: 'exp', enabled: false } });
        assert.equal(await store.expireItems(T0 + 10 * HOUR), 0);
        assert.equal((await store.tableStats(record)).itemCount, 5);
      });
    });

    describe('idempotency tokens', () => {
      it('records a token until it expires', async () => {
        const scope = `${freshAccount()}/${REGION}`;
        const entry = { fingerprint: 'abc', expiresAt: T0 + 600_000 };
        assert.equal(await store.claimToken(scope, 'tok', entry, T0), undefined);
        assert.deepEqual(await store.claimToken(scope, 'tok', { fingerprint: 'other', expiresAt: T0 + 700_000 }, T0 + 1), entry);
        assert.equal(await store.claimToken(`${scope}x`, 'tok', entry, T0), undefined);
        const renewed = { fingerprint: 'def', expiresAt: T0 + 1_300_000 };
        assert.equal(await store.claimToken(scope, 'tok', renewed, T0 + 600_000), undefined);
        assert.deepEqual(await store.claimToken(scope, 'tok', entry, T0 + 600_001), renewed);
      });
    });

    describe('administration', () => {
      it('resets one account, leaving the others', async () => {
        const { record: mine } = await created({ stream: 'KEYS_ONLY' });
        const { record: theirs } = await created({ stream: 'KEYS_ONLY' });
        await put(mine, { pk: S('a') });
        await put(theirs, { pk: S('b') });
        await store.reset(mine.account);
        assert.deepEqual(await store.listTables(mine.account, REGION), []);
        assert.deepEqual(await store.listStreams(mine.account, REGION, T0), []);
        assert.equal(await store.getStream(mine.stream!.arn, T0), undefined);
        assert.deepEqual(await store.getItem(theirs, { pk: S('b') }), { pk: S('b') });
        assert.equal((await store.listStreams(theirs.account, REGION, T0)).length, 1);
        // The name is free again.
        assert.equal(await store.createTable({ ...mine, id: randomUUID() }), true);
        assert.equal(await store.getItem(mine, { pk: S('a') }), undefined);
      });

      it('dumps tables with their first items, and streams', async () => {
        const { record } = await created({ stream: 'KEYS_ONLY', range: ['sk', 'N'] });
        await put(record, { pk: S('a'), sk: N(1) });
        const dump = await store.dump(T0);
        const table = dump.tables.find((t) => (t as { arn: string; account: string }).account === record.account) as Record<string, unknown>;
        assert.equal(table.name, record.name);
        assert.equal(table.itemCount, 1);
        assert.deepEqual(table.items, [{ pk: S('a'), sk: N(1) }]);
        assert.ok(dump.streams.some((s) => (s as { arn: string }).arn === record.stream!.arn));
      });
    });
  });
}
