import type { CallContext, Handler } from '@stratus/shared';
import {
  attributesToGetProjection,
  checkAttributesToGet,
  checkExpressionParameters,
  itemSize,
  MAX_ITEM_SIZE,
  parseExpressions,
  project,
  validateAttributeMap,
  type ParsedProjection,
} from '../core.js';
import { validationError } from '../errors.js';
import { itemProblem, keyProblem } from '../item-rules.js';
import { keyComponent } from '../keys.js';
import { keyOf, type TableModel } from '../model.js';
import type { Item } from '../values/attribute-value.js';
import * as shapes from '../validation/shapes.js';
import { checkProjectionForTable } from './items.js';
import { capacity, orThrow, readUnits, requireTable, tableId, validate, wantsCapacity, writeUnits, type DynamoDeps, type Input } from './support.js';

/**
 * BatchGetItem (up to 100 keys, responses up to 16 MB, the rest UnprocessedKeys) and BatchWriteItem
 * (up to 25 puts and deletes, each its own atomic step). A key may appear once per table in a batch.
 */

const MAX_GET_KEYS = 100;
/** Items beyond about 1 MB of response go back as UnprocessedKeys (as AWS answers in practice). */
const MAX_RESPONSE_BYTES = 1024 * 1024 + MAX_ITEM_SIZE - 3;

/** A string equal for equal keys whatever the table (attribute names sorted, values canonical). */
function keyFingerprint(key: Item): string {
  return Object.keys(key)
    .sort()
    .map((name) => {
      const value = key[name];
      const type = value.S !== undefined ? 'S' : value.N !== undefined ? 'N' : value.B !== undefined ? 'B' : undefined;
      return `${name}\u0000${type ?? JSON.stringify(value)}\u0000${type ? keyComponent(value, type) : ''}`;
    })
    .join('\u0001');
}

function tableKeyFingerprint(model: TableModel, item: Item): string {
  return keyFingerprint(keyOf(model, item));
}

export function batchOperations(deps: DynamoDeps): Record<string, Handler> {
  const { store, clock } = deps;

  return {
    async BatchGetItem(input: Input, ctx: CallContext) {
      validate(shapes.BatchGetItem, input);
      const requestItems = input.RequestItems as Record<string, Input>;
      const projections = new Map<string, ParsedProjection | undefined>();
      let count = 0;
      for (const [table, request] of Object.entries(requestItems)) {
        orThrow(checkExpressionParameters(request, ['ProjectionExpression'], ['AttributesToGet']));
        orThrow(checkAttributesToGet(request.AttributesToGet));
        const parsed = parseExpressions(request);
        projections.set(table, parsed.projection ?? (request.AttributesToGet ? attributesToGetProjection(request.AttributesToGet) : undefined));
        const seen = new Set<string>();
        for (const key of request.Keys as Item[]) {
          const message = validateAttributeMap(key);
          if (message !== undefined) throw validationError(message);
          const fingerprint = keyFingerprint(key);
          if (seen.has(fingerprint)) throw validationError('Provided list of item keys contains duplicates');
          seen.add(fingerprint);
          if (++count > MAX_GET_KEYS) throw validationError('Too many items requested for the BatchGetItem call');
        }
      }
      const models = new Map<string, TableModel>();
      for (const [table, request] of Object.entries(requestItems)) {
        const model = await requireTable(deps, ctx, table);
        for (const key of request.Keys as Item[]) orThrow(keyProblem(model, key));
        checkProjectionForTable(model, projections.get(table));
        models.set(table, model);
      }
      const responses: Record<string, Item[]> = {};
      const unprocessed: Record<string, Input> = {};
      const units = new Map<string, number>();
      let bytes = 0;
      for (const [table, request] of Object.entries(requestItems)) {
        const model = models.get(table)!;
        const projection = projections.get(table);
        const found: Item[] = [];
        for (const key of request.Keys as Item[]) {
          const item = await store.getItem(tableId(ctx, model.record.name), key);
          if (item) {
            const size = itemSize(item);
            if (bytes + size > MAX_RESPONSE_BYTES) {
              const pending = (unprocessed[table] ??= unprocessedEntry(request));
              (pending.Keys as Item[]).push(key);
              // A key left unprocessed still costs a read unit.
              if (wantsCapacity(input.ReturnConsumedCapacity)) units.set(table, (units.get(table) ?? 0) + 1);
              continue;
            }
            bytes += size;
            found.push(projection ? project(item, projection.paths) : item);
          }
          if (wantsCapacity(input.ReturnConsumedCapacity)) units.set(table, (units.get(table) ?? 0) + readUnits(item, request.ConsistentRead === true));
        }
        responses[table] = found;
      }
      const out: Input = { Responses: responses, UnprocessedKeys: unprocessed };
      if (wantsCapacity(input.ReturnConsumedCapacity)) {
        out.ConsumedCapacity = [...models.keys()].map((table) => capacity(input.ReturnConsumedCapacity, table, units.get(table) ?? 0));
      }
      return out;
    },

    async BatchWriteItem(input: Input, ctx: CallContext) {
      validate(shapes.BatchWriteItem, input);
      const requestItems = input.RequestItems as Record<string, Input[]>;
      for (const requests of Object.values(requestItems)) {
        for (const request of requests) {
          const kinds = (request.PutRequest ? 1 : 0) + (request.DeleteRequest ? 1 : 0);
          if (kinds !== 1) {
            throw validationError('Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes');
          }
        }
        for (const request of requests) {
          const values = request.PutRequest ? request.PutRequest.Item : request.DeleteRequest.Key;
          const message = validateAttributeMap(values);
          if (message !== undefined) throw validationError(message);
          if (request.PutRequest && itemSize(request.PutRequest.Item) > MAX_ITEM_SIZE) {
            throw validationError('Item size has exceeded the maximum allowed size');
          }
        }
      }
      const models = new Map<string, TableModel>();
      for (const [table, requests] of Object.entries(requestItems)) {
        const model = await requireTable(deps, ctx, table);
        const seen = new Set<string>();
        for (const request of requests) {
          let fingerprint: string;
          if (request.PutRequest) {
            const problem = itemProblem(model, request.PutRequest.Item);
            if (problem !== undefined) {
              throw validationError(/Missing the key|Type mismatch for key/.test(problem) ? 'The provided key element does not match the schema' : problem);
            }
            fingerprint = tableKeyFingerprint(model, request.PutRequest.Item);
          } else {
            orThrow(keyProblem(model, request.DeleteRequest.Key));
            fingerprint = tableKeyFingerprint(model, request.DeleteRequest.Key);
          }
          if (seen.has(fingerprint)) throw validationError('Provided list of item keys contains duplicates');
          seen.add(fingerprint);
        }
        models.set(table, model);
      }
      const units = new Map<string, number>();
      for (const [table, requests] of Object.entries(requestItems)) {
        const model = models.get(table)!;
        const id = tableId(ctx, model.record.name);
        for (const request of requests) {
          const outcome = request.PutRequest
            ? await store.write(id, { kind: 'put', item: request.PutRequest.Item }, clock.now())
            : await store.write(id, { kind: 'delete', key: request.DeleteRequest.Key }, clock.now());
          if (wantsCapacity(input.ReturnConsumedCapacity)) units.set(table, (units.get(table) ?? 0) + writeUnits(outcome.old, outcome.new));
        }
      }
      const out: Input = { UnprocessedItems: {} };
      if (wantsCapacity(input.ReturnConsumedCapacity)) {
        out.ConsumedCapacity = [...models.keys()].map((table) => capacity(input.ReturnConsumedCapacity, table, units.get(table) ?? 0));
      }
      return out;
    },
  };
}

function unprocessedEntry(request: Input): Input {
  const entry: Input = { Keys: [] };
  if (request.AttributesToGet) entry.AttributesToGet = request.AttributesToGet;
  if (request.ProjectionExpression) entry.ProjectionExpression = request.ProjectionExpression;
  if (request.ExpressionAttributeNames) entry.ExpressionAttributeNames = request.ExpressionAttributeNames;
  if (request.ConsistentRead) entry.ConsistentRead = request.ConsistentRead;
  return entry;
}
