import { applyUpdate, checkUpdatedIndexKeys, itemSize, MAX_ITEM_SIZE, typeOf, type UpdatePlan } from './core.js';
import type { KeyDef, TableModel } from './model.js';
import type { AttributeMap, AttributeValue, Item } from './values/attribute-value.js';
import { base64ByteLength } from './values/compare.js';
import { validationError } from './values/validation-error.js';

/**
 * What DynamoDB checks of items and keys once the table is known, with its messages. Pure functions
 * of the table model: operations call them before a write, and stores call finishUpdate inside the
 * write step, where the item an update produces is first known.
 */

const hasOwn = Object.prototype.hasOwnProperty;

function attribute(map: AttributeMap, name: string): AttributeValue | undefined {
  return hasOwn.call(map, name) ? map[name] : undefined;
}

const MAX_PARTITION_KEY_BYTES = 2048;
const MAX_SORT_KEY_BYTES = 1024;

function keyValueBytes(value: AttributeValue, key: KeyDef): number {
  if (key.type === 'S') return Buffer.byteLength(value.S!, 'utf8');
  if (key.type === 'B') return base64ByteLength(value.B!);
  return 0;
}

function keySizeMessage(value: AttributeValue, key: KeyDef, isPartitionKey: boolean): string | undefined {
  const bytes = keyValueBytes(value, key);
  if (isPartitionKey && bytes > MAX_PARTITION_KEY_BYTES) {
    return 'One or more parameter values were invalid: Size of hashkey has exceeded the maximum size limit of2048 bytes';
  }
  if (!isPartitionKey && bytes > MAX_SORT_KEY_BYTES) {
    return 'One or more parameter values were invalid: Aggregated size of all range keys has exceeded the size limit of 1024 bytes';
  }
  return undefined;
}

function isEmptyKeyValue(value: AttributeValue, key: KeyDef): boolean {
  return (key.type === 'S' && value.S === '') || (key.type === 'B' && value.B === '');
}

/** PutItem's (and BatchWriteItem's, TransactWriteItems') checks of an item's key attributes and index keys. */
export function itemProblem(model: TableModel, item: Item): string | undefined {
  for (let i = 0; i < model.keys.length; i++) {
    const key = model.keys[i] as KeyDef;
    const value = attribute(item, key.name);
    if (value === undefined) return `One or more parameter values were invalid: Missing the key ${key.name} in the item`;
    if (value[key.type] === undefined) {
      return `One or more parameter values were invalid: Type mismatch for key ${key.name} expected: ${key.type} actual: ${typeOf(value)}`;
    }
    if (isEmptyKeyValue(value, key)) {
      return (
        'One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty ' +
        `${key.type === 'S' ? 'string' : 'binary'} value. Key: ${key.name}`
      );
    }
    const size = keySizeMessage(value, key, i === 0);
    if (size !== undefined) return size;
  }
  return indexKeyProblem(model, item);
}

/** Index key attributes an item has must have the index's key type, and not be empty. */
export function indexKeyProblem(model: TableModel, item: Item): string | undefined {
  for (const key of model.indexKeys) {
    const value = attribute(item, key.name);
    if (value === undefined) continue;
    if (value[key.type] === undefined) {
      return `One or more parameter values were invalid: Type mismatch for Index Key ${key.name} Expected: ${key.type} Actual: ${typeOf(value)} IndexName: ${key.indexName}`;
    }
  }
  for (const key of model.indexKeys) {
    const value = attribute(item, key.name);
    if (value !== undefined && isEmptyKeyValue(value, key)) {
      return (
        'One or more parameter values are not valid. A value specified for a secondary index key is not supported. ' +
        `The AttributeValue for a key attribute cannot contain an empty ${key.type === 'S' ? 'string' : 'binary'} value. ` +
        `IndexName: ${key.indexName}, IndexKey: ${key.name}`
      );
    }
  }
  return undefined;
}

/**
 * A Key parameter against the table's key schema: exactly the key attributes, of the right types,
 * not empty, within the size limits.
 */
export function keyProblem(model: TableModel, key: AttributeMap, keys: readonly KeyDef[] = model.keys as KeyDef[]): string | undefined {
  let count = 0;
  for (const _ in key) count++;
  if (count !== keys.length) return 'The provided key element does not match the schema';
  for (let i = 0; i < keys.length; i++) {
    const problem = keyPieceProblem(attribute(key, keys[i].name), keys[i], i === 0);
    if (problem !== undefined) return problem;
  }
  return undefined;
}

/** One key attribute's value against its definition. */
export function keyPieceProblem(value: AttributeValue | undefined, def: KeyDef, isPartitionKey: boolean): string | undefined {
  if (value === undefined || value[def.type] === undefined) return 'The provided key element does not match the schema';
  if (isEmptyKeyValue(value, def)) {
    return (
      'One or more parameter values were invalid: The AttributeValue for a key attribute cannot contain an empty ' +
      `${def.type === 'S' ? 'string' : 'binary'} value. Key: ${def.name}`
    );
  }
  return keySizeMessage(value, def, isPartitionKey);
}

export function checkKey(model: TableModel, key: AttributeMap): void {
  const problem = keyProblem(model, key);
  if (problem !== undefined) throw validationError(problem);
}

export function checkItem(model: TableModel, item: Item): void {
  const problem = itemProblem(model, item);
  if (problem !== undefined) throw validationError(problem);
}

export function checkItemSize(item: Item): void {
  if (itemSize(item) > MAX_ITEM_SIZE) throw validationError('Item size has exceeded the maximum allowed size');
}

/**
 * The item an update produces from `old` (or from the key when there is none), checked as DynamoDB
 * checks it: index keys of the right type, within the item size limit. Throws the ValidationException.
 */
export function finishUpdate(model: TableModel, key: Item, old: Item | undefined, plan: UpdatePlan): Item {
  const updated = applyUpdate(old ?? key, plan);
  const indexMessage = checkUpdatedIndexKeys(plan, updated, model.indexKeys);
  if (indexMessage !== undefined) throw validationError(indexMessage);
  if (itemSize(updated) > MAX_ITEM_SIZE) throw validationError('Item size to update has exceeded the maximum allowed size');
  const emptyIndexKey = indexKeyProblem(model, updated);
  if (emptyIndexKey !== undefined) throw validationError(emptyIndexKey);
  return updated;
}
