import type { IndexRecord, TableRecord, TableStatus, Throughput } from './model.js';
import type { TableStats } from './store/types.js';

/**
 * TableDescription as AWS returns it. The moment matters: CreateTable answers CREATING without the
 * settled fields (LastUpdateToPayPerRequestDateTime, WarmThroughput), DescribeTable answers ACTIVE
 * with them, UpdateTable UPDATING with the throughput as it was, DeleteTable DELETING with the
 * table's identity and counts only. Timestamps are epoch ms (the JSON encoder writes seconds).
 */

export type Moment = 'create' | 'describe' | 'update' | 'delete';

const ON_DEMAND_WARM = { ReadUnitsPerSecond: 12000, WriteUnitsPerSecond: 4000 };

function throughputDescription(t: Throughput | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (t?.LastIncreaseDateTime !== undefined) out.LastIncreaseDateTime = t.LastIncreaseDateTime;
  if (t?.LastDecreaseDateTime !== undefined) out.LastDecreaseDateTime = t.LastDecreaseDateTime;
  out.NumberOfDecreasesToday = t?.NumberOfDecreasesToday ?? 0;
  out.ReadCapacityUnits = t?.ReadCapacityUnits ?? 0;
  out.WriteCapacityUnits = t?.WriteCapacityUnits ?? 0;
  return out;
}

function warm(record: TableRecord, t: Throughput | undefined): Record<string, unknown> {
  if (record.billingMode === 'PAY_PER_REQUEST') return { ...ON_DEMAND_WARM, Status: 'ACTIVE' };
  return { ReadUnitsPerSecond: t?.ReadCapacityUnits ?? 0, WriteUnitsPerSecond: t?.WriteCapacityUnits ?? 0, Status: 'ACTIVE' };
}

export interface DescribeOptions {
  moment: Moment;
  stats?: TableStats;
  /** UpdateTable: the record before the update (its throughput is what the response shows). */
  before?: TableRecord;
  /** UpdateTable: when the update was asked for (the response's LastIncrease/LastDecreaseDateTime). */
  now?: number;
  /** UpdateTable: indexes being created or deleted by this update. */
  creatingIndexes?: ReadonlySet<string>;
  deletingIndexes?: readonly IndexRecord[];
}

export function describeTable(record: TableRecord, options: DescribeOptions): Record<string, unknown> {
  const { moment, stats } = options;
  const status: TableStatus = moment === 'create' ? 'CREATING' : moment === 'update' ? 'UPDATING' : moment === 'delete' ? 'DELETING' : 'ACTIVE';
  const shown = moment === 'update' && options.before ? options.before : record;
  const onDemand = record.billingMode === 'PAY_PER_REQUEST';

  if (moment === 'delete') {
    const out: Record<string, unknown> = {
      TableName: record.name,
      TableStatus: status,
      ProvisionedThroughput: throughputDescription(record.throughput),
      TableSizeBytes: stats?.sizeBytes ?? 0,
      ItemCount: stats?.itemCount ?? 0,
      TableArn: record.arn,
      TableId: record.id,
    };
    if (onDemand) out.BillingModeSummary = billingSummary(record, true);
    out.DeletionProtectionEnabled = record.deletionProtection;
    return out;
  }

  const out: Record<string, unknown> = {
    AttributeDefinitions: record.attributeDefinitions,
    TableName: record.name,
    KeySchema: record.keySchema,
    TableStatus: status,
    CreationDateTime: record.createdAt,
    ProvisionedThroughput: throughputDescription(moment === 'update' ? asRequested(shown.throughput, record.throughput, options.now) : record.throughput),
    TableSizeBytes: stats?.sizeBytes ?? 0,
    ItemCount: stats?.itemCount ?? 0,
    TableArn: record.arn,
    TableId: record.id,
  };
  if (onDemand) out.BillingModeSummary = billingSummary(record, moment !== 'create');
  else if (record.payPerRequestSince !== undefined) out.BillingModeSummary = { BillingMode: 'PROVISIONED', LastUpdateToPayPerRequestDateTime: record.payPerRequestSince };
  if (record.localIndexes.length > 0) {
    out.LocalSecondaryIndexes = record.localIndexes.map((index) => ({
      IndexName: index.IndexName,
      KeySchema: index.KeySchema,
      Projection: index.Projection,
      IndexSizeBytes: stats?.indexes[index.IndexName]?.sizeBytes ?? 0,
      ItemCount: stats?.indexes[index.IndexName]?.itemCount ?? 0,
      IndexArn: `${record.arn}/index/${index.IndexName}`,
    }));
  }
  const globalIndexes = record.globalIndexes.map((index) => {
    const creating = moment === 'create' || options.creatingIndexes?.has(index.IndexName) === true;
    const previous = moment === 'update' ? options.before?.globalIndexes.find((i) => i.IndexName === index.IndexName) : undefined;
    const throughputChanged = previous !== undefined && !sameThroughput(previous.ProvisionedThroughput, index.ProvisionedThroughput);
    const description: Record<string, unknown> = {
      IndexName: index.IndexName,
      KeySchema: index.KeySchema,
      Projection: index.Projection,
      IndexStatus: creating ? 'CREATING' : throughputChanged || (moment === 'update' && onDemand !== (options.before?.billingMode === 'PAY_PER_REQUEST')) ? 'UPDATING' : 'ACTIVE',
    };
    if (options.creatingIndexes?.has(index.IndexName)) description.Backfilling = false;
    description.ProvisionedThroughput = throughputDescription(
      previous ? asRequested(previous.ProvisionedThroughput, index.ProvisionedThroughput, options.now) : index.ProvisionedThroughput,
    );
    description.IndexSizeBytes = stats?.indexes[index.IndexName]?.sizeBytes ?? 0;
    description.ItemCount = stats?.indexes[index.IndexName]?.itemCount ?? 0;
    description.IndexArn = `${record.arn}/index/${index.IndexName}`;
    if (index.OnDemandThroughput) description.OnDemandThroughput = index.OnDemandThroughput;
    if (moment === 'describe') description.WarmThroughput = warm(record, index.ProvisionedThroughput);
    return description;
  });
  for (const index of options.deletingIndexes ?? []) {
    globalIndexes.push({
      IndexName: index.IndexName,
      KeySchema: index.KeySchema,
      Projection: index.Projection,
      IndexStatus: 'DELETING',
      ProvisionedThroughput: throughputDescription(index.ProvisionedThroughput),
      IndexSizeBytes: 0,
      ItemCount: 0,
      IndexArn: `${record.arn}/index/${index.IndexName}`,
    });
  }
  if (globalIndexes.length > 0) out.GlobalSecondaryIndexes = globalIndexes;
  const stream = record.stream;
  if (stream) {
    out.StreamSpecification = stream.enabled ? { StreamEnabled: true, StreamViewType: stream.viewType } : { StreamEnabled: false };
    out.LatestStreamLabel = stream.label;
    out.LatestStreamArn = stream.arn;
  }
  if (record.sse?.enabled) {
    out.SSEDescription = { Status: 'ENABLED', SSEType: record.sse.sseType ?? 'KMS', KMSMasterKeyArn: record.sse.kmsMasterKeyArn };
  }
  if (record.tableClass) out.TableClassSummary = { TableClass: record.tableClass };
  out.DeletionProtectionEnabled = record.deletionProtection;
  if (record.onDemandThroughput) out.OnDemandThroughput = record.onDemandThroughput;
  if (moment === 'describe') out.WarmThroughput = warm(record, record.throughput);
  return out;
}

/**
 * The throughput UpdateTable answers with: the units as they were, with the increase or decrease
 * stamped at the request's instant (the change itself completes just after).
 */
function asRequested(before: Throughput | undefined, after: Throughput | undefined, now: number | undefined): Throughput | undefined {
  if (!before || !after || now === undefined) return before;
  const shown: Throughput = { ...before };
  if (after.LastIncreaseDateTime !== before.LastIncreaseDateTime) shown.LastIncreaseDateTime = now;
  if (after.LastDecreaseDateTime !== before.LastDecreaseDateTime) shown.LastDecreaseDateTime = now;
  return shown;
}

function billingSummary(record: TableRecord, settled: boolean): Record<string, unknown> {
  const summary: Record<string, unknown> = { BillingMode: 'PAY_PER_REQUEST' };
  if (settled && record.payPerRequestSince !== undefined) summary.LastUpdateToPayPerRequestDateTime = record.payPerRequestSince;
  return summary;
}

function sameThroughput(a: Throughput | undefined, b: Throughput | undefined): boolean {
  return (a?.ReadCapacityUnits ?? 0) === (b?.ReadCapacityUnits ?? 0) && (a?.WriteCapacityUnits ?? 0) === (b?.WriteCapacityUnits ?? 0);
}
