import type { Bus, CallContext, Clock } from '@stratus/shared';
import { resourceNotFound, tableNotFound, validationError } from '../errors.js';
import { compileTable, type IndexModel, type TableId, type TableModel, type TableRecord } from '../model.js';
import type { DynamoStore } from '../store/types.js';
import type { Item } from '../values/attribute-value.js';
import { readCapacityUnits, writeCapacityUnits, itemSize } from '../values/size.js';
import { validateAttributeMap } from '../values/validate.js';
import type { MemberSpec } from '../validation/constraints.js';
import { validateInput } from '../validation/constraints.js';

/** What the operations share. */
export interface DynamoDeps {
  readonly store: DynamoStore;
  readonly clock: Clock;
  readonly bus: Bus;
}

export type Input = Record<string, any>;

/** Model constraints, then the operation's own checks. */
export function validate(shape: readonly MemberSpec[], input: Input): void {
  validateInput(shape, input);
}

export function tableId(ctx: CallContext, name: string): TableId {
  return { account: ctx.account, region: ctx.region, name };
}

const models = new WeakMap<TableRecord, TableModel>();

/** The compiled model of a table record (records are immutable: one compilation per version). */
export function modelOf(record: TableRecord): TableModel {
  let model = models.get(record);
  if (!model) models.set(record, (model = compileTable(record)));
  return model;
}

/**
 * A table named by name or ARN (item operations accept both). The ARN must be of this account and
 * region; anything else is not found.
 */
export function tableNameOf(ctx: CallContext, nameOrArn: string): string {
  if (!nameOrArn.startsWith('arn:')) return nameOrArn;
  const match = /^arn:aws[a-z-]*:dynamodb:([^:]*):(\d{12}):table\/([^/]+)$/.exec(nameOrArn);
  if (!match || match[1] !== ctx.region || match[2] !== ctx.account) return nameOrArn;
  return match[3];
}

/** The table of an item operation, or ResourceNotFoundException "Requested resource not found". */
export async function requireTable(deps: DynamoDeps, ctx: CallContext, name: string): Promise<TableModel> {
  const record = await deps.store.getTable(tableId(ctx, tableNameOf(ctx, name)));
  if (!record) throw resourceNotFound();
  return modelOf(record);
}

/** The table of a table-level operation, or "Requested resource not found: Table: <name> not found". */
export async function requireNamedTable(deps: DynamoDeps, ctx: CallContext, name: string): Promise<TableModel> {
  const record = await deps.store.getTable(tableId(ctx, tableNameOf(ctx, name)));
  if (!record) throw tableNotFound(name);
  return modelOf(record);
}

/** Validates every AttributeValue of a map (an item, a key), throwing AWS's message. */
export function checkValues(map: Record<string, unknown> | undefined): void {
  if (!map) return;
  const message = validateAttributeMap(map as Item);
  if (message !== undefined) throw validationError(message);
}

export function orThrow(message: string | undefined): void {
  if (message !== undefined) throw validationError(message);
}

// ---- consumed capacity ----

export interface ConsumedCapacity {
  TableName: string;
  CapacityUnits: number;
  Table?: { CapacityUnits: number };
  GlobalSecondaryIndexes?: Record<string, { CapacityUnits: number }>;
  LocalSecondaryIndexes?: Record<string, { CapacityUnits: number }>;
}

export type CapacityMode = 'TOTAL' | 'INDEXES' | 'NONE' | undefined;

export function wantsCapacity(mode: CapacityMode): boolean {
  return mode === 'TOTAL' || mode === 'INDEXES';
}

/** ConsumedCapacity from table units and per-index units. */
export function capacity(
  mode: CapacityMode,
  tableName: string,
  tableUnits: number,
  indexUnits?: { index: IndexModel; units: number }[],
): ConsumedCapacity | undefined {
  if (!wantsCapacity(mode)) return undefined;
  let total = tableUnits;
  for (const entry of indexUnits ?? []) total += entry.units;
  const result: ConsumedCapacity = { TableName: tableName, CapacityUnits: total };
  if (mode === 'INDEXES') {
    result.Table = { CapacityUnits: tableUnits };
    for (const { index, units } of indexUnits ?? []) {
      const group = index.global ? (result.GlobalSecondaryIndexes ??= {}) : (result.LocalSecondaryIndexes ??= {});
      group[index.name] = { CapacityUnits: units };
    }
  }
  return result;
}

/** Write capacity of a change: the larger of the item before and after, 1 per KB. */
export function writeUnits(old: Item | undefined, next: Item | undefined): number {
  return Math.max(old ? writeCapacityUnits(itemSize(old)) : 1, next ? writeCapacityUnits(itemSize(next)) : 1);
}

export function readUnits(item: Item | undefined, consistent: boolean): number {
  return readCapacityUnits(item ? itemSize(item) : 0, consistent);
}

/** The secondary indexes a write touched, with their write units (for ReturnConsumedCapacity INDEXES). */
export function indexWriteUnits(model: TableModel, old: Item | undefined, next: Item | undefined): { index: IndexModel; units: number }[] {
  const out: { index: IndexModel; units: number }[] = [];
  for (const index of model.indexes) {
    const inOld = old !== undefined && hasIndexKeys(index, old);
    const inNew = next !== undefined && hasIndexKeys(index, next);
    if (!inOld && !inNew) continue;
    out.push({ index, units: inOld && inNew ? 1 : 1 });
  }
  return out;
}

function hasIndexKeys(index: IndexModel, item: Item): boolean {
  const has = (name: string) => Object.prototype.hasOwnProperty.call(item, name);
  return has(index.hash.name) && (!index.range || has(index.range.name));
}

/** ItemCollectionMetrics of a write to a table with local indexes, when asked. */
export function itemCollectionMetrics(mode: unknown, model: TableModel, key: Item): Record<string, unknown> | undefined {
  if (mode !== 'SIZE' || !model.indexes.some((index) => !index.global)) return undefined;
  return { ItemCollectionKey: { [model.hash.name]: key[model.hash.name] }, SizeEstimateRangeGB: [0, 1] };
}
