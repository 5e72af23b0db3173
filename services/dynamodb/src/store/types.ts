import type { Condition } from '../expressions/condition.js';
import type { SortKeyCondition } from '../expressions/key-condition.js';
import type { UpdatePlan } from '../expressions/update-plan.js';
import type { StreamRecord, StreamViewType, TableId, TableRecord } from '../model.js';
import type { AttributeValue, Item } from '../values/attribute-value.js';

/**
 * THE DynamoDB repository interface. Every method is one atomic step with DynamoDB's semantics inside
 * it: a conditional write reads the item, evaluates the condition and writes (or not) in one step, a
 * transaction checks every condition and then applies every write or none, and a write to a table
 * with a stream appends its stream record in the same step. A Redis backend implements each as one
 * script or MULTI/EXEC. Conditions and updates travel as data (the core's parsed forms), and the
 * store evaluates them with the core's pure functions (evaluateCondition, finishUpdate).
 *
 * Time is passed in (`now`, epoch ms from the shared clock); a store never reads a clock. A method
 * acting on a table throws TableMissingError when the table is gone (deleted since the caller looked
 * it up); the service turns that into ResourceNotFoundException.
 */

export class TableMissingError extends Error {
  constructor(readonly table: string) {
    super(`table ${table} does not exist`);
    this.name = 'TableMissingError';
  }
}

/** One write, as PutItem, UpdateItem, DeleteItem, BatchWriteItem and TransactWriteItems express them. */
export type WriteOp =
  | { kind: 'put'; item: Item; condition?: Condition }
  | { kind: 'update'; key: Item; plan: UpdatePlan; condition?: Condition }
  | { kind: 'delete'; key: Item; condition?: Condition }
  /** Transactions only: a condition on an item that is not written. */
  | { kind: 'check'; key: Item; condition: Condition };

export interface WriteOutcome {
  /** False when the condition did not hold: nothing was written. */
  ok: boolean;
  /** The item before the step (undefined: none). */
  old?: Item;
  /** The item after the step (undefined: none, or deleted). */
  new?: Item;
}

export interface TransactOp {
  table: TableId;
  op: WriteOp;
}

export type TransactOutcome =
  | { ok: true; outcomes: WriteOutcome[] }
  /** Per op in request order: undefined when it would have succeeded. */
  | { ok: false; failures: (TransactFailure | undefined)[] };

export type TransactFailure = { code: 'ConditionalCheckFailed'; old?: Item } | { code: 'ValidationError'; message: string };

/**
 * One page of a Query or Scan, read in key order. The store reads entries until `limit` are read or
 * the page reaches 1 MB (page-size.ts) and reports whether it stopped for either reason.
 */
export interface PageRequest {
  /** An index of the table; the table itself when absent. */
  index?: string;
  /** Query: the partition read, and the sort key condition. */
  partition?: AttributeValue;
  sort?: SortKeyCondition;
  /** Parallel Scan: the segment's hash buckets [first, last]. */
  buckets?: { first: number; last: number };
  /** Start after (before, going backwards) the entry of this key (table keys and index keys). */
  exclusiveStart?: Item;
  forward: boolean;
  limit?: number;
}

export interface PageResult {
  /** The full items read, in order. */
  items: Item[];
  /** True when the page stopped at its limit or at 1 MB: the last item's key is the LastEvaluatedKey. */
  truncated: boolean;
}

export interface TableStats {
  itemCount: number;
  sizeBytes: number;
  indexes: Record<string, { itemCount: number; sizeBytes: number }>;
}

/** A stream as DescribeStream and ListStreams see it. */
export interface StreamSummary {
  arn: string;
  label: string;
  tableName: string;
  account: string;
  region: string;
  viewType: StreamViewType;
  enabled: boolean;
  createdAt: number;
  keySchema: TableRecord['keySchema'];
  shardId: string;
  /** Ordinal where the shard starts (TRIM_HORIZON before any record is trimmed). */
  startOrdinal: bigint;
  /** The ordinal the next record of the whole store will get (LATEST). */
  nextOrdinal: bigint;
  /** Sequence numbers of the oldest and newest records kept (none when empty). */
  firstSequence?: string;
  lastSequence?: string;
  /** Set once the stream is disabled (or its table deleted): the shard is closed. */
  closedAt?: number;
}

export interface RecordsRead {
  records: StreamRecord[];
  /** The position after the last record returned. */
  next: bigint;
}

export interface IdempotentEntry {
  fingerprint: string;
  expiresAt: number;
}

export interface DynamoDbDump {
  tables: unknown[];
  streams: unknown[];
}

export interface DynamoStore {
  // ---- tables ----
  /** False when the table exists already. */
  createTable(record: TableRecord): Promise<boolean>;
  getTable(id: TableId): Promise<TableRecord | undefined>;
  /** Replaces a table's record (same table id); throws TableMissingError when it is gone. */
  replaceTable(record: TableRecord): Promise<void>;
  /** Deletes a table and its items; undefined when there was none. */
  deleteTable(id: TableId, now: number): Promise<TableRecord | undefined>;
  /** Table names of an account and region, sorted. */
  listTables(account: string, region: string): Promise<string[]>;
  tableStats(id: TableId): Promise<TableStats>;

  // ---- items ----
  getItem(id: TableId, key: Item): Promise<Item | undefined>;
  write(id: TableId, op: WriteOp, now: number): Promise<WriteOutcome>;
  /** All or nothing: every condition holds and every write happens, or nothing does. */
  transactWrite(ops: readonly TransactOp[], now: number): Promise<TransactOutcome>;
  readPage(id: TableId, request: PageRequest): Promise<PageResult>;

  // ---- idempotency of TransactWriteItems ----
  /**
   * Records a client token for a request fingerprint until `expiresAt`; returns the entry already
   * recorded (and still valid) for the token, if any.
   */
  claimToken(scope: string, token: string, entry: IdempotentEntry, now: number): Promise<IdempotentEntry | undefined>;

  // ---- time to live ----
  /** Deletes items whose time-to-live attribute has passed; returns how many. */
  expireItems(now: number): Promise<number>;

  // ---- streams ----
  listStreams(account: string, region: string, now: number): Promise<StreamSummary[]>;
  getStream(arn: string, now: number): Promise<StreamSummary | undefined>;
  /** Records of a stream from position `from` (a sequence number, inclusive), at most `limit`. */
  readStream(arn: string, from: bigint, limit: number, now: number): Promise<RecordsRead>;

  /** Hears every stream record as it is committed (for the bus). */
  onStreamRecord(listener: (streamArn: string, record: StreamRecord) => void): void;

  reset(account?: string): Promise<void>;
  dump(now: number): Promise<DynamoDbDump>;
  close(): Promise<void>;
}
