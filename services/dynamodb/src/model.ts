import type { AttributeMap, AttributeValue, Item, ScalarType } from './values/attribute-value.js';
import type { IndexKeyAttribute } from './expressions/key-attributes.js';
import type { KeyAttribute } from './expressions/key-condition.js';

/**
 * The DynamoDB domain: tables as stored (TableRecord, plain JSON so a store can keep it anywhere),
 * the compiled view operations use (TableModel: key attributes, indexes, projections), and stream
 * records. Instants are epoch milliseconds from the shared clock.
 */

export type KeyType = 'HASH' | 'RANGE';
export type ProjectionType = 'ALL' | 'KEYS_ONLY' | 'INCLUDE';
export type BillingMode = 'PROVISIONED' | 'PAY_PER_REQUEST';
export type StreamViewType = 'KEYS_ONLY' | 'NEW_IMAGE' | 'OLD_IMAGE' | 'NEW_AND_OLD_IMAGES';
export type TableStatus = 'CREATING' | 'UPDATING' | 'DELETING' | 'ACTIVE';

export interface KeySchemaElement {
  AttributeName: string;
  KeyType: KeyType;
}

export interface AttributeDefinition {
  AttributeName: string;
  AttributeType: ScalarType;
}

export interface Projection {
  ProjectionType: ProjectionType;
  NonKeyAttributes?: string[];
}

export interface Throughput {
  ReadCapacityUnits: number;
  WriteCapacityUnits: number;
  /** Epoch ms. */
  LastIncreaseDateTime?: number;
  LastDecreaseDateTime?: number;
  NumberOfDecreasesToday: number;
}

export interface OnDemandThroughput {
  MaxReadRequestUnits?: number;
  MaxWriteRequestUnits?: number;
}

export interface IndexRecord {
  IndexName: string;
  KeySchema: KeySchemaElement[];
  Projection: Projection;
  /** Global indexes only. */
  ProvisionedThroughput?: Throughput;
  OnDemandThroughput?: OnDemandThroughput;
  /** Global indexes added by UpdateTable: when, for the response's CREATING status. */
  createdAt?: number;
}

export interface StreamInfo {
  arn: string;
  /** The ISO-8601 time of the stream's creation, without zone: 2024-11-18T14:36:44.149 */
  label: string;
  viewType: StreamViewType;
  enabled: boolean;
  createdAt: number;
  /** When the stream was disabled: its shard closed then. */
  disabledAt?: number;
}

export interface SseInfo {
  enabled: boolean;
  sseType?: 'AES256' | 'KMS';
  kmsMasterKeyArn?: string;
}

export interface TableRecord {
  account: string;
  region: string;
  name: string;
  arn: string;
  id: string;
  createdAt: number;
  attributeDefinitions: AttributeDefinition[];
  keySchema: KeySchemaElement[];
  billingMode: BillingMode;
  /** When the table last switched to PAY_PER_REQUEST (LastUpdateToPayPerRequestDateTime). */
  payPerRequestSince?: number;
  throughput: Throughput;
  onDemandThroughput?: OnDemandThroughput;
  localIndexes: IndexRecord[];
  globalIndexes: IndexRecord[];
  /** The latest stream (enabled, or disabled but still readable). */
  stream?: StreamInfo;
  ttl?: { attributeName: string; enabled: boolean };
  sse?: SseInfo;
  deletionProtection: boolean;
  tableClass?: string;
  tags: { Key: string; Value: string }[];
  pointInTimeRecovery?: { enabled: boolean; recoveryPeriodInDays: number; enabledAt: number };
  resourcePolicy?: string;
}

/** Where a table lives: every resource is keyed by account and region. */
export interface TableId {
  account: string;
  region: string;
  name: string;
}

export function tableKey(id: TableId): string {
  return `${id.account}/${id.region}/${id.name}`;
}

export function tableArn(account: string, region: string, name: string): string {
  return `arn:aws:dynamodb:${region}:${account}:table/${name}`;
}

/** A key attribute with its type (from AttributeDefinitions). */
export interface KeyDef {
  name: string;
  type: ScalarType;
}

export interface IndexModel {
  name: string;
  global: boolean;
  hash: KeyDef;
  range?: KeyDef;
  projection: ProjectionType;
  /** INCLUDE: the non-key attributes projected. */
  include?: ReadonlySet<string>;
  /** The attributes an entry holds when not ALL: index keys, table keys, included attributes. */
  projected?: readonly string[];
  /** Key attributes of this index and of the table: what a LastEvaluatedKey holds. */
  startKeyNames: readonly string[];
  record: IndexRecord;
}

/** A table compiled for operations: key attributes, indexes in AWS's visiting order. */
export interface TableModel {
  record: TableRecord;
  hash: KeyDef;
  range?: KeyDef;
  keys: readonly KeyAttribute[];
  /** Global indexes (in definition order) then local ones. */
  indexes: readonly IndexModel[];
  /** Every key attribute of each GSI, then each LSI's sort key: what expressions are checked against. */
  indexKeys: readonly IndexKeyAttribute[];
  /** Index key attributes that are not table keys, with the type items must give them. */
  indexKeyTypes: ReadonlyMap<string, { type: ScalarType; index: string }[]>;
  streamViewType?: StreamViewType;
  ttlAttribute?: string;
}

function keyDef(record: TableRecord, element: KeySchemaElement | undefined): KeyDef | undefined {
  if (!element) return undefined;
  const definition = record.attributeDefinitions.find((d) => d.AttributeName === element.AttributeName);
  return { name: element.AttributeName, type: (definition?.AttributeType ?? 'S') as ScalarType };
}

export function compileTable(record: TableRecord): TableModel {
  const hash = keyDef(record, record.keySchema[0])!;
  const range = keyDef(record, record.keySchema[1]);
  const tableKeyNames = range ? [hash.name, range.name] : [hash.name];
  const indexes: IndexModel[] = [];
  const compile = (index: IndexRecord, global: boolean) => {
    const ih = keyDef(record, index.KeySchema[0])!;
    const ir = keyDef(record, index.KeySchema[1]);
    const type = index.Projection.ProjectionType;
    const startKeyNames = [...tableKeyNames];
    for (const k of [ih, ir]) if (k && !startKeyNames.includes(k.name)) startKeyNames.push(k.name);
    const model: IndexModel = { name: index.IndexName, global, hash: ih, range: ir, projection: type, startKeyNames, record: index };
    if (type !== 'ALL') {
      const include = type === 'INCLUDE' ? (index.Projection.NonKeyAttributes ?? []) : [];
      model.include = new Set(include);
      model.projected = [...new Set([...startKeyNames, ...include])];
    }
    indexes.push(model);
  };
  for (const index of record.globalIndexes) compile(index, true);
  for (const index of record.localIndexes) compile(index, false);

  const indexKeys: IndexKeyAttribute[] = [];
  for (const index of indexes) {
    if (index.global) {
      indexKeys.push({ indexName: index.name, name: index.hash.name, type: index.hash.type });
      if (index.range) indexKeys.push({ indexName: index.name, name: index.range.name, type: index.range.type });
    }
  }
  for (const index of indexes) {
    if (!index.global && index.range) indexKeys.push({ indexName: index.name, name: index.range.name, type: index.range.type });
  }
  const indexKeyTypes = new Map<string, { type: ScalarType; index: string }[]>();
  for (const key of indexKeys) {
    if (tableKeyNames.includes(key.name)) continue;
    const list = indexKeyTypes.get(key.name) ?? [];
    list.push({ type: key.type, index: key.indexName });
    indexKeyTypes.set(key.name, list);
  }
  return {
    record,
    hash,
    range,
    keys: range ? [hash, range] : [hash],
    indexes,
    indexKeys,
    indexKeyTypes,
    streamViewType: record.stream?.enabled ? record.stream.viewType : undefined,
    ttlAttribute: record.ttl?.enabled ? record.ttl.attributeName : undefined,
  };
}

export function findIndex(model: TableModel, name: string): IndexModel | undefined {
  return model.indexes.find((index) => index.name === name);
}

/** The key attributes of an item (the item must have them). */
export function keyOf(model: TableModel, item: AttributeMap): Item {
  const key: Item = { [model.hash.name]: item[model.hash.name] };
  if (model.range) key[model.range.name] = item[model.range.name];
  return key;
}

/** What an index holds of an item: all of it, or its projected attributes. */
export function projectForIndex(index: IndexModel, item: Item): Item {
  if (!index.projected) return item;
  const out: Item = {};
  for (const name of index.projected) {
    const value = Object.prototype.hasOwnProperty.call(item, name) ? item[name] : undefined;
    if (value !== undefined) out[name] = value;
  }
  return out;
}

// ---- streams ----

export type StreamEventName = 'INSERT' | 'MODIFY' | 'REMOVE';

/** A stream record as GetRecords returns it (ApproximateCreationDateTime in epoch ms). */
export interface StreamRecord {
  eventID: string;
  eventName: StreamEventName;
  eventVersion: '1.1';
  eventSource: 'aws:dynamodb';
  awsRegion: string;
  dynamodb: {
    ApproximateCreationDateTime: number;
    Keys: Item;
    NewImage?: Item;
    OldImage?: Item;
    SequenceNumber: string;
    SizeBytes: number;
    StreamViewType: StreamViewType;
  };
  userIdentity?: { PrincipalId: string; Type: string };
}

/** Who deletes expired items: the stream's userIdentity of TTL deletions. */
export const TTL_PRINCIPAL = { PrincipalId: 'dynamodb.amazonaws.com', Type: 'Service' } as const;

/** Stream records are kept 24 hours. */
export const STREAM_RETENTION_MS = 24 * 60 * 60 * 1000;

/** The label of a stream created at `now`: ISO-8601 without the zone. */
export function streamLabel(now: number): string {
  return new Date(now).toISOString().slice(0, -1);
}

export function streamArn(tableArnValue: string, label: string): string {
  return `${tableArnValue}/stream/${label}`;
}

export type { AttributeValue };
