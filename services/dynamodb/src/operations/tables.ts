import { createHash, randomUUID } from 'node:crypto';
import { AwsError, type CallContext, type Handler } from '@stratus/shared';
import { describeTable } from '../describe.js';
import { limitExceeded, resourceInUse, resourceNotFound, tableNotFound, validationError } from '../errors.js';
import {
  streamArn,
  streamLabel,
  tableArn,
  type AttributeDefinition,
  type IndexRecord,
  type KeySchemaElement,
  type Projection,
  type StreamViewType,
  type TableRecord,
  type Throughput,
} from '../model.js';
import * as shapes from '../validation/shapes.js';
import { requireNamedTable, tableId, tableNameOf, validate, type DynamoDeps, type Input } from './support.js';

/**
 * CreateTable, DescribeTable, ListTables, UpdateTable, DeleteTable, and the account-level
 * DescribeEndpoints and DescribeLimits, plus continuous backups (stored, reported).
 *
 * Tables are usable as soon as they are created: CreateTable answers CREATING (as AWS does) and the
 * table is ACTIVE from then on; UpdateTable answers UPDATING with the table as it was, and the change
 * is in force at once; DeleteTable answers DELETING and the table is gone.
 */

const MAX_CAPACITY = 1_000_000_000_000;
const INVALID = 'One or more parameter values were invalid:';

function list(values: readonly string[]): string {
  return `[${values.join(', ')}]`;
}

function keyNames(schema: readonly KeySchemaElement[]): string[] {
  return schema.map((k) => k.AttributeName);
}

/** The key-schema checks shared by the table and its indexes. */
function keySchemaProblem(schema: readonly KeySchemaElement[]): string | undefined {
  if (schema[1] && schema[0].AttributeName === schema[1].AttributeName) return 'Both the Hash Key and the Range Key element in the KeySchema have the same name';
  if (schema[0].KeyType !== 'HASH') return 'Invalid KeySchema: The first KeySchemaElement is not a HASH key type';
  if (schema[1] && schema[1].KeyType !== 'RANGE') return 'Invalid KeySchema: The second KeySchemaElement is not a RANGE key type';
  return undefined;
}

function undefinedKeysMessage(keys: readonly string[], definitions: readonly string[]): string {
  return `${INVALID} Some index key attributes are not defined in AttributeDefinitions. Keys: ${list(keys)}, AttributeDefinitions: ${list(definitions)}`;
}

function projectionProblem(projection: Projection): string | undefined {
  if (projection.ProjectionType == null) return `${INVALID} Unknown ProjectionType: null`;
  if (projection.NonKeyAttributes && projection.ProjectionType !== 'INCLUDE') {
    return `${INVALID} ProjectionType is ${projection.ProjectionType}, but NonKeyAttributes is specified`;
  }
  return undefined;
}

/** CreateTable's checks after the model constraints, in AWS's order. */
function checkCreateTable(input: Input): void {
  const fail = (message: string): never => {
    throw validationError(message);
  };
  const payPerRequest = input.BillingMode === 'PAY_PER_REQUEST';
  const pt = input.ProvisionedThroughput;
  if (payPerRequest) {
    if (pt) fail(`${INVALID} Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST`);
  } else {
    if (!pt || !pt.ReadCapacityUnits || !pt.WriteCapacityUnits) {
      fail(`${INVALID} ReadCapacityUnits and WriteCapacityUnits must both be specified when BillingMode is PROVISIONED`);
    }
    if (pt.ReadCapacityUnits > MAX_CAPACITY) fail(`Given value ${pt.ReadCapacityUnits} for ReadCapacityUnits is out of bounds`);
    if (pt.WriteCapacityUnits > MAX_CAPACITY) fail(`Given value ${pt.WriteCapacityUnits} for WriteCapacityUnits is out of bounds`);
  }
  const definitions = (input.AttributeDefinitions as AttributeDefinition[]).map((d) => d.AttributeName);
  const schema = input.KeySchema as KeySchemaElement[];
  const keys = keyNames(schema);
  if (keys.length > definitions.length) fail('Invalid KeySchema: Some index key attribute have no definition');
  if (keys.some((k) => !definitions.includes(k))) fail(undefinedKeysMessage(keys, definitions));
  const schemaProblem = keySchemaProblem(schema);
  if (schemaProblem) fail(schemaProblem);
  const lsis = input.LocalSecondaryIndexes as IndexRecord[] | undefined;
  const gsis = input.GlobalSecondaryIndexes as (IndexRecord & { ProvisionedThroughput?: Throughput })[] | undefined;
  if (!lsis && !gsis && schema.length !== definitions.length) {
    fail(`${INVALID} Number of attributes in KeySchema does not exactly match number of attributes defined in AttributeDefinitions`);
  }
  const indexNames = new Set<string>();
  if (lsis) {
    if (lsis.length === 0) fail(`${INVALID} List of LocalSecondaryIndexes is empty`);
    if (schema.length !== 2) fail(`${INVALID} Table KeySchema does not have a range key, which is required when specifying a LocalSecondaryIndex`);
    for (const index of lsis) {
      const indexKeys = keyNames(index.KeySchema);
      if (indexKeys.some((k) => !definitions.includes(k))) fail(undefinedKeysMessage(indexKeys, definitions));
      const problem = keySchemaProblem(index.KeySchema);
      if (problem) fail(problem);
      if (index.KeySchema.length !== 2) fail(`${INVALID} Index KeySchema does not have a range key for index: ${index.IndexName}`);
      if (indexKeys[0] !== keys[0]) {
        fail(
          `${INVALID} Index KeySchema does not have the same leading hash key as table KeySchema for index: ${index.IndexName}. index hash key: ${indexKeys[0]}, table hash key: ${keys[0]}`,
        );
      }
      const projection = projectionProblem(index.Projection);
      if (projection) fail(projection);
      if (indexNames.has(index.IndexName)) fail(`${INVALID} Duplicate index name: ${index.IndexName}`);
      indexNames.add(index.IndexName);
    }
    if (lsis.length > 5) fail(`${INVALID} Number of LocalSecondaryIndexes exceeds per-table limit of 5`);
  }
  if (gsis) {
    if (gsis.length === 0) fail(`${INVALID} List of GlobalSecondaryIndexes is empty`);
    for (const index of gsis) {
      const indexKeys = keyNames(index.KeySchema);
      if (indexKeys.some((k) => !definitions.includes(k))) fail(undefinedKeysMessage(indexKeys, definitions));
      const problem = keySchemaProblem(index.KeySchema);
      if (problem) fail(problem);
      const projection = projectionProblem(index.Projection);
      if (projection) fail(projection);
      if (payPerRequest && index.ProvisionedThroughput) {
        fail(`${INVALID} ProvisionedThroughput should not be specified for index: ${index.IndexName} when BillingMode is PAY_PER_REQUEST`);
      }
      if (!payPerRequest && !index.ProvisionedThroughput) {
        fail(`${INVALID} ProvisionedThroughput is not specified for index: ${index.IndexName}`);
      }
      if (indexNames.has(index.IndexName)) fail(`${INVALID} Duplicate index name: ${index.IndexName}`);
      indexNames.add(index.IndexName);
    }
    if (gsis.length > 20) fail(`${INVALID} GlobalSecondaryIndex count exceeds the per-table limit of 20`);
  }
  const used = new Set([...keys, ...(lsis ?? []).flatMap((i) => keyNames(i.KeySchema)), ...(gsis ?? []).flatMap((i) => keyNames(i.KeySchema))]);
  if (definitions.some((d) => !used.has(d))) {
    fail(`${INVALID} Some AttributeDefinitions are not used. AttributeDefinitions: ${list(definitions)}, keys used: ${list([...used])}`);
  }
  const stream = input.StreamSpecification;
  if (stream?.StreamEnabled && !stream.StreamViewType) fail(`${INVALID} You must specify a StreamViewType when enabling a stream`);
}

function throughputOf(pt: Input | undefined): Throughput {
  return { ReadCapacityUnits: pt?.ReadCapacityUnits ?? 0, WriteCapacityUnits: pt?.WriteCapacityUnits ?? 0, NumberOfDecreasesToday: 0 };
}

function projectionOf(p: Projection): Projection {
  const out: Projection = { ProjectionType: p.ProjectionType };
  if (p.NonKeyAttributes) out.NonKeyAttributes = [...p.NonKeyAttributes];
  return out;
}

function keySchemaOf(schema: readonly KeySchemaElement[]): KeySchemaElement[] {
  return schema.map((k) => ({ AttributeName: k.AttributeName, KeyType: k.KeyType }));
}

/** The AWS-managed KMS key of an account and region (stable, so descriptions agree). */
function managedKmsKey(account: string, region: string): string {
  const hex = createHash('md5').update(`aws/dynamodb:${account}:${region}`).digest('hex');
  const uuid = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
  return `arn:aws:kms:${region}:${account}:key/${uuid}`;
}

function kmsKeyArn(account: string, region: string, keyId: unknown): string {
  if (typeof keyId !== 'string' || keyId === '') return managedKmsKey(account, region);
  if (keyId.startsWith('arn:')) return keyId;
  return `arn:aws:kms:${region}:${account}:key/${keyId.replace(/^alias\//, '')}`;
}

function newStream(arnOfTable: string, viewType: StreamViewType, now: number): TableRecord['stream'] {
  const label = streamLabel(now);
  return { arn: streamArn(arnOfTable, label), label, viewType, enabled: true, createdAt: now };
}

const DAY_MS = 24 * 60 * 60 * 1000;

export function tableOperations(deps: DynamoDeps): Record<string, Handler> {
  const { store, clock } = deps;

  async function describe(record: TableRecord): Promise<Record<string, unknown>> {
    const stats = await store.tableStats(record);
    return describeTable(record, { moment: 'describe', stats });
  }

  return {
    async CreateTable(input: Input, ctx: CallContext) {
      validate(shapes.CreateTable, input);
      checkCreateTable(input);
      const now = clock.now();
      const name: string = input.TableName;
      const arn = tableArn(ctx.account, ctx.region, name);
      const payPerRequest = input.BillingMode === 'PAY_PER_REQUEST';
      const record: TableRecord = {
        account: ctx.account,
        region: ctx.region,
        name,
        arn,
        id: randomUUID(),
        createdAt: now,
        attributeDefinitions: (input.AttributeDefinitions as AttributeDefinition[]).map((d) => ({ AttributeName: d.AttributeName, AttributeType: d.AttributeType })),
        keySchema: keySchemaOf(input.KeySchema),
        billingMode: payPerRequest ? 'PAY_PER_REQUEST' : 'PROVISIONED',
        payPerRequestSince: payPerRequest ? now : undefined,
        throughput: throughputOf(payPerRequest ? undefined : input.ProvisionedThroughput),
        onDemandThroughput: input.OnDemandThroughput,
        localIndexes: ((input.LocalSecondaryIndexes ?? []) as IndexRecord[]).map((index) => ({
          IndexName: index.IndexName,
          KeySchema: keySchemaOf(index.KeySchema),
          Projection: projectionOf(index.Projection),
        })),
        globalIndexes: ((input.GlobalSecondaryIndexes ?? []) as Input[]).map((index) => ({
          IndexName: index.IndexName,
          KeySchema: keySchemaOf(index.KeySchema),
          Projection: projectionOf(index.Projection),
          ProvisionedThroughput: throughputOf(payPerRequest ? undefined : index.ProvisionedThroughput),
          OnDemandThroughput: index.OnDemandThroughput,
        })),
        stream: input.StreamSpecification?.StreamEnabled ? newStream(arn, input.StreamSpecification.StreamViewType, now) : undefined,
        sse: input.SSESpecification?.Enabled
          ? { enabled: true, sseType: input.SSESpecification.SSEType ?? 'KMS', kmsMasterKeyArn: kmsKeyArn(ctx.account, ctx.region, input.SSESpecification.KMSMasterKeyId) }
          : undefined,
        deletionProtection: input.DeletionProtectionEnabled === true,
        tableClass: input.TableClass,
        tags: ((input.Tags ?? []) as { Key: string; Value: string }[]).map((t) => ({ Key: t.Key, Value: t.Value })),
        resourcePolicy: input.ResourcePolicy,
      };
      if (!(await store.createTable(record))) throw resourceInUse(`Table already exists: ${name}`);
      return { TableDescription: describeTable(record, { moment: 'create' }) };
    },

    async DescribeTable(input: Input, ctx: CallContext) {
      validate(shapes.DescribeTable, input);
      const model = await requireNamedTable(deps, ctx, input.TableName);
      return { Table: await describe(model.record) };
    },

    async ListTables(input: Input, ctx: CallContext) {
      validate(shapes.ListTables, input);
      const names = await store.listTables(ctx.account, ctx.region);
      const start = input.ExclusiveStartTableName as string | undefined;
      const after = start === undefined ? names : names.filter((n) => n > start);
      const limit: number = input.Limit ?? 100;
      const page = after.slice(0, limit);
      const out: Input = { TableNames: page };
      if (after.length > limit) out.LastEvaluatedTableName = page[page.length - 1];
      return out;
    },

    async DeleteTable(input: Input, ctx: CallContext) {
      validate(shapes.DeleteTable, input);
      const model = await requireNamedTable(deps, ctx, input.TableName);
      if (model.record.deletionProtection) {
        throw validationError('Resource cannot be deleted as it is currently protected against deletion. Disable deletion protection first.');
      }
      const stats = await store.tableStats(model.record);
      const deleted = await store.deleteTable(tableId(ctx, model.record.name), clock.now());
      if (!deleted) throw tableNotFound(input.TableName);
      return { TableDescription: describeTable(deleted, { moment: 'delete', stats }) };
    },

    async UpdateTable(input: Input, ctx: CallContext) {
      validate(shapes.UpdateTable, input);
      checkUpdateTable(input);
      const model = await requireNamedTable(deps, ctx, input.TableName);
      const now = clock.now();
      const { record, creating, deleting } = updatedRecord(model.record, input, ctx, now);
      await store.replaceTable(record);
      const stats = await store.tableStats(record);
      return {
        TableDescription: describeTable(record, { moment: 'update', stats, before: model.record, now, creatingIndexes: creating, deletingIndexes: deleting }),
      };
    },

    async DescribeEndpoints(_input: Input, ctx: CallContext) {
      return { Endpoints: [{ Address: `dynamodb.${ctx.region}.amazonaws.com`, CachePeriodInMinutes: 1440 }] };
    },

    async DescribeLimits() {
      return {
        AccountMaxReadCapacityUnits: 80000,
        AccountMaxWriteCapacityUnits: 80000,
        TableMaxReadCapacityUnits: 40000,
        TableMaxWriteCapacityUnits: 40000,
      };
    },

    async DescribeContinuousBackups(input: Input, ctx: CallContext) {
      validate(shapes.DescribeContinuousBackups, input);
      const model = await requireTableForBackups(deps, ctx, input.TableName);
      return { ContinuousBackupsDescription: continuousBackups(model.record, now()) };
    },

    async UpdateContinuousBackups(input: Input, ctx: CallContext) {
      validate(shapes.UpdateContinuousBackups, input);
      const model = await requireTableForBackups(deps, ctx, input.TableName);
      const spec = input.PointInTimeRecoverySpecification;
      const days = spec.RecoveryPeriodInDays ?? 35;
      if (days < 1 || days > 35) throw validationError('The recovery period must be between 1 and 35 days');
      const record: TableRecord = {
        ...model.record,
        pointInTimeRecovery: spec.PointInTimeRecoveryEnabled
          ? { enabled: true, recoveryPeriodInDays: days, enabledAt: model.record.pointInTimeRecovery?.enabled ? model.record.pointInTimeRecovery.enabledAt : now() }
          : { enabled: false, recoveryPeriodInDays: days, enabledAt: 0 },
      };
      await store.replaceTable(record);
      return { ContinuousBackupsDescription: continuousBackups(record, now()) };
    },
  };

  function now(): number {
    return clock.now();
  }
}

async function requireTableForBackups(deps: DynamoDeps, ctx: CallContext, name: string) {
  const record = await deps.store.getTable(tableId(ctx, tableNameOf(ctx, name)));
  if (!record) throw new AwsError('TableNotFoundException', `Table not found: ${name}`, 400);
  return { record };
}

function continuousBackups(record: TableRecord, now: number): Record<string, unknown> {
  const pitr = record.pointInTimeRecovery;
  const description: Record<string, unknown> = { PointInTimeRecoveryStatus: pitr?.enabled ? 'ENABLED' : 'DISABLED' };
  if (pitr?.enabled) {
    description.EarliestRestorableDateTime = Math.max(pitr.enabledAt, now - pitr.recoveryPeriodInDays * DAY_MS);
    description.LatestRestorableDateTime = now - 5 * 60 * 1000;
    description.RecoveryPeriodInDays = pitr.recoveryPeriodInDays;
  }
  return { ContinuousBackupsStatus: 'ENABLED', PointInTimeRecoveryDescription: description };
}

/** UpdateTable's checks that need no table. */
function checkUpdateTable(input: Input): void {
  const gsiUpdates = input.GlobalSecondaryIndexUpdates as Input[] | undefined;
  const somethingToDo =
    input.ProvisionedThroughput ||
    input.BillingMode ||
    input.StreamSpecification ||
    (gsiUpdates && gsiUpdates.length > 0) ||
    input.SSESpecification ||
    input.ReplicaUpdates ||
    input.TableClass ||
    input.DeletionProtectionEnabled != null ||
    input.OnDemandThroughput ||
    input.WarmThroughput ||
    input.MultiRegionConsistency;
  if (!somethingToDo) {
    throw validationError(
      'At least one of ProvisionedThroughput, BillingMode, UpdateStreamEnabled, GlobalSecondaryIndexUpdates or SSESpecification or ReplicaUpdates is required',
    );
  }
  if (input.BillingMode === 'PROVISIONED' && !input.ProvisionedThroughput) {
    throw validationError(`${INVALID} ProvisionedThroughput must be specified when BillingMode is PROVISIONED`);
  }
  const pt = input.ProvisionedThroughput;
  if (pt) {
    if (pt.ReadCapacityUnits > MAX_CAPACITY) throw validationError(`Given value ${pt.ReadCapacityUnits} for ReadCapacityUnits is out of bounds`);
    if (pt.WriteCapacityUnits > MAX_CAPACITY) throw validationError(`Given value ${pt.WriteCapacityUnits} for WriteCapacityUnits is out of bounds`);
  }
  if (gsiUpdates) {
    const names = new Set<string>();
    for (const update of gsiUpdates) {
      if (!update.Update && !update.Create && !update.Delete) {
        throw validationError(
          `${INVALID} One of GlobalSecondaryIndexUpdate.Update, GlobalSecondaryIndexUpdate.Create, GlobalSecondaryIndexUpdate.Delete must not be null`,
        );
      }
      const name = update.Update?.IndexName ?? update.Create?.IndexName ?? update.Delete?.IndexName;
      if (names.has(name)) throw validationError(`${INVALID} Only one global secondary index update per index is allowed simultaneously. Index: ${name}`);
      names.add(name);
    }
  }
}

function sameUnits(a: Throughput, pt: Input): boolean {
  return a.ReadCapacityUnits === pt.ReadCapacityUnits && a.WriteCapacityUnits === pt.WriteCapacityUnits;
}

/** The new throughput after a change, with its increase/decrease bookkeeping. */
function changedThroughput(current: Throughput, pt: Input, now: number): Throughput {
  const next: Throughput = { ...current, ReadCapacityUnits: pt.ReadCapacityUnits, WriteCapacityUnits: pt.WriteCapacityUnits };
  const increase = pt.ReadCapacityUnits > current.ReadCapacityUnits || pt.WriteCapacityUnits > current.WriteCapacityUnits;
  const decrease = pt.ReadCapacityUnits < current.ReadCapacityUnits || pt.WriteCapacityUnits < current.WriteCapacityUnits;
  // The change completes just after the request: its instant is later than the one the response shows.
  if (increase) next.LastIncreaseDateTime = now + 1;
  if (decrease) {
    const sameDay = current.LastDecreaseDateTime !== undefined && Math.floor(current.LastDecreaseDateTime / DAY_MS) === Math.floor(now / DAY_MS);
    next.LastDecreaseDateTime = now + 1;
    next.NumberOfDecreasesToday = (sameDay ? current.NumberOfDecreasesToday : 0) + 1;
  }
  return next;
}

function updatedRecord(
  current: TableRecord,
  input: Input,
  ctx: CallContext,
  now: number,
): { record: TableRecord; creating: Set<string>; deleting: IndexRecord[] } {
  const record: TableRecord = { ...current, globalIndexes: current.globalIndexes.map((index) => ({ ...index })) };
  const payPerRequestNow = (input.BillingMode ?? current.billingMode) === 'PAY_PER_REQUEST';
  const pt = input.ProvisionedThroughput;
  if (pt && payPerRequestNow) {
    throw validationError(`${INVALID} Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST`);
  }
  const gsiUpdates = (input.GlobalSecondaryIndexUpdates ?? []) as Input[];
  if (gsiUpdates.length > 5 || gsiUpdates.filter((u) => u.Create || u.Delete).length > 1) {
    throw limitExceeded('Subscriber limit exceeded: Only 1 online index can be created or deleted simultaneously per table');
  }

  // Throughput of the table.
  if (pt) {
    if (sameUnits(current.throughput, pt) && input.BillingMode !== 'PROVISIONED') {
      throw validationError(
        'The provisioned throughput for the table will not change. The requested value equals the current value. ' +
          `Current ReadCapacityUnits provisioned for the table: ${current.throughput.ReadCapacityUnits}. Requested ReadCapacityUnits: ${pt.ReadCapacityUnits}. ` +
          `Current WriteCapacityUnits provisioned for the table: ${current.throughput.WriteCapacityUnits}. Requested WriteCapacityUnits: ${pt.WriteCapacityUnits}. ` +
          'Refer to the Amazon DynamoDB Developer Guide for current limits and how to request higher limits.',
      );
    }
    record.throughput = changedThroughput(current.throughput, pt, now);
  }

  // Billing mode.
  if (input.BillingMode === 'PAY_PER_REQUEST' && current.billingMode !== 'PAY_PER_REQUEST') {
    record.billingMode = 'PAY_PER_REQUEST';
    record.payPerRequestSince = now;
    record.throughput = { ...current.throughput, ReadCapacityUnits: 0, WriteCapacityUnits: 0, LastDecreaseDateTime: now };
    record.globalIndexes = record.globalIndexes.map((index) => ({
      ...index,
      ProvisionedThroughput: { ...(index.ProvisionedThroughput ?? { NumberOfDecreasesToday: 0 }), ReadCapacityUnits: 0, WriteCapacityUnits: 0 } as Throughput,
    }));
  } else if (input.BillingMode === 'PROVISIONED' && current.billingMode !== 'PROVISIONED') {
    const updatedIndexes = new Set(gsiUpdates.filter((u) => u.Update).map((u) => u.Update.IndexName));
    const missing = current.globalIndexes.filter((index) => !updatedIndexes.has(index.IndexName)).map((index) => index.IndexName);
    if (missing.length > 0) throw validationError(`${INVALID} ProvisionedThroughput must be specified for index: ${missing.join(',')}`);
    record.billingMode = 'PROVISIONED';
    record.throughput = { ...current.throughput, ReadCapacityUnits: pt.ReadCapacityUnits, WriteCapacityUnits: pt.WriteCapacityUnits };
  }

  // Global secondary indexes.
  const creating = new Set<string>();
  const deleting: IndexRecord[] = [];
  for (const update of gsiUpdates) {
    if (update.Update) {
      const ipt = update.Update.ProvisionedThroughput;
      if (ipt.ReadCapacityUnits > MAX_CAPACITY || ipt.WriteCapacityUnits > MAX_CAPACITY) {
        throw validationError('This operation cannot be performed with given input values. Please contact DynamoDB service team for more info: Action Blocked: IndexUpdate');
      }
      const index = record.globalIndexes.find((i) => i.IndexName === update.Update.IndexName);
      if (!index) throw resourceNotFound(`Requested resource not found: Index: ${update.Update.IndexName} not found`);
      if (payPerRequestNow) {
        throw validationError(`${INVALID} Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST`);
      }
      index.ProvisionedThroughput = changedThroughput(index.ProvisionedThroughput ?? throughputOf(undefined), ipt, now);
    } else if (update.Create) {
      const create = update.Create as Input;
      if (record.globalIndexes.some((i) => i.IndexName === create.IndexName) || record.localIndexes.some((i) => i.IndexName === create.IndexName)) {
        throw validationError(`${INVALID} Index already exists: ${create.IndexName}`);
      }
      const definitions: AttributeDefinition[] = [...record.attributeDefinitions];
      for (const d of (input.AttributeDefinitions ?? []) as AttributeDefinition[]) {
        const existing = definitions.find((e) => e.AttributeName === d.AttributeName);
        if (existing && existing.AttributeType !== d.AttributeType) {
          throw validationError(
            `${INVALID} Cannot change the type of an attribute in AttributeDefinitions: ${d.AttributeName} is of type ${existing.AttributeType}`,
          );
        }
        if (!existing) definitions.push({ AttributeName: d.AttributeName, AttributeType: d.AttributeType });
      }
      const schema = create.KeySchema as KeySchemaElement[];
      const names = definitions.map((d) => d.AttributeName);
      const indexKeys = keyNames(schema);
      if (indexKeys.some((k) => !names.includes(k))) throw validationError(undefinedKeysMessage(indexKeys, names));
      const problem = keySchemaProblem(schema) ?? projectionProblem(create.Projection);
      if (problem) throw validationError(problem);
      if (payPerRequestNow && create.ProvisionedThroughput) {
        throw validationError(`${INVALID} ProvisionedThroughput should not be specified for index: ${create.IndexName} when BillingMode is PAY_PER_REQUEST`);
      }
      if (!payPerRequestNow && !create.ProvisionedThroughput) {
        throw validationError(`${INVALID} ProvisionedThroughput is not specified for index: ${create.IndexName}`);
      }
      record.attributeDefinitions = definitions;
      record.globalIndexes.push({
        IndexName: create.IndexName,
        KeySchema: keySchemaOf(schema),
        Projection: projectionOf(create.Projection),
        ProvisionedThroughput: throughputOf(payPerRequestNow ? undefined : create.ProvisionedThroughput),
        OnDemandThroughput: create.OnDemandThroughput,
        createdAt: now,
      });
      creating.add(create.IndexName);
    } else if (update.Delete) {
      const position = record.globalIndexes.findIndex((i) => i.IndexName === update.Delete.IndexName);
      if (position < 0) throw resourceNotFound(`Requested resource not found: Index: ${update.Delete.IndexName} not found`);
      deleting.push(record.globalIndexes[position]);
      record.globalIndexes.splice(position, 1);
      const stillUsed = new Set([
        ...keyNames(record.keySchema),
        ...record.localIndexes.flatMap((i) => keyNames(i.KeySchema)),
        ...record.globalIndexes.flatMap((i) => keyNames(i.KeySchema)),
      ]);
      record.attributeDefinitions = record.attributeDefinitions.filter((d) => stillUsed.has(d.AttributeName));
    }
  }

  // Stream.
  const stream = input.StreamSpecification;
  if (stream) {
    if (stream.StreamEnabled) {
      if (!stream.StreamViewType) throw validationError(`${INVALID} You must specify a StreamViewType when enabling a stream`);
      if (current.stream?.enabled) throw validationError(`Table already has an enabled stream: TableName: ${current.name}`);
      record.stream = newStream(current.arn, stream.StreamViewType, now);
    } else {
      if (!current.stream?.enabled) throw validationError(`Table already has no enabled stream: TableName: ${current.name}`);
      record.stream = { ...current.stream, enabled: false, disabledAt: now };
    }
  }

  // Encryption, table class, deletion protection, on-demand throughput.
  const sse = input.SSESpecification;
  if (sse) {
    record.sse = sse.Enabled === false ? undefined : { enabled: true, sseType: sse.SSEType ?? 'KMS', kmsMasterKeyArn: kmsKeyArn(ctx.account, ctx.region, sse.KMSMasterKeyId) };
  }
  if (input.TableClass) record.tableClass = input.TableClass;
  if (input.DeletionProtectionEnabled != null) record.deletionProtection = input.DeletionProtectionEnabled === true;
  if (input.OnDemandThroughput) record.onDemandThroughput = input.OnDemandThroughput;
  return { record, creating, deleting };
}
