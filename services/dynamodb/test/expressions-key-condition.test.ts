import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  checkConditionMap,
  checkKeyConditionCount,
  keyConditionsFromExpression,
  matchesSortKeyCondition,
  parseExpressions,
  resolveKeyQuery,
  type AttributeValue,
  type ConditionMap,
  type KeyAttribute,
} from '../src/index.js';

/** Runs a KeyConditionExpression through the steps Query takes, up to the key schema. */
function keyConditions(expression: string, values?: Record<string, AttributeValue>): ConditionMap | string {
  let parsed;
  try {
    parsed = parseExpressions({ KeyConditionExpression: expression, ExpressionAttributeValues: values });
  } catch (error) {
    return (error as Error).message;
  }
  const conditions = keyConditionsFromExpression(parsed.keyCondition!);
  if (typeof conditions === 'string') return conditions;
  return checkConditionMap(conditions) ?? checkKeyConditionCount(conditions) ?? conditions;
}

function queryError(conditions: ConditionMap, schema: KeyAttribute[]): string {
  try {
    resolveKeyQuery(conditions, schema);
  } catch (error) {
    return (error as Error).message;
  }
  assert.fail('no error');
}

const hashTable: KeyAttribute[] = [{ name: 'a', type: 'S' }];
const rangeTable: KeyAttribute[] = [
  { name: 'a', type: 'S' },
  { name: 'b', type: 'S' },
];

describe('keyConditionsFromExpression (dynalite query validations)', () => {
  it('refuses operators a key condition cannot use', () => {
    const cases: Array<[string, string]> = [
      ['a > b and size(b) > c or a > c', 'OR'],
      ['a in (b, size(c), d)', 'IN'],
      ['attribute_exists(a)', 'attribute_exists'],
      ['attribute_not_exists(a)', 'attribute_not_exists'],
      ['contains(a.d, b)', 'contains'],
      ['not a > b', 'NOT'],
      ['a <> b', '<>'],
    ];
    for (const [expression, operator] of cases) {
      assert.equal(keyConditions(expression), `Invalid operator used in KeyConditionExpression: ${operator}`, expression);
    }
    assert.equal(keyConditions('attribute_type(a, :a)', { ':a': { S: 'S' } }), 'Invalid operator used in KeyConditionExpression: attribute_type');
  });

  it('wants the key attribute first in BETWEEN and begins_with', () => {
    const values = { ':a': { S: '1' }, ':b': { S: '1' } };
    assert.equal(
      keyConditions(':a between size(b) and size(a) and b > :b', values),
      'Invalid condition in KeyConditionExpression: BETWEEN operator must have the key attribute as its first operand',
    );
    assert.equal(
      keyConditions('begins_with(:a, b) and a > :b', values),
      'Invalid condition in KeyConditionExpression: begins_with operator must have the key attribute as its first operand',
    );
  });

  it('refuses nested operations, several names, nested attributes and no name', () => {
    for (const expression of ['size(b) > a AND a.b > b AND b > c', 'a > size(b.d)', 'a between size(b) and size(a)']) {
      assert.equal(keyConditions(expression), 'KeyConditionExpressions cannot contain nested operations', expression);
    }
    for (const expression of ['b > a.b', 'b between c[1] and d', 'a between b and size(a)', 'begins_with(a, b)']) {
      assert.equal(keyConditions(expression), 'Invalid condition in KeyConditionExpression: Multiple attribute names used in one condition', expression);
    }
    for (const expression of ['b.d > a AND c.d > e.f', 'a.d > c', 'b[0] > a']) {
      assert.equal(keyConditions(expression), 'KeyConditionExpressions cannot have conditions on nested attributes', expression);
    }
    const numbers = { ':a': { N: '1' }, ':b': { N: '1' } };
    for (const expression of [':b > :a AND a < :b', ':a > b AND :a < :b']) {
      assert.equal(keyConditions(expression, numbers), 'Invalid condition in KeyConditionExpression: No key attribute specified', expression);
    }
  });

  it('allows one condition per key, and one or two keys', () => {
    const value = { ':a': { N: '1' } };
    for (const expression of ['b > :a AND b < :a and c = :a and d = :a', '(a > :a and b > :a) and (b > :a and c > :a)']) {
      assert.equal(keyConditions(expression, value), 'KeyConditionExpressions must only contain one condition per key', expression);
    }
    const s = { ':a': { S: 'a' } };
    assert.equal(keyConditions(':a = a and b = :a and :a = c', s), 'Conditions can be of length 1 or 2 only');
    assert.equal(keyConditions('(a > :a and b > :a) and (c > :a and d > :a) and (e > :a and f > :a)', s), 'Conditions can be of length 1 or 2 only');
  });

  it('converts to KeyConditions, mirroring comparisons written value first', () => {
    assert.deepEqual(keyConditions(':v <= b AND a = :w', { ':v': { N: '1' }, ':w': { S: 'x' } }), {
      b: { ComparisonOperator: 'GE', AttributeValueList: [{ N: '1' }] },
      a: { ComparisonOperator: 'EQ', AttributeValueList: [{ S: 'x' }] },
    });
    assert.deepEqual(keyConditions('a = :w AND b BETWEEN :v AND :x', { ':v': { N: '1' }, ':w': { S: 'x' }, ':x': { N: '2' } }), {
      a: { ComparisonOperator: 'EQ', AttributeValueList: [{ S: 'x' }] },
      b: { ComparisonOperator: 'BETWEEN', AttributeValueList: [{ N: '1' }, { N: '2' }] },
    });
    assert.deepEqual(keyConditions('begins_with(b, :v)', { ':v': { S: 'p' } }), { b: { ComparisonOperator: 'BEGINS_WITH', AttributeValueList: [{ S: 'p' }] } });
  });

  it('checks value types like KeyConditions', () => {
    assert.equal(
      keyConditions('a = :v', { ':v': { BOOL: true } }),
      'One or more parameter values were invalid: ComparisonOperator EQ is not valid for BOOL AttributeValue type',
    );
  });
});

describe('resolveKeyQuery', () => {
  const eq = (value: AttributeValue) => ({ ComparisonOperator: 'EQ' as const, AttributeValueList: [value] });

  it('returns the partition and the sort key condition', () => {
    assert.deepEqual(resolveKeyQuery({ a: eq({ S: 'x' }), b: { ComparisonOperator: 'GT', AttributeValueList: [{ S: 'm' }] } }, rangeTable), {
      partition: { name: 'a', value: { S: 'x' } },
      sort: { name: 'b', operator: 'GT', values: [{ S: 'm' }] },
    });
    assert.deepEqual(resolveKeyQuery({ a: eq({ S: 'x' }) }, rangeTable), { partition: { name: 'a', value: { S: 'x' } } });
  });

  it('gives the AWS messages for conditions the schema does not support', () => {
    assert.equal(queryError({ a: eq({ S: 'a' }), b: eq({ S: 'a' }) }, hashTable), 'Query key condition not supported');
    assert.equal(queryError({ a: { ComparisonOperator: 'LT', AttributeValueList: [{ S: 'a' }] } }, hashTable), 'Query key condition not supported');
    assert.equal(queryError({ z: { ComparisonOperator: 'NULL' } }, rangeTable), 'Query condition missed key schema element: a');
    assert.equal(queryError({ a: eq({ S: 'b' }), c: { ComparisonOperator: 'NULL' } }, rangeTable), 'Query condition missed key schema element: b');
    for (const operator of ['NULL', 'NOT_NULL', 'NE', 'CONTAINS', 'NOT_CONTAINS', 'IN'] as const) {
      const values = operator === 'NULL' || operator === 'NOT_NULL' ? [] : [{ S: 'a' }];
      assert.equal(queryError({ a: { ComparisonOperator: operator, AttributeValueList: values } }, hashTable), 'Attempted conditional constraint is not an indexable operation');
    }
    assert.equal(
      queryError({ a: eq({ N: '1' }) }, hashTable),
      'One or more parameter values were invalid: Condition parameter type does not match schema type',
    );
  });

  it('calls the per-key hook before checking each key', () => {
    const seen: string[] = [];
    resolveKeyQuery({ a: eq({ S: 'x' }) }, rangeTable, (key, isPartitionKey) => seen.push(`${key.name}:${isPartitionKey}`));
    assert.deepEqual(seen, ['a:true', 'b:false']);
  });
});

describe('matchesSortKeyCondition', () => {
  it('tests a sort key value', () => {
    const condition = (operator: 'EQ' | 'LT' | 'LE' | 'GT' | 'GE' | 'BETWEEN' | 'BEGINS_WITH', ...values: AttributeValue[]) => ({ name: 'b', operator, values });
    assert.ok(matchesSortKeyCondition({ N: '10' }, condition('GT', { N: '9' })));
    assert.ok(!matchesSortKeyCondition({ S: '10' }, condition('GT', { S: '9' })));
    assert.ok(matchesSortKeyCondition({ N: '5' }, condition('BETWEEN', { N: '5' }, { N: '6' })));
    assert.ok(matchesSortKeyCondition({ S: 'prefix-1' }, condition('BEGINS_WITH', { S: 'prefix' })));
    assert.ok(matchesSortKeyCondition({ B: 'AQID' }, condition('BEGINS_WITH', { B: 'AQI=' })));
    assert.ok(matchesSortKeyCondition({ S: 'a' }, condition('EQ', { S: 'a' })));
    assert.ok(matchesSortKeyCondition({ S: 'a' }, condition('LE', { S: 'a' })));
    assert.ok(!matchesSortKeyCondition({ S: 'a' }, condition('LT', { S: 'a' })));
    assert.ok(!matchesSortKeyCondition(undefined, condition('GE', { S: 'a' })));
  });
});
