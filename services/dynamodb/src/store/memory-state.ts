import { createHash } from 'node:crypto';
import { compareStrings } from '../values/compare.js';
import { getAttribute, type AttributeMap, type Item } from '../values/attribute-value.js';
import { itemSize } from '../values/size.js';
import { hashPrefix, keyComponent } from '../keys.js';
import { compileTable, projectForIndex, tableKey, type IndexModel, type StreamRecord, type StreamViewType, type TableModel, type TableRecord } from '../model.js';
import { pageSize } from '../page-size.js';
import { SortedList } from './sorted-list.js';
import type { IdempotentEntry } from './types.js';

/**
 * The in-memory state of every table, its indexes and streams, and the one path that changes it:
 * `apply(mutation)`. Live writes decide what changes (conditions, updates) and then apply mutations;
 * a restart replays the journal's mutations through the same `apply`.
 */

export type Mutation =
  /** A table created or its record replaced (indexes, stream, TTL follow the record). */
  | { t: 'table'; r: TableRecord }
  /** A table deleted at `at`. */
  | { t: 'drop'; k: string; at: number }
  | { t: 'put'; k: string; i: Item }
  | { t: 'del'; k: string; key: Item }
  /** A stream record appended. */
  | { t: 'rec'; a: string; r: StreamRecord }
  /** A stream's metadata (journal compaction keeps streams whose table is gone). */
  | { t: 'stream'; s: StreamMeta }
  | { t: 'token'; k: string; e: IdempotentEntry }
  /** The last sequence ordinal handed out (journal compaction keeps it when no record does). */
  | { t: 'seq'; n: string };

/** An item in its table: its key strings, placement hash and sizes, kept with it. */
export interface Slot {
  readonly mapKey: string;
  readonly hk: string;
  readonly rk: string;
  readonly prefix: number;
  /** Placement hash of the whole primary key (index entry order among equal index keys); -1 until needed. */
  tprefix: number;
  item: Item;
  /** Item size (ItemCount / TableSizeBytes, capacity). */
  size: number;
  /** Size in the page measure. */
  page: number;
  /** Time to live, epoch ms, when the table has one and the item a numeric value. */
  ttl?: number;
  /** The slot's entry in each index (by index position), when it has one. */
  entries?: (IndexEntry | undefined)[];
}

export interface IndexEntry {
  readonly ihk: string;
  readonly irk: string;
  readonly iprefix: number;
  readonly slot: Slot;
  readonly size: number;
  readonly page: number;
}

export function compareSlots(a: Slot, b: Slot): number {
  return a.prefix - b.prefix || compareStrings(a.hk, b.hk) || compareStrings(a.rk, b.rk);
}

function primaryPrefix(slot: Slot, model: TableModel): number {
  if (slot.tprefix < 0) {
    const item = slot.item;
    (slot as { tprefix: number }).tprefix = hashPrefix(
      item[model.hash.name],
      model.hash.type,
      model.range ? item[model.range.name] : undefined,
      model.range?.type,
    );
  }
  return slot.tprefix;
}

export function compareEntries(a: IndexEntry, b: IndexEntry): number {
  return (
    a.iprefix - b.iprefix ||
    compareStrings(a.ihk, b.ihk) ||
    compareStrings(a.irk, b.irk) ||
    a.slot.tprefix - b.slot.tprefix ||
    compareSlots(a.slot, b.slot)
  );
}

/** The map key of a primary key's strings. */
export function mapKeyOf(hk: string, rk: string): string {
  return rk === '' ? hk : `${hk.length}:${hk}${rk}`;
}

export class IndexState {
  readonly list = new SortedList<IndexEntry>(compareEntries);
  bytes = 0;
  constructor(
    public model: IndexModel,
    public position: number,
  ) {}
}

const TTL_LOOKBACK_MS = 5 * 365 * 24 * 60 * 60 * 1000;

export class TableState {
  readonly key: string;
  model: TableModel;
  readonly items = new Map<string, Slot>();
  readonly order = new SortedList<Slot>(compareSlots);
  indexes: IndexState[] = [];
  bytes = 0;
  /** Pending expiries: [epoch ms, map key], smallest first. */
  ttlQueue: [number, string][] = [];

  constructor(public record: TableRecord) {
    this.key = tableKey(record);
    this.model = compileTable(record);
    this.indexes = this.model.indexes.map((index, i) => new IndexState(index, i));
  }

  get sortKey(): string | undefined {
    return this.model.range?.name;
  }

  slotKey(key: AttributeMap): { hk: string; rk: string; mapKey: string } {
    const model = this.model;
    const hk = keyComponent(key[model.hash.name], model.hash.type);
    const rk = model.range ? keyComponent(key[model.range.name], model.range.type) : '';
    return { hk, rk, mapKey: mapKeyOf(hk, rk) };
  }

  get(key: AttributeMap): Slot | undefined {
    return this.items.get(this.slotKey(key).mapKey);
  }

  put(item: Item): void {
    const model = this.model;
    const { hk, rk, mapKey } = this.slotKey(item);
    let slot = this.items.get(mapKey);
    const size = itemSize(item);
    if (slot === undefined) {
      slot = {
        mapKey,
        hk,
        rk,
        prefix: hashPrefix(item[model.hash.name], model.hash.type),
        tprefix: -1,
        item,
        size,
        page: pageSize(item, this.sortKey),
      };
      this.items.set(mapKey, slot);
      this.order.insert(slot);
    } else {
      this.bytes -= slot.size;
      slot.item = item;
      slot.size = size;
      slot.page = pageSize(item, this.sortKey);
    }
    this.bytes += size;
    for (const index of this.indexes) this.indexItem(index, slot);
    this.trackTtl(slot);
  }

  delete(key: AttributeMap): Slot | undefined {
    const slot = this.items.get(this.slotKey(key).mapKey);
    if (slot === undefined) return undefined;
    this.items.delete(slot.mapKey);
    this.order.delete(slot);
    this.bytes -= slot.size;
    if (slot.entries) {
      for (const index of this.indexes) {
        const entry = slot.entries[index.position];
        if (entry) {
          index.list.delete(entry);
          index.bytes -= entry.size;
        }
      }
    }
    return slot;
  }

  /** Puts the slot's entry into an index (or takes it out when the item lacks the index keys). */
  private indexItem(index: IndexState, slot: Slot): void {
    const model = index.model;
    const item = slot.item;
    const old = slot.entries?.[index.position];
    const hashValue = getAttribute(item, model.hash.name);
    const rangeValue = model.range ? getAttribute(item, model.range.name) : undefined;
    const indexed =
      hashValue !== undefined &&
      hashValue[model.hash.type] !== undefined &&
      (!model.range || (rangeValue !== undefined && rangeValue[model.range.type] !== undefined));
    if (old) {
      index.list.delete(old);
      index.bytes -= old.size;
      slot.entries![index.position] = undefined;
    }
    if (!indexed) return;
    primaryPrefix(slot, this.model);
    const ihk = model.global ? keyComponent(hashValue!, model.hash.type) : slot.hk;
    const projected = projectForIndex(model, item);
    const entry: IndexEntry = {
      ihk,
      irk: model.range ? keyComponent(rangeValue!, model.range.type) : '',
      iprefix: model.global ? (old && old.ihk === ihk ? old.iprefix : hashPrefix(hashValue!, model.hash.type)) : slot.prefix,
      slot,
      size: projected === item ? slot.size : itemSize(projected),
      page: projected === item ? slot.page : pageSize(projected, this.sortKey),
    };
    index.list.insert(entry);
    index.bytes += entry.size;
    (slot.entries ??= [])[index.position] = entry;
  }

  private trackTtl(slot: Slot): void {
    const attribute = this.model.ttlAttribute;
    if (attribute === undefined) {
      slot.ttl = undefined;
      return;
    }
    const value = getAttribute(slot.item, attribute);
    const seconds = value?.N !== undefined ? Number(value.N) : NaN;
    if (!Number.isFinite(seconds)) {
      slot.ttl = undefined;
      return;
    }
    const at = Math.floor(seconds * 1000);
    if (slot.ttl === at) return;
    slot.ttl = at;
    heapPush(this.ttlQueue, [at, slot.mapKey]);
  }

  /** Slots whose time to live has passed (taken off the queue; items more than 5 years past stay). */
  dueForExpiry(now: number): Slot[] {
    const due: Slot[] = [];
    const queue = this.ttlQueue;
    while (queue.length > 0 && queue[0][0] <= now) {
      const [at, mapKey] = heapPop(queue)!;
      const slot = this.items.get(mapKey);
      if (slot === undefined || slot.ttl !== at) continue;
      if (at < now - TTL_LOOKBACK_MS) continue;
      due.push(slot);
    }
    return due;
  }

  /** Adopts a new record: indexes added are backfilled, removed ones dropped; TTL follows the record. */
  replace(record: TableRecord): void {
    const before = this.model;
    this.record = record;
    this.model = compileTable(record);
    const kept = new Map(this.indexes.map((index) => [index.model.name, index]));
    const indexes: IndexState[] = [];
    const added: IndexState[] = [];
    this.model.indexes.forEach((model, position) => {
      const existing = kept.get(model.name);
      if (existing) {
        existing.model = model;
        existing.position = position;
        indexes.push(existing);
      } else {
        const index = new IndexState(model, position);
        indexes.push(index);
        added.push(index);
      }
    });
    const positionsChanged = indexes.length !== this.indexes.length || indexes.some((index, i) => this.indexes[i] !== index);
    this.indexes = indexes;
    if (positionsChanged) {
      for (const slot of this.items.values()) {
        if (!slot.entries) continue;
        const byName = new Map<string, IndexEntry>();
        before.indexes.forEach((model, i) => {
          const entry = slot.entries![i];
          if (entry) byName.set(model.name, entry);
        });
        slot.entries = indexes.map((index) => byName.get(index.model.name));
      }
    }
    for (const index of added) for (const slot of this.items.values()) this.indexItem(index, slot);
    if (before.ttlAttribute !== this.model.ttlAttribute) {
      this.ttlQueue = [];
      for (const slot of this.items.values()) {
        slot.ttl = undefined;
        this.trackTtl(slot);
      }
    }
  }
}

// ---- streams ----

export interface StreamMeta {
  arn: string;
  label: string;
  tableKey: string;
  tableName: string;
  account: string;
  region: string;
  viewType: StreamViewType;
  createdAt: number;
  keySchema: TableRecord['keySchema'];
  shardId: string;
  closedAt?: number;
  /** Ordinal of the first record the stream can hold (decimal string). */
  startOrdinal?: string;
}

export class StreamState {
  readonly records: StreamRecord[] = [];
  /** Ordinal (see sequenceNumber) of each record, parallel to `records`. */
  readonly ordinals: bigint[] = [];
  closedAt?: number;
  /** Ordinal of the first record the stream can hold: where TRIM_HORIZON starts before any record. */
  startOrdinal = 1n;

  constructor(
    readonly arn: string,
    readonly label: string,
    readonly tableKey: string,
    readonly tableName: string,
    readonly account: string,
    readonly region: string,
    readonly viewType: StreamViewType,
    readonly createdAt: number,
    readonly keySchema: TableRecord['keySchema'],
    readonly shardId: string,
  ) {}

  meta(): StreamMeta {
    const { arn, label, tableKey, tableName, account, region, viewType, createdAt, keySchema, shardId, closedAt } = this;
    return { arn, label, tableKey, tableName, account, region, viewType, createdAt, keySchema, shardId, closedAt, startOrdinal: String(this.startOrdinal) };
  }

  static fromMeta(m: StreamMeta): StreamState {
    const stream = new StreamState(m.arn, m.label, m.tableKey, m.tableName, m.account, m.region, m.viewType, m.createdAt, m.keySchema, m.shardId);
    stream.closedAt = m.closedAt;
    if (m.startOrdinal !== undefined) stream.startOrdinal = BigInt(m.startOrdinal);
    return stream;
  }

  /** Drops records older than the retention period. */
  trim(before: number): void {
    let drop = 0;
    while (drop < this.records.length && this.records[drop].dynamodb.ApproximateCreationDateTime < before) drop++;
    if (drop > 0) {
      this.records.splice(0, drop);
      this.ordinals.splice(0, drop);
    }
  }
}

const SEQUENCE_BASE = 10n ** 20n;

/** Stream sequence numbers: 21 decimal digits, increasing with every record of the process. */
export function sequenceNumber(ordinal: bigint): string {
  return (SEQUENCE_BASE + ordinal).toString();
}

export function sequenceOrdinal(text: string): bigint | undefined {
  if (!/^\d{1,40}$/.test(text)) return undefined;
  return BigInt(text) - SEQUENCE_BASE;
}

/** A stream's only shard, named from its creation time and ARN. */
export function shardIdOf(arn: string, createdAt: number): string {
  const hash = createHash('md5').update(arn).digest('hex').slice(0, 8);
  return `shardId-${String(createdAt).padStart(20, '0')}-${hash}`;
}

export class MemoryState {
  readonly tables = new Map<string, TableState>();
  readonly streams = new Map<string, StreamState>();
  readonly tokens = new Map<string, IdempotentEntry>();
  lastOrdinal = 0n;

  apply(m: Mutation): void {
    switch (m.t) {
      case 'table': {
        const key = tableKey(m.r);
        const existing = this.tables.get(key);
        if (existing && existing.record.id === m.r.id) existing.replace(m.r);
        else this.tables.set(key, new TableState(m.r));
        this.followStream(m.r);
        return;
      }
      case 'drop': {
        const table = this.tables.get(m.k);
        if (!table) return;
        this.tables.delete(m.k);
        const stream = table.record.stream && this.streams.get(table.record.stream.arn);
        if (stream && stream.closedAt === undefined) stream.closedAt = m.at;
        return;
      }
      case 'put':
        this.tables.get(m.k)?.put(m.i);
        return;
      case 'del':
        this.tables.get(m.k)?.delete(m.key);
        return;
      case 'rec': {
        const stream = this.streams.get(m.a);
        const ordinal = sequenceOrdinal(m.r.dynamodb.SequenceNumber) ?? this.lastOrdinal + 1n;
        if (ordinal > this.lastOrdinal) this.lastOrdinal = ordinal;
        if (!stream) return;
        stream.records.push(m.r);
        stream.ordinals.push(ordinal);
        return;
      }
      case 'token':
        this.tokens.set(m.k, m.e);
        return;
      case 'seq': {
        const n = BigInt(m.n);
        if (n > this.lastOrdinal) this.lastOrdinal = n;
        return;
      }
      case 'stream': {
        const existing = this.streams.get(m.s.arn);
        if (existing) existing.closedAt = m.s.closedAt;
        else this.streams.set(m.s.arn, StreamState.fromMeta(m.s));
        return;
      }
    }
  }

  private followStream(record: TableRecord): void {
    const info = record.stream;
    if (!info) return;
    let stream = this.streams.get(info.arn);
    if (!stream) {
      stream = new StreamState(
        info.arn,
        info.label,
        tableKey(record),
        record.name,
        record.account,
        record.region,
        info.viewType,
        info.createdAt,
        record.keySchema,
        shardIdOf(info.arn, info.createdAt),
      );
      stream.startOrdinal = this.lastOrdinal + 1n;
      this.streams.set(info.arn, stream);
    }
    if (!info.enabled && stream.closedAt === undefined) stream.closedAt = info.disabledAt ?? info.createdAt;
  }
}

// ---- a small binary heap of [instant, key] ----

function heapPush(heap: [number, string][], entry: [number, string]): void {
  heap.push(entry);
  let i = heap.length - 1;
  while (i > 0) {
    const parent = (i - 1) >> 1;
    if (heap[parent][0] <= entry[0]) break;
    heap[i] = heap[parent];
    i = parent;
  }
  heap[i] = entry;
}

function heapPop(heap: [number, string][]): [number, string] | undefined {
  const top = heap[0];
  const last = heap.pop();
  if (heap.length === 0 || last === undefined) return top;
  let i = 0;
  for (;;) {
    const left = 2 * i + 1;
    if (left >= heap.length) break;
    const right = left + 1;
    const child = right < heap.length && heap[right][0] < heap[left][0] ? right : left;
    if (heap[child][0] >= last[0]) break;
    heap[i] = heap[child];
    i = child;
  }
  heap[i] = last;
  return top;
}
