import type { CallContext, Handler } from '@stratus/shared';
import {
  attributesToGetProjection,
  attributeUpdatesPlan,
  checkAttributesToGet,
  checkAttributeUpdates,
  checkExpected,
  checkExpressionParameters,
  checkScalarKeyPaths,
  checkUpdateAgainstKeys,
  expectedCondition,
  itemSize,
  MAX_ITEM_SIZE,
  parseExpressions,
  project,
  updatedPaths,
  type ParsedCondition,
  type ParsedProjection,
  type UpdatePlan,
} from '../core.js';
import { conditionalCheckFailed, validationError } from '../errors.js';
import { checkItem, checkKey } from '../item-rules.js';
import type { TableModel } from '../model.js';
import type { WriteOutcome } from '../store/types.js';
import type { Item } from '../values/attribute-value.js';
import * as shapes from '../validation/shapes.js';
import {
  capacity,
  checkValues,
  indexWriteUnits,
  itemCollectionMetrics,
  orThrow,
  readUnits,
  requireTable,
  tableId,
  validate,
  wantsCapacity,
  writeUnits,
  type DynamoDeps,
  type Input,
} from './support.js';

/**
 * PutItem, GetItem, UpdateItem, DeleteItem: the request checks in AWS's order (model constraints,
 * parameter mixing, values, legacy parameters, expressions; then, once the table is known, keys and
 * key paths), one atomic store step, and the response (ReturnValues, ConsumedCapacity,
 * ItemCollectionMetrics).
 */

/** A PutItem as checked before the table is known; TransactWriteItems and PartiQL share it. */
export interface PreparedPut {
  item: Item;
  condition?: ParsedCondition;
}

export function preparePut(input: Input): PreparedPut {
  orThrow(checkExpressionParameters(input, ['ConditionExpression'], ['Expected']));
  checkValues(input.Item);
  if (input.ReturnValues != null && input.ReturnValues !== 'ALL_OLD' && input.ReturnValues !== 'NONE') {
    throw validationError('ReturnValues can only be ALL_OLD or NONE');
  }
  if (itemSize(input.Item) > MAX_ITEM_SIZE) throw validationError('Item size has exceeded the maximum allowed size');
  orThrow(checkExpected(input.Expected));
  const parsed = parseExpressions(input);
  return { item: input.Item, condition: parsed.condition ?? legacyCondition(input) };
}

function legacyCondition(input: Input): ParsedCondition | undefined {
  return input.Expected ? expectedCondition(input.Expected, input.ConditionalOperator) : undefined;
}

export interface PreparedDelete {
  key: Item;
  condition?: ParsedCondition;
}

export function prepareDelete(input: Input): PreparedDelete {
  orThrow(checkExpressionParameters(input, ['ConditionExpression'], ['Expected']));
  checkValues(input.Key);
  if (input.ReturnValues != null && input.ReturnValues !== 'ALL_OLD' && input.ReturnValues !== 'NONE') {
    throw validationError('ReturnValues can only be ALL_OLD or NONE');
  }
  orThrow(checkExpected(input.Expected));
  const parsed = parseExpressions(input);
  return { key: input.Key, condition: parsed.condition ?? legacyCondition(input) };
}

export interface PreparedUpdate {
  key: Item;
  plan: UpdatePlan;
  condition?: ParsedCondition;
}

export function prepareUpdate(input: Input): PreparedUpdate {
  orThrow(checkExpressionParameters(input, ['UpdateExpression', 'ConditionExpression'], ['AttributeUpdates', 'Expected']));
  checkValues(input.Key);
  orThrow(checkAttributeUpdates(input.AttributeUpdates));
  orThrow(checkExpected(input.Expected));
  const parsed = parseExpressions(input);
  const plan = parsed.update ?? attributeUpdatesPlan(input.AttributeUpdates ?? {});
  return { key: input.Key, plan, condition: parsed.condition ?? legacyCondition(input) };
}

export function prepareGet(input: Input): { key: Item; projection?: ParsedProjection } {
  orThrow(checkExpressionParameters(input, ['ProjectionExpression'], ['AttributesToGet']));
  checkValues(input.Key);
  orThrow(checkAttributesToGet(input.AttributesToGet));
  const parsed = parseExpressions(input);
  const projection = parsed.projection ?? (input.AttributesToGet ? attributesToGetProjection(input.AttributesToGet) : undefined);
  return { key: input.Key, projection };
}

/** Checks an update against the table: key attributes untouched, index key types, scalar key paths. */
export function checkUpdateForTable(model: TableModel, plan: UpdatePlan): void {
  orThrow(checkUpdateAgainstKeys(plan, model.keys, model.indexKeys));
}

export function checkProjectionForTable(model: TableModel, projection: ParsedProjection | undefined): void {
  if (projection) orThrow(checkScalarKeyPaths(projection.nestedPathHeads, model.keys, model.indexKeys));
}

/** The ConditionalCheckFailedException, with the item when ReturnValuesOnConditionCheckFailure asks. */
export function conditionFailed(input: Input, outcome: WriteOutcome): never {
  throw conditionalCheckFailed(input.ReturnValuesOnConditionCheckFailure === 'ALL_OLD' ? outcome.old : undefined);
}

/** UPDATED_OLD / UPDATED_NEW: the updated paths of an item, or nothing when none is there. */
function updatedAttributes(plan: UpdatePlan, item: Item | undefined): Item | undefined {
  if (!item) return undefined;
  const projected = project(item, updatedPaths(plan));
  return Object.keys(projected).length > 0 ? projected : undefined;
}

export function itemOperations(deps: DynamoDeps): Record<string, Handler> {
  const { store, clock } = deps;

  return {
    async PutItem(input: Input, ctx: CallContext) {
      validate(shapes.PutItem, input);
      const put = preparePut(input);
      const model = await requireTable(deps, ctx, input.TableName);
      checkItem(model, put.item);
      const outcome = await store.write(tableId(ctx, model.record.name), { kind: 'put', item: put.item, condition: put.condition?.condition }, clock.now());
      if (!outcome.ok) conditionFailed(input, outcome);
      const out: Input = {};
      if (input.ReturnValues === 'ALL_OLD' && outcome.old) out.Attributes = outcome.old;
      if (wantsCapacity(input.ReturnConsumedCapacity)) out.ConsumedCapacity = capacity(input.ReturnConsumedCapacity, model.record.name, writeUnits(outcome.old, outcome.new), indexWriteUnits(model, outcome.old, outcome.new));
      const metrics = itemCollectionMetrics(input.ReturnItemCollectionMetrics, model, put.item);
      if (metrics) out.ItemCollectionMetrics = metrics;
      return out;
    },

    async GetItem(input: Input, ctx: CallContext) {
      validate(shapes.GetItem, input);
      const get = prepareGet(input);
      const model = await requireTable(deps, ctx, input.TableName);
      checkKey(model, get.key);
      checkProjectionForTable(model, get.projection);
      const item = await store.getItem(tableId(ctx, model.record.name), get.key);
      const out: Input = {};
      if (item) out.Item = get.projection ? project(item, get.projection.paths) : item;
      if (wantsCapacity(input.ReturnConsumedCapacity)) out.ConsumedCapacity = capacity(input.ReturnConsumedCapacity, model.record.name, readUnits(item, input.ConsistentRead === true));
      return out;
    },

    async DeleteItem(input: Input, ctx: CallContext) {
      validate(shapes.DeleteItem, input);
      const del = prepareDelete(input);
      const model = await requireTable(deps, ctx, input.TableName);
      checkKey(model, del.key);
      const outcome = await store.write(tableId(ctx, model.record.name), { kind: 'delete', key: del.key, condition: del.condition?.condition }, clock.now());
      if (!outcome.ok) conditionFailed(input, outcome);
      const out: Input = {};
      if (input.ReturnValues === 'ALL_OLD' && outcome.old) out.Attributes = outcome.old;
      if (wantsCapacity(input.ReturnConsumedCapacity)) out.ConsumedCapacity = capacity(input.ReturnConsumedCapacity, model.record.name, writeUnits(outcome.old, undefined), indexWriteUnits(model, outcome.old, undefined));
      const metrics = itemCollectionMetrics(input.ReturnItemCollectionMetrics, model, del.key);
      if (metrics) out.ItemCollectionMetrics = metrics;
      return out;
    },

    async UpdateItem(input: Input, ctx: CallContext) {
      validate(shapes.UpdateItem, input);
      const update = prepareUpdate(input);
      const model = await requireTable(deps, ctx, input.TableName);
      checkKey(model, update.key);
      checkUpdateForTable(model, update.plan);
      const outcome = await store.write(
        tableId(ctx, model.record.name),
        { kind: 'update', key: update.key, plan: update.plan, condition: update.condition?.condition },
        clock.now(),
      );
      if (!outcome.ok) conditionFailed(input, outcome);
      const out: Input = {};
      let attributes: Item | undefined;
      switch (input.ReturnValues) {
        case 'ALL_OLD':
          attributes = outcome.old;
          break;
        case 'ALL_NEW':
          attributes = outcome.new;
          break;
        case 'UPDATED_OLD':
          attributes = updatedAttributes(update.plan, outcome.old);
          break;
        case 'UPDATED_NEW':
          attributes = updatedAttributes(update.plan, outcome.new);
          break;
      }
      if (attributes) out.Attributes = attributes;
      if (wantsCapacity(input.ReturnConsumedCapacity)) out.ConsumedCapacity = capacity(input.ReturnConsumedCapacity, model.record.name, writeUnits(outcome.old, outcome.new), indexWriteUnits(model, outcome.old, outcome.new));
      const metrics = itemCollectionMetrics(input.ReturnItemCollectionMetrics, model, update.key);
      if (metrics) out.ItemCollectionMetrics = metrics;
      return out;
    },
  };
}
