import type { AttributeValue, ScalarType } from '../values/attribute-value.js';
import { base64ByteLength, compareScalars } from '../values/compare.js';
import { validationError } from '../values/validation-error.js';
import type { Condition, Operand, ParsedCondition } from './condition.js';
import type { ComparisonOperator, LegacyCondition } from './legacy/comparison.js';
import type { ConditionMap } from './legacy/conditions.js';

/**
 * Query's key condition, from a KeyConditionExpression or from legacy KeyConditions: one equality on
 * the partition key, and optionally one of =, <, <=, >, >=, BETWEEN, begins_with on the sort key,
 * joined by AND. The expression is first converted to the legacy map (as AWS does, with the messages
 * it gives for what a key condition may not contain), so both forms are checked alike afterwards.
 */

const OPERATORS: Readonly<Record<string, ComparisonOperator>> = { '=': 'EQ', '<': 'LT', '<=': 'LE', '>': 'GT', '>=': 'GE' };
/** The operator seen from the other side: `:v < a` is `a > :v`. */
const MIRRORED: Readonly<Record<string, string>> = { '=': '=', '<': '>', '<=': '>=', '>': '<', '>=': '<=' };

const KEY_CONDITION = 'KeyConditionExpression';

/** Converts a checked KeyConditionExpression to KeyConditions; returns a message for what it may not contain. */
export function keyConditionsFromExpression(parsed: ParsedCondition): ConditionMap | string {
  const conditions: ConditionMap = {};
  const message = collect(parsed.condition, conditions);
  return message ?? conditions;
}

function collect(condition: Condition, conditions: ConditionMap): string | undefined {
  switch (condition.kind) {
    case 'or':
    case 'not':
    case 'in':
      return `Invalid operator used in ${KEY_CONDITION}: ${condition.kind.toUpperCase()}`;
    case 'attribute_exists':
    case 'attribute_not_exists':
    case 'attribute_type':
    case 'contains':
      return `Invalid operator used in ${KEY_CONDITION}: ${condition.kind}`;
    case 'and':
      return collect(condition.left, conditions) ?? collect(condition.right, conditions);
    case 'compare':
      if (condition.operator === '<>') return `Invalid operator used in ${KEY_CONDITION}: <>`;
      return keyCondition(condition.operator, [condition.left, condition.right], conditions);
    case 'between':
      if (condition.operand.kind !== 'path') return firstOperandMessage('BETWEEN');
      return keyCondition('BETWEEN', [condition.operand, condition.lower, condition.upper], conditions);
    case 'begins_with':
      if (condition.operand.kind !== 'path') return firstOperandMessage('begins_with');
      return keyCondition('BEGINS_WITH', [condition.operand, condition.prefix], conditions);
  }
}

function firstOperandMessage(operator: string): string {
  return `Invalid condition in ${KEY_CONDITION}: ${operator} operator must have the key attribute as its first operand`;
}

function keyCondition(operator: string, operands: Operand[], conditions: ConditionMap): string | undefined {
  let attribute: string | undefined;
  let attributeIndex = 0;
  const values: AttributeValue[] = [];
  for (let i = 0; i < operands.length; i++) {
    const operand = operands[i];
    if (operand.kind === 'size') return 'KeyConditionExpressions cannot contain nested operations';
    if (operand.kind === 'value') {
      values.push(operand.value);
      continue;
    }
    if (attribute !== undefined) return `Invalid condition in ${KEY_CONDITION}: Multiple attribute names used in one condition`;
    if (operand.path.length > 1) return 'KeyConditionExpressions cannot have conditions on nested attributes';
    attribute = operand.path[0] as string;
    attributeIndex = i;
  }
  if (attribute === undefined) return `Invalid condition in ${KEY_CONDITION}: No key attribute specified`;
  if (Object.prototype.hasOwnProperty.call(conditions, attribute)) return 'KeyConditionExpressions must only contain one condition per key';
  const comparison = OPERATORS[attributeIndex === 0 ? operator : MIRRORED[operator]] ?? (operator as ComparisonOperator);
  conditions[attribute] = { ComparisonOperator: comparison, AttributeValueList: values };
  return undefined;
}

/** A Query may name one or two key attributes. */
export function checkKeyConditionCount(conditions: ConditionMap): string | undefined {
  const count = Object.keys(conditions).length;
  return count === 1 || count === 2 ? undefined : 'Conditions can be of length 1 or 2 only';
}

/** A key attribute of a table or index, with its type from AttributeDefinitions. */
export interface KeyAttribute {
  name: string;
  type: ScalarType;
}

export type SortKeyOperator = 'EQ' | 'LT' | 'LE' | 'GT' | 'GE' | 'BETWEEN' | 'BEGINS_WITH';

export interface SortKeyCondition {
  name: string;
  operator: SortKeyOperator;
  values: AttributeValue[];
}

/** What a Query reads: one partition, optionally narrowed on the sort key. */
export interface KeyQuery {
  partition: { name: string; value: AttributeValue };
  sort?: SortKeyCondition;
}

const NOT_INDEXABLE: ReadonlySet<string> = new Set(['NULL', 'NOT_NULL', 'NE', 'CONTAINS', 'NOT_CONTAINS', 'IN']);

/**
 * Checks checked KeyConditions against the key schema of the table or index queried (partition key
 * first), key by key, and returns what to read. `beforeKey` runs first for each key attribute, where
 * Query makes its ExclusiveStartKey checks. Throws the ValidationException AWS gives.
 */
export function resolveKeyQuery(
  conditions: ConditionMap,
  keySchema: readonly KeyAttribute[],
  beforeKey?: (key: KeyAttribute, isPartitionKey: boolean) => void,
): KeyQuery {
  const count = Object.keys(conditions).length;
  const query: Partial<KeyQuery> = {};
  keySchema.forEach((key, index) => {
    const isPartitionKey = index === 0;
    beforeKey?.(key, isPartitionKey);
    if (isPartitionKey && keySchema.length === 1 && count > 1) throw validationError('Query key condition not supported');
    const condition: LegacyCondition | undefined = Object.prototype.hasOwnProperty.call(conditions, key.name) ? conditions[key.name] : undefined;
    if (condition === undefined) {
      if (isPartitionKey || count > 1) throw validationError(`Query condition missed key schema element: ${key.name}`);
      return;
    }
    const operator = condition.ComparisonOperator;
    const values = condition.AttributeValueList ?? [];
    if (NOT_INDEXABLE.has(operator)) throw validationError('Attempted conditional constraint is not an indexable operation');
    if (values.some((value) => value[key.type] === undefined)) {
      throw validationError('One or more parameter values were invalid: Condition parameter type does not match schema type');
    }
    if (isPartitionKey) {
      if (operator !== 'EQ') throw validationError('Query key condition not supported');
      query.partition = { name: key.name, value: values[0] };
    } else {
      query.sort = { name: key.name, operator: operator as SortKeyOperator, values };
    }
  });
  return query as KeyQuery;
}

/** Whether a sort key value satisfies the sort key condition. */
export function matchesSortKeyCondition(value: AttributeValue | undefined, condition: SortKeyCondition): boolean {
  if (value === undefined) return false;
  const [first, second] = condition.values;
  if (condition.operator === 'BEGINS_WITH') {
    if (value.S !== undefined && first.S !== undefined) return value.S.startsWith(first.S);
    if (value.B !== undefined && first.B !== undefined) {
      const bytes = Buffer.from(value.B, 'base64');
      return bytes.subarray(0, base64ByteLength(first.B)).equals(Buffer.from(first.B, 'base64'));
    }
    return false;
  }
  const order = compareScalars(value, first);
  if (order === undefined) return false;
  switch (condition.operator) {
    case 'EQ':
      return order === 0;
    case 'LT':
      return order < 0;
    case 'LE':
      return order <= 0;
    case 'GT':
      return order > 0;
    case 'GE':
      return order >= 0;
    case 'BETWEEN': {
      const upper = compareScalars(value, second);
      return order >= 0 && upper !== undefined && upper <= 0;
    }
  }
}
