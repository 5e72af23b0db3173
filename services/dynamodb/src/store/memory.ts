import { join } from 'node:path';
import { AwsError } from '@stratus/shared';
import type { SortKeyCondition } from '../expressions/key-condition.js';
import { bucketOf, hashPrefix, keyComponent } from '../keys.js';
import {
  keyOf,
  STREAM_RETENTION_MS,
  type KeyDef,
  tableKey,
  type StreamRecord,
  type TableId,
  type TableRecord,
} from '../model.js';
import { PAGE_LIMIT_BYTES } from '../page-size.js';
import { compareStrings } from '../values/compare.js';
import type { AttributeValue, Item } from '../values/attribute-value.js';
import { Journal } from '@stratus/shared/journal';
import {
  MemoryState,
  type IndexEntry,
  type IndexState,
  type Mutation,
  type Slot,
  type StreamState,
  type TableState,
} from './memory-state.js';
import type { SortedList } from './sorted-list.js';
import {
  TableMissingError,
  type DynamoDbDump,
  type DynamoStore,
  type IdempotentEntry,
  type PageRequest,
  type PageResult,
  type RecordsRead,
  type StreamSummary,
  type TableStats,
  type TransactFailure,
  type TransactOp,
  type TransactOutcome,
  type WriteOp,
  type WriteOutcome,
} from './types.js';
import { decideWrite, dumpedStream, sealStreamRecord, streamRecordOf } from './write-rules.js';

/** Compact the journal into a snapshot once it grows past this. */
const COMPACT_AFTER_BYTES = 64 * 1024 * 1024;

/**
 * The DynamoStore of one process: state in memory, and when given a data directory, every change
 * journaled before the method returns. Methods decide what changes (conditions, updates) from the
 * state, then apply Mutation records through MemoryState.apply, which also replays the journal at start.
 */
export class MemoryStore implements DynamoStore {
  private state = new MemoryState();
  private pending: Mutation[] = [];
  private readonly listeners: ((arn: string, record: StreamRecord) => void)[] = [];
  private committed: [string, StreamRecord][] = [];

  private constructor(private readonly journal?: Journal) {}

  /** A memory store, durable in `<dataDir>/dynamodb/` when dataDir is given. */
  static open(dataDir?: string): MemoryStore {
    if (!dataDir) return new MemoryStore();
    const { journal, records } = Journal.open(join(dataDir, 'dynamodb'), 'state');
    const store = new MemoryStore(journal);
    for (const r of records) store.state.apply(r as Mutation);
    return store;
  }

  // ---- tables ----

  async createTable(record: TableRecord): Promise<boolean> {
    if (this.state.tables.has(tableKey(record))) return false;
    this.commit({ t: 'table', r: record });
    this.flush();
    return true;
  }

  async getTable(id: TableId): Promise<TableRecord | undefined> {
    return this.state.tables.get(tableKey(id))?.record;
  }

  async replaceTable(record: TableRecord): Promise<void> {
    const table = this.require(record);
    if (table.record.id !== record.id) throw new TableMissingError(record.name);
    this.commit({ t: 'table', r: record });
    this.flush();
  }

  async deleteTable(id: TableId, now: number): Promise<TableRecord | undefined> {
    const key = tableKey(id);
    const table = this.state.tables.get(key);
    if (!table) return undefined;
    this.commit({ t: 'drop', k: key, at: now });
    this.flush();
    return table.record;
  }

  async listTables(account: string, region: string): Promise<string[]> {
    const names: string[] = [];
    for (const table of this.state.tables.values()) {
      if (table.record.account === account && table.record.region === region) names.push(table.record.name);
    }
    return names.sort();
  }

  async tableStats(id: TableId): Promise<TableStats> {
    const table = this.require(id);
    const indexes: TableStats['indexes'] = {};
    for (const index of table.indexes) indexes[index.model.name] = { itemCount: index.list.size, sizeBytes: index.bytes };
    return { itemCount: table.items.size, sizeBytes: table.bytes, indexes };
  }

  // ---- items ----

  async getItem(id: TableId, key: Item): Promise<Item | undefined> {
    return this.require(id).get(key)?.item;
  }

  async write(id: TableId, op: WriteOp, now: number): Promise<WriteOutcome> {
    const table = this.require(id);
    const outcome = decide(table, op);
    if (outcome.ok) {
      this.applyWrite(table, op, outcome, now);
      this.flush();
    }
    return outcome;
  }

  async transactWrite(ops: readonly TransactOp[], now: number): Promise<TransactOutcome> {
    const tables = ops.map((op) => this.require(op.table));
    const outcomes: WriteOutcome[] = [];
    const failures: (TransactFailure | undefined)[] = [];
    let failed = false;
    ops.forEach((op, i) => {
      try {
        const outcome = decide(tables[i], op.op);
        outcomes.push(outcome);
        if (outcome.ok) failures.push(undefined);
        else {
          failures.push({ code: 'ConditionalCheckFailed', old: outcome.old });
          failed = true;
        }
      } catch (e) {
        if (!(e instanceof AwsError) || e.code !== 'ValidationException') throw e;
        outcomes.push({ ok: false });
        failures.push({ code: 'ValidationError', message: e.message });
        failed = true;
      }
    });
    if (failed) return { ok: false, failures };
    ops.forEach((op, i) => this.applyWrite(tables[i], op.op, outcomes[i], now));
    this.flush();
    return { ok: true, outcomes };
  }

  async readPage(id: TableId, request: PageRequest): Promise<PageResult> {
    const table = this.require(id);
    if (request.index === undefined) return readRows(tableRows(table), request, table.model.hash, table.model.range);
    const index = table.indexes.find((candidate) => candidate.model.name === request.index);
    if (!index) return { items: [], truncated: false };
    return readRows(indexRows(table, index), request, index.model.hash, index.model.range);
  }

  // ---- idempotency ----

  async claimToken(scope: string, token: string, entry: IdempotentEntry, now: number): Promise<IdempotentEntry | undefined> {
    const key = `${scope}\u0000${token}`;
    const existing = this.state.tokens.get(key);
    if (existing && existing.expiresAt > now) return existing;
    if (this.state.tokens.size > 10_000) {
      for (const [k, e] of this.state.tokens) if (e.expiresAt <= now) this.state.tokens.delete(k);
    }
    this.commit({ t: 'token', k: key, e: entry });
    this.flush();
    return undefined;
  }

  // ---- time to live ----

  async expireItems(now: number): Promise<number> {
    let expired = 0;
    for (const table of [...this.state.tables.values()]) {
      if (table.model.ttlAttribute === undefined || table.ttlQueue.length === 0) continue;
      for (const slot of table.dueForExpiry(now)) {
        const old = slot.item;
        this.commit({ t: 'del', k: table.key, key: keyOf(table.model, old) });
        this.streamRecord(table, old, undefined, now, true);
        expired++;
      }
    }
    if (expired > 0) this.flush();
    return expired;
  }

  // ---- streams ----

  async listStreams(account: string, region: string, now: number): Promise<StreamSummary[]> {
    const out: StreamSummary[] = [];
    for (const stream of [...this.state.streams.values()]) {
      if (stream.closedAt !== undefined && stream.closedAt + STREAM_RETENTION_MS < now) {
        this.state.streams.delete(stream.arn);
        continue;
      }
      if (stream.account === account && stream.region === region) out.push(summary(stream, now, this.state.lastOrdinal + 1n));
    }
    return out;
  }

  async getStream(arn: string, now: number): Promise<StreamSummary | undefined> {
    const stream = this.state.streams.get(arn);
    return stream ? summary(stream, now, this.state.lastOrdinal + 1n) : undefined;
  }

  async readStream(arn: string, from: bigint, limit: number, now: number): Promise<RecordsRead> {
    const stream = this.state.streams.get(arn);
    if (!stream) return { records: [], next: from };
    stream.trim(now - STREAM_RETENTION_MS);
    const ordinals = stream.ordinals;
    let lo = 0;
    let hi = ordinals.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (ordinals[mid] < from) lo = mid + 1;
      else hi = mid;
    }
    const records = stream.records.slice(lo, lo + limit);
    const next = records.length > 0 ? ordinals[lo + records.length - 1] + 1n : from;
    return { records, next };
  }

  onStreamRecord(listener: (streamArn: string, record: StreamRecord) => void): void {
    this.listeners.push(listener);
  }

  // ---- admin ----

  async reset(account?: string): Promise<void> {
    if (account === undefined) {
      this.state = new MemoryState();
    } else {
      for (const [key, table] of this.state.tables) if (table.record.account === account) this.state.tables.delete(key);
      for (const [arn, stream] of this.state.streams) if (stream.account === account) this.state.streams.delete(arn);
    }
    this.journal?.compact(this.snapshot());
  }

  async dump(now: number): Promise<DynamoDbDump> {
    const tables = [...this.state.tables.values()].map((table) => ({
      account: table.record.account,
      region: table.record.region,
      name: table.record.name,
      arn: table.record.arn,
      keySchema: table.record.keySchema,
      itemCount: table.items.size,
      sizeBytes: table.bytes,
      indexes: table.indexes.map((index) => ({ name: index.model.name, itemCount: index.list.size })),
      stream: table.record.stream,
      ttl: table.record.ttl,
      items: [...table.order].slice(0, 100).map((slot) => slot.item),
    }));
    const streams = [...this.state.streams.values()].map((stream) => dumpedStream(summary(stream, now, this.state.lastOrdinal + 1n)));
    return { tables, streams };
  }

  async close(): Promise<void> {
    this.journal?.close();
  }

  // ---- internals ----

  private require(id: TableId): TableState {
    const table = this.state.tables.get(tableKey(id));
    if (!table) throw new TableMissingError(id.name);
    return table;
  }

  private commit(m: Mutation): void {
    this.state.apply(m);
    if (this.journal) this.pending.push(m);
  }

  /** Journals what the step changed, then tells listeners of its stream records. */
  private flush(): void {
    if (this.journal && this.pending.length > 0) {
      this.journal.append(this.pending);
      this.pending = [];
      if (this.journal.size > COMPACT_AFTER_BYTES) this.journal.compact(this.snapshot());
    }
    if (this.committed.length > 0) {
      const committed = this.committed;
      this.committed = [];
      for (const [arn, record] of committed) for (const listener of this.listeners) listener(arn, record);
    }
  }

  private applyWrite(table: TableState, op: WriteOp, outcome: WriteOutcome, now: number): void {
    if (op.kind === 'check') return;
    if (outcome.new !== undefined) this.commit({ t: 'put', k: table.key, i: outcome.new });
    else if (outcome.old !== undefined) this.commit({ t: 'del', k: table.key, key: keyOf(table.model, outcome.old) });
    this.streamRecord(table, outcome.old, outcome.new, now, false);
  }

  /** Appends the stream record of a change, when the table has a stream and the item changed. */
  private streamRecord(table: TableState, old: Item | undefined, next: Item | undefined, now: number, byTtl: boolean): void {
    const template = streamRecordOf(table.model, old, next, now, byTtl);
    if (template === undefined) return;
    const arn = table.record.stream!.arn;
    const record = sealStreamRecord(template, arn, this.state.lastOrdinal + 1n);
    this.commit({ t: 'rec', a: arn, r: record });
    if (this.listeners.length > 0) this.committed.push([arn, record]);
  }

  /** The whole state as mutations, for journal compaction. */
  private *snapshot(): Generator<Mutation> {
    yield { t: 'seq', n: String(this.state.lastOrdinal) };
    for (const stream of this.state.streams.values()) yield { t: 'stream', s: stream.meta() };
    for (const table of this.state.tables.values()) {
      yield { t: 'table', r: table.record };
      for (const slot of table.order) yield { t: 'put', k: table.key, i: slot.item };
    }
    for (const stream of this.state.streams.values()) for (const record of stream.records) yield { t: 'rec', a: stream.arn, r: record };
    for (const [k, e] of this.state.tokens) yield { t: 'token', k, e };
  }
}

/** Evaluates a write's condition and computes the item it leaves (throws the update's ValidationException). */
function decide(table: TableState, op: WriteOp): WriteOutcome {
  return decideWrite(table.model, op, table.get(op.kind === 'put' ? op.item : op.key)?.item);
}

function summary(stream: StreamState, now: number, nextOrdinal: bigint): StreamSummary {
  stream.trim(now - STREAM_RETENTION_MS);
  const records = stream.records;
  return {
    arn: stream.arn,
    label: stream.label,
    tableName: stream.tableName,
    account: stream.account,
    region: stream.region,
    viewType: stream.viewType,
    enabled: stream.closedAt === undefined,
    createdAt: stream.createdAt,
    keySchema: stream.keySchema,
    shardId: stream.shardId,
    startOrdinal: stream.startOrdinal,
    nextOrdinal,
    firstSequence: records.length > 0 ? records[0].dynamodb.SequenceNumber : undefined,
    lastSequence: records.length > 0 ? records[records.length - 1].dynamodb.SequenceNumber : undefined,
    closedAt: stream.closedAt,
  };
}

// ---- reading pages ----

/** What page reading needs of a table's slots or an index's entries. */
interface Rows<R> {
  list: SortedList<R>;
  prefix(row: R): number;
  hk(row: R): string;
  rk(row: R): string;
  item(row: R): Item;
  page(row: R): number;
  /** Orders rows against the row an ExclusiveStartKey names. */
  startComparator(start: Item): (row: R) => number;
}

function tableRows(table: TableState): Rows<Slot> {
  const model = table.model;
  return {
    list: table.order,
    prefix: (s) => s.prefix,
    hk: (s) => s.hk,
    rk: (s) => s.rk,
    item: (s) => s.item,
    page: (s) => s.page,
    startComparator: (start) => {
      const hashValue = start[model.hash.name];
      const prefix = hashPrefix(hashValue, model.hash.type);
      const hk = keyComponent(hashValue, model.hash.type);
      const rk = model.range ? keyComponent(start[model.range.name], model.range.type) : '';
      return (s) => s.prefix - prefix || compareStrings(s.hk, hk) || compareStrings(s.rk, rk);
    },
  };
}

function indexRows(table: TableState, index: IndexState): Rows<IndexEntry> {
  return {
    list: index.list,
    prefix: (e) => e.iprefix,
    hk: (e) => e.ihk,
    rk: (e) => e.irk,
    item: (e) => e.slot.item,
    page: (e) => e.page,
    startComparator: (start) => indexStartComparator(table, index, start),
  };
}

/** The start-key comparison of index entries needs the table model too. */
function indexStartComparator(table: TableState, index: IndexState, start: Item): (entry: IndexEntry) => number {
  const model = table.model;
  const im = index.model;
  const hashValue = start[model.hash.name];
  const prefix = hashPrefix(hashValue, model.hash.type);
  const hk = keyComponent(hashValue, model.hash.type);
  const rk = model.range ? keyComponent(start[model.range.name], model.range.type) : '';
  const tprefix = hashPrefix(hashValue, model.hash.type, model.range ? start[model.range.name] : undefined, model.range?.type);
  const ihashValue = start[im.hash.name];
  const iprefix = im.global ? hashPrefix(ihashValue, im.hash.type) : prefix;
  const ihk = im.global ? keyComponent(ihashValue, im.hash.type) : hk;
  const irk = im.range ? keyComponent(start[im.range.name], im.range.type) : '';
  return (e) =>
    e.iprefix - iprefix ||
    compareStrings(e.ihk, ihk) ||
    compareStrings(e.irk, irk) ||
    e.slot.tprefix - tprefix ||
    e.slot.prefix - prefix ||
    compareStrings(e.slot.hk, hk) ||
    compareStrings(e.slot.rk, rk);
}

/** The sort key bounds of a key condition, on key component strings. */
function sortBounds(condition: SortKeyCondition | undefined, type: 'S' | 'N' | 'B'): { above: (rk: string) => boolean; below: (rk: string) => boolean } {
  const all = { above: () => true, below: () => true };
  if (!condition) return all;
  const value = (i: number) => keyComponent(condition.values[i] as AttributeValue, type);
  switch (condition.operator) {
    case 'EQ': {
      const v = value(0);
      return { above: (rk) => compareStrings(rk, v) >= 0, below: (rk) => compareStrings(rk, v) <= 0 };
    }
    case 'LT': {
      const v = value(0);
      return { above: () => true, below: (rk) => compareStrings(rk, v) < 0 };
    }
    case 'LE': {
      const v = value(0);
      return { above: () => true, below: (rk) => compareStrings(rk, v) <= 0 };
    }
    case 'GT': {
      const v = value(0);
      return { above: (rk) => compareStrings(rk, v) > 0, below: () => true };
    }
    case 'GE': {
      const v = value(0);
      return { above: (rk) => compareStrings(rk, v) >= 0, below: () => true };
    }
    case 'BETWEEN': {
      const lo = value(0);
      const hi = value(1);
      return { above: (rk) => compareStrings(rk, lo) >= 0, below: (rk) => compareStrings(rk, hi) <= 0 };
    }
    case 'BEGINS_WITH': {
      const p = value(0);
      return { above: (rk) => compareStrings(rk, p) >= 0, below: (rk) => rk.startsWith(p) || compareStrings(rk, p) < 0 };
    }
  }
}

function readRows<R>(rows: Rows<R>, request: PageRequest, keyDef: KeyDef, rangeDef: KeyDef | undefined): PageResult {
  const list = rows.list;
  const startCompare = request.exclusiveStart === undefined ? undefined : rows.startComparator(request.exclusiveStart);
  let candidates: Iterable<R>;
  let keep: (row: R) => boolean;

  if (request.partition !== undefined) {
    const prefix = hashPrefix(request.partition, keyDef.type);
    const hk = keyComponent(request.partition, keyDef.type);
    const partition = (row: R) => rows.prefix(row) - prefix || compareStrings(rows.hk(row), hk);
    const bounds = sortBounds(request.sort, rangeDef?.type ?? 'S');
    if (request.forward) {
      const start = startCompare
        ? list.lowerBound((row) => (startCompare(row) <= 0 ? -1 : 0))
        : list.lowerBound((row) => partition(row) || (bounds.above(rows.rk(row)) ? 0 : -1));
      candidates = list.forward(start);
      keep = (row) => partition(row) === 0 && bounds.below(rows.rk(row));
    } else {
      const end = startCompare
        ? list.lowerBound((row) => (startCompare(row) < 0 ? -1 : 0))
        : list.lowerBound((row) => partition(row) || (bounds.below(rows.rk(row)) ? -1 : 0));
      candidates = list.backward(end);
      keep = (row) => partition(row) === 0 && bounds.above(rows.rk(row));
    }
  } else {
    const buckets = request.buckets;
    const start = startCompare
      ? list.lowerBound((row) => (startCompare(row) <= 0 ? -1 : 0))
      : buckets
        ? list.lowerBound((row) => (bucketOf(rows.prefix(row)) < buckets.first ? -1 : 0))
        : list.start();
    candidates = list.forward(start);
    keep = buckets ? (row) => bucketOf(rows.prefix(row)) <= buckets.last : () => true;
  }

  const items: Item[] = [];
  const limit = request.limit;
  let size = 0;
  for (const row of candidates) {
    if (!keep(row)) break;
    if ((limit !== undefined && items.length >= limit) || size >= PAGE_LIMIT_BYTES) break;
    items.push(rows.item(row));
    size += rows.page(row);
  }
  const truncated = (limit !== undefined && items.length >= limit) || size >= PAGE_LIMIT_BYTES;
  return { items, truncated };
}
