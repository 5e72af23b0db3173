import type { CallContext, Handler } from '@stratus/shared';
import {
  attributesToGetProjection,
  checkAttributesToGet,
  checkConditionMap,
  checkExpressionParameters,
  checkFilterAvoidsKeys,
  checkKeyConditionCount,
  checkScalarKeyPaths,
  evaluateCondition,
  filterCondition,
  itemSize,
  keyConditionsFromExpression,
  matchesSortKeyCondition,
  parseExpressions,
  project,
  resolveKeyQuery,
  validateAttributeValue,
  valuesEqual,
  type ConditionMap,
  type KeyAttribute,
  type ParsedCondition,
  type ParsedProjection,
} from '../core.js';
import { validationError } from '../errors.js';
import { keyPieceProblem, keyProblem } from '../item-rules.js';
import { bucketOf, hashPrefix, segmentBuckets } from '../keys.js';
import { findIndex, projectForIndex, type IndexModel, type KeyDef, type TableModel } from '../model.js';
import type { PageRequest } from '../store/types.js';
import type { AttributeMap, Item } from '../values/attribute-value.js';
import * as shapes from '../validation/shapes.js';
import { capacity, orThrow, requireTable, tableId, validate, wantsCapacity, type DynamoDeps, type Input } from './support.js';

/**
 * Query and Scan: request checks in AWS's order, the start key's checks against the table or index,
 * one page read from the store in key order (Limit, 1 MB), then filter, projection and Select.
 */

// Messages of ExclusiveStartKey values that AWS does not prefix with "The provided starting key is invalid: ".
const UNPREFIXED_START_KEY = /contains duplicates|number set|numeric value|significant digits|number with magnitude/;

function checkStartKeyValues(startKey: AttributeMap | undefined): void {
  if (!startKey) return;
  for (const name in startKey) {
    const message = validateAttributeValue(startKey[name]);
    if (message !== undefined) throw validationError(UNPREFIXED_START_KEY.test(message) ? message : `The provided starting key is invalid: ${message}`);
  }
}

interface Target {
  model: TableModel;
  index?: IndexModel;
  /** The key schema read: the index's, or the table's. */
  keys: KeyDef[];
  startKeyNames: readonly string[];
  /** Select ALL_ATTRIBUTES on an index that does not project everything. */
  fetchFromTable: boolean;
}

function target(model: TableModel, input: Input): Target {
  const tableKeys = model.keys as KeyDef[];
  if (input.IndexName == null) {
    return { model, keys: tableKeys, startKeyNames: tableKeys.map((k) => k.name), fetchFromTable: false };
  }
  const index = findIndex(model, input.IndexName);
  if (!index) throw validationError(`The table does not have the specified index: ${input.IndexName}`);
  if (index.global && input.ConsistentRead === true) throw validationError('Consistent reads are not supported on global secondary indexes');
  const keys = index.range ? [index.hash, index.range] : [index.hash];
  return { model, index, keys, startKeyNames: index.startKeyNames, fetchFromTable: input.Select === 'ALL_ATTRIBUTES' && index.projection !== 'ALL' };
}

function startKeyPieceProblem(startKey: AttributeMap, key: KeyDef, isPartitionKey: boolean): string | undefined {
  if (!Object.prototype.hasOwnProperty.call(startKey, key.name)) return 'The provided starting key is invalid';
  return keyPieceProblem(startKey[key.name], key, isPartitionKey);
}

/** The table key part of a start key, checked against the table's key schema. */
function checkTableStartKey(model: TableModel, startKey: AttributeMap): void {
  const tableKey: AttributeMap = {};
  for (const key of model.keys) if (Object.prototype.hasOwnProperty.call(startKey, key.name)) tableKey[key.name] = startKey[key.name];
  const problem = keyProblem(model, tableKey);
  if (problem !== undefined) throw validationError(`The provided starting key is invalid: ${problem}`);
}

/** The projection and filter may not look inside key attributes. */
function checkKeyPaths(model: TableModel, heads: ReadonlySet<string> | undefined): void {
  if (heads) orThrow(checkScalarKeyPaths(heads, model.keys, model.indexKeys));
}

interface Prepared {
  filter?: ParsedCondition;
  projection?: ParsedProjection;
  /** Query only. */
  keyConditions?: ConditionMap;
}

function prepareQuery(input: Input): Prepared {
  orThrow(
    checkExpressionParameters(
      input,
      ['ProjectionExpression', 'FilterExpression', 'KeyConditionExpression'],
      ['AttributesToGet', 'QueryFilter', 'ConditionalOperator', 'KeyConditions'],
    ),
  );
  orThrow(checkConditionMap(input.QueryFilter));
  orThrow(checkAttributesToGet(input.AttributesToGet));
  checkStartKeyValues(input.ExclusiveStartKey);
  if (input.KeyConditions == null && input.KeyConditionExpression == null) {
    throw validationError('Either the KeyConditions or KeyConditionExpression parameter must be specified in the request.');
  }
  const parsed = parseExpressions(input);
  let keyConditions: ConditionMap = input.KeyConditions;
  if (parsed.keyCondition) {
    const converted = keyConditionsFromExpression(parsed.keyCondition);
    if (typeof converted === 'string') throw validationError(converted);
    keyConditions = converted;
  }
  orThrow(checkConditionMap(keyConditions));
  orThrow(checkKeyConditionCount(keyConditions));
  return {
    keyConditions,
    filter: parsed.filter ?? (input.QueryFilter ? filterCondition(input.QueryFilter, input.ConditionalOperator) : undefined),
    projection: parsed.projection ?? (input.AttributesToGet ? attributesToGetProjection(input.AttributesToGet) : undefined),
  };
}

function prepareScan(input: Input): Prepared {
  orThrow(checkExpressionParameters(input, ['ProjectionExpression', 'FilterExpression'], ['AttributesToGet', 'ScanFilter', 'ConditionalOperator']));
  orThrow(checkAttributesToGet(input.AttributesToGet));
  orThrow(checkConditionMap(input.ScanFilter));
  checkStartKeyValues(input.ExclusiveStartKey);
  if (input.Segment && input.TotalSegments == null) {
    throw validationError('The TotalSegments parameter is required but was not present in the request when Segment parameter is present');
  }
  if (input.TotalSegments) {
    if (input.Segment == null) {
      throw validationError('The Segment parameter is required but was not present in the request when parameter TotalSegments is present');
    }
    if (input.Segment >= input.TotalSegments) {
      throw validationError(
        `The Segment parameter is zero-based and must be less than parameter TotalSegments: Segment: ${input.Segment} is not less than TotalSegments: ${input.TotalSegments}`,
      );
    }
  }
  const parsed = parseExpressions(input);
  return {
    filter: parsed.filter ?? (input.ScanFilter ? filterCondition(input.ScanFilter, input.ConditionalOperator) : undefined),
    projection: parsed.projection ?? (input.AttributesToGet ? attributesToGetProjection(input.AttributesToGet) : undefined),
  };
}

/** Runs the page read and shapes the response. */
async function readAndRespond(deps: DynamoDeps, ctx: CallContext, input: Input, t: Target, prepared: Prepared, request: PageRequest): Promise<Input> {
  const { model, index } = t;
  const page = await deps.store.readPage(tableId(ctx, model.record.name), request);
  const consistent = input.ConsistentRead === true;
  const countOnly = input.Select === 'COUNT';
  // What each item looks like as read: a global index holds its projection; a local index fetches the rest.
  const asRead = (item: Item): Item => (index && index.global ? projectForIndex(index, item) : item);
  const defaultView = (item: Item): Item => {
    if (!index || t.fetchFromTable || index.projection === 'ALL') return item;
    if (prepared.projection) return item;
    return projectForIndex(index, item);
  };
  const items: Item[] = [];
  let scannedBytes = 0;
  let tableBytes = 0;
  for (const full of page.items) {
    const read = asRead(full);
    if (wantsCapacity(input.ReturnConsumedCapacity)) {
      const indexed = index ? projectForIndex(index, full) : full;
      scannedBytes += itemSize(indexed);
      if (index && !index.global && (t.fetchFromTable || prepared.projection) && index.projection !== 'ALL') tableBytes += itemSize(full);
    }
    if (prepared.filter && !evaluateCondition(prepared.filter.condition, read)) continue;
    if (countOnly) {
      items.push(read);
      continue;
    }
    const view = defaultView(read);
    items.push(prepared.projection ? project(view, prepared.projection.paths) : view);
  }
  const out: Input = { Count: items.length, ScannedCount: page.items.length };
  if (!countOnly) out.Items = items;
  if (page.truncated && page.items.length > 0) {
    const last = page.items[page.items.length - 1];
    const key: Item = {};
    for (const name of t.startKeyNames) if (Object.prototype.hasOwnProperty.call(last, name)) key[name] = last[name];
    out.LastEvaluatedKey = key;
  }
  if (wantsCapacity(input.ReturnConsumedCapacity)) {
    const units = (bytes: number) => Math.ceil(bytes / 4096) * (consistent ? 1 : 0.5);
    const consumed = index
      ? capacity(input.ReturnConsumedCapacity, model.record.name, units(tableBytes), [{ index, units: units(scannedBytes) }])
      : capacity(input.ReturnConsumedCapacity, model.record.name, units(scannedBytes));
    out.ConsumedCapacity = consumed;
  }
  return out;
}

export function queryScanOperations(deps: DynamoDeps): Record<string, Handler> {
  return {
    async Query(input: Input, ctx: CallContext) {
      validate(shapes.Query, input);
      const prepared = prepareQuery(input);
      const model = await requireTable(deps, ctx, input.TableName);
      const t = target(model, input);
      const startKey: AttributeMap | undefined = input.ExclusiveStartKey;
      if (startKey && Object.keys(startKey).length !== t.startKeyNames.length) throw validationError('The provided starting key is invalid');
      const conditions = prepared.keyConditions!;
      const query = resolveKeyQuery(conditions, t.keys as KeyAttribute[], (key, isPartitionKey) => {
        if (!startKey) return;
        const problem = startKeyPieceProblem(startKey, key as KeyDef, isPartitionKey);
        if (problem !== undefined) throw validationError(problem);
      });
      if (startKey) {
        checkTableStartKey(model, startKey);
        const hashName = t.keys[0].name;
        const rangeKey = t.keys[1];
        const sameHash = valuesEqual(startKey[hashName], query.partition.value);
        if (!rangeKey || !query.sort) {
          if (!sameHash) throw validationError('The provided starting key is outside query boundaries based on provided conditions');
        } else {
          if (!matchesSortKeyCondition(startKey[rangeKey.name], query.sort)) {
            throw validationError('The provided starting key does not match the range key predicate');
          }
          if (!sameHash) throw validationError('The query can return at most one row and cannot be restarted');
        }
      }
      checkKeyPaths(model, prepared.projection?.nestedPathHeads);
      if (prepared.filter) {
        const parameter = input.QueryFilter ? 'QueryFilter' : 'Filter Expression';
        orThrow(checkFilterAvoidsKeys(prepared.filter.pathHeads, t.keys as KeyAttribute[], parameter));
      }
      if (t.fetchFromTable && t.index?.global) {
        throw validationError(
          `One or more parameter values were invalid: Select type ALL_ATTRIBUTES is not supported for global secondary index ${t.index.name} because its projection type is not ALL`,
        );
      }
      checkKeyPaths(model, prepared.filter?.nestedPathHeads);
      return readAndRespond(deps, ctx, input, t, prepared, {
        index: t.index?.name,
        partition: query.partition.value,
        sort: query.sort,
        exclusiveStart: startKey,
        forward: input.ScanIndexForward !== false,
        limit: input.Limit,
      });
    },

    async Scan(input: Input, ctx: CallContext) {
      validate(shapes.Scan, input);
      const prepared = prepareScan(input);
      const model = await requireTable(deps, ctx, input.TableName);
      const t = target(model, input);
      const startKey: AttributeMap | undefined = input.ExclusiveStartKey;
      if (startKey && Object.keys(startKey).length !== t.startKeyNames.length) {
        throw validationError(t.index ? 'The provided starting key is invalid' : 'The provided starting key is invalid: The provided key element does not match the schema');
      }
      if (t.index && startKey) {
        t.keys.forEach((key, i) => {
          const problem = startKeyPieceProblem(startKey, key, i === 0);
          if (problem !== undefined) throw validationError(problem);
        });
      }
      if (t.fetchFromTable && t.index?.global) {
        throw validationError(
          `One or more parameter values were invalid: Select type ALL_ATTRIBUTES is not supported for global secondary index ${t.index.name} because its projection type is not ALL`,
        );
      }
      if (startKey) checkTableStartKey(model, startKey);
      const buckets = input.TotalSegments > 1 ? segmentBuckets(input.Segment, input.TotalSegments) : undefined;
      if (startKey && buckets) {
        const hash = t.keys[0];
        const bucket = bucketOf(hashPrefix(startKey[hash.name], hash.type));
        if (bucket < buckets.first || bucket > buckets.last) {
          throw validationError(
            'The provided starting key is invalid: Invalid ExclusiveStartKey. Please use ExclusiveStartKey with correct Segment. ' +
              `TotalSegments: ${input.TotalSegments} Segment: ${input.Segment}`,
          );
        }
      }
      checkKeyPaths(model, prepared.projection?.nestedPathHeads);
      checkKeyPaths(model, prepared.filter?.nestedPathHeads);
      return readAndRespond(deps, ctx, input, t, prepared, {
        index: t.index?.name,
        buckets,
        exclusiveStart: startKey,
        forward: true,
        limit: input.Limit,
      });
    },
  };
}
