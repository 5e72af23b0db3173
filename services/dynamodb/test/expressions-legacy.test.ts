import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  checkAttributesToGet,
  checkAttributeUpdates,
  checkConditionMap,
  checkExpected,
  evaluateCondition,
  expectedCondition,
  filterCondition,
  type AttributeMap,
  type AttributeUpdates,
  type AttributeValue,
  type ComparisonOperator,
  type ConditionMap,
  type ExpectedMap,
} from '../src/index.js';

const INVALID = 'One or more parameter values were invalid: ';

describe('checkConditionMap (QueryFilter, ScanFilter, KeyConditions)', () => {
  it('validates the values first', () => {
    assert.equal(
      checkConditionMap({ a: { ComparisonOperator: 'EQ', AttributeValueList: [{} as AttributeValue, { S: '' }] } }),
      'Supplied AttributeValue is empty, must contain exactly one of the supported datatypes',
    );
    assert.equal(checkConditionMap({ a: { ComparisonOperator: 'EQ', AttributeValueList: [{ N: '1' }, { SS: [] }, {} as AttributeValue] } }), INVALID + 'An string set  may not be empty');
    assert.equal(checkConditionMap({ a: { ComparisonOperator: 'EQ', AttributeValueList: [{ N: '1' }, { N: '1e126' }] } }), 'Number overflow. Attempting to store a number with magnitude larger than supported range');
  });

  it('counts the values each operator takes', () => {
    const cases: Array<[ComparisonOperator, AttributeValue[] | undefined]> = [
      ['EQ', undefined],
      ['EQ', []],
      ['NE', undefined],
      ['LE', undefined],
      ['CONTAINS', undefined],
      ['BEGINS_WITH', undefined],
      ['IN', undefined],
      ['BETWEEN', undefined],
      ['NULL', [{ S: 'a' }]],
      ['NOT_NULL', [{ S: 'a' }]],
      ['EQ', [{ S: 'a' }, { S: 'a' }]],
      ['NOT_CONTAINS', [{ S: 'a' }, { S: 'a' }]],
      ['BETWEEN', [{ S: 'a' }, { S: 'a' }, { S: 'a' }]],
    ];
    for (const [operator, values] of cases) {
      assert.equal(
        checkConditionMap({ a: { ComparisonOperator: operator, AttributeValueList: values } }),
        INVALID + `Invalid number of argument(s) for the ${operator} ComparisonOperator`,
        `${operator} ${JSON.stringify(values)}`,
      );
    }
    assert.equal(checkConditionMap({ a: { ComparisonOperator: 'IN', AttributeValueList: [{ S: 'a' }, { S: 'b' }, { S: 'c' }] } }), undefined);
  });

  it('wants values of one type that the operator accepts', () => {
    assert.equal(checkConditionMap({ a: { ComparisonOperator: 'IN', AttributeValueList: [{ S: 'b' }, { N: '1' }] } }), INVALID + 'AttributeValues inside AttributeValueList must be of same type');
    const refused: Array<[ComparisonOperator, AttributeValue]> = [
      ['LT', { BOOL: true }],
      ['GE', { SS: ['a'] }],
      ['IN', { NULL: true }],
      ['CONTAINS', { NS: ['1'] }],
      ['NOT_CONTAINS', { L: [] }],
      ['BEGINS_WITH', { N: '1' }],
      ['EQ', { M: {} }],
      ['NE', { BOOL: false }],
    ];
    for (const [operator, value] of refused) {
      assert.equal(
        checkConditionMap({ a: { ComparisonOperator: operator, AttributeValueList: [value] } }),
        INVALID + `ComparisonOperator ${operator} is not valid for ${Object.keys(value)[0]} AttributeValue type`,
      );
    }
    assert.equal(checkConditionMap({ a: { ComparisonOperator: 'BETWEEN', AttributeValueList: [{ L: [] }, { L: [] }] } }), INVALID + 'ComparisonOperator BETWEEN is not valid for L AttributeValue type');
    assert.equal(checkConditionMap({ a: { ComparisonOperator: 'EQ', AttributeValueList: [{ SS: ['a'] }] } }), undefined);
    assert.equal(checkConditionMap({ a: { ComparisonOperator: 'BEGINS_WITH', AttributeValueList: [{ B: 'YQ==' }] } }), undefined);
  });

  it('wants BETWEEN bounds in order', () => {
    assert.equal(
      checkConditionMap({ a: { ComparisonOperator: 'BETWEEN', AttributeValueList: [{ S: 'b' }, { S: 'a' }] } }),
      'The BETWEEN condition was provided a range where the lower bound is greater than the upper bound',
    );
  });
});

describe('filterCondition', () => {
  const items: AttributeMap[] = [
    { a: { S: '1' }, b: { S: 'abdef' }, c: { N: '5' } },
    { a: { S: '2' }, b: { SS: ['abd', 'bde'] }, c: { N: '6' } },
    { a: { S: '3' }, c: { N: '7' } },
  ];
  const matching = (filter: ConditionMap, operator?: 'AND' | 'OR') => {
    const parsed = filterCondition(filter, operator)!;
    return items.filter((item) => evaluateCondition(parsed.condition, item)).map((item) => item.a.S);
  };

  it('joins the conditions with AND, or with OR', () => {
    const filter: ConditionMap = {
      b: { ComparisonOperator: 'CONTAINS', AttributeValueList: [{ S: 'bde' }] },
      c: { ComparisonOperator: 'GT', AttributeValueList: [{ N: '5' }] },
    };
    assert.deepEqual(matching(filter), ['2']);
    assert.deepEqual(matching(filter, 'OR'), ['1', '2', '3']);
  });

  it('maps every operator', () => {
    assert.deepEqual(matching({ b: { ComparisonOperator: 'NULL' } }), ['3']);
    assert.deepEqual(matching({ b: { ComparisonOperator: 'NOT_NULL' } }), ['1', '2']);
    assert.deepEqual(matching({ b: { ComparisonOperator: 'NOT_CONTAINS', AttributeValueList: [{ S: 'bde' }] } }), ['3']);
    assert.deepEqual(matching({ b: { ComparisonOperator: 'BEGINS_WITH', AttributeValueList: [{ S: 'abd' }] } }), ['1']);
    assert.deepEqual(matching({ c: { ComparisonOperator: 'BETWEEN', AttributeValueList: [{ N: '6' }, { N: '7' }] } }), ['2', '3']);
    assert.deepEqual(matching({ c: { ComparisonOperator: 'IN', AttributeValueList: [{ N: '5' }, { N: '7' }] } }), ['1', '3']);
    assert.deepEqual(matching({ c: { ComparisonOperator: 'NE', AttributeValueList: [{ N: '5' }] } }), ['2', '3']);
    assert.deepEqual(matching({ c: { ComparisonOperator: 'LE', AttributeValueList: [{ N: '6' }] } }), ['1', '2']);
    assert.deepEqual(matching({ b: { ComparisonOperator: 'EQ', AttributeValueList: [{ SS: ['bde', 'abd'] }] } }), ['2']);
  });

  it('records the attributes read and is undefined when empty', () => {
    assert.deepEqual([...filterCondition({ b: { ComparisonOperator: 'NULL' } })!.pathHeads], ['b']);
    assert.equal(filterCondition({}), undefined);
  });
});

describe('checkExpected (dynalite putItem validations)', () => {
  const cases: Array<[ExpectedMap, string]> = [
    [{ a: {} }, INVALID + 'Value must be provided when Exists is null for Attribute: a'],
    [{ a: { Exists: true } }, INVALID + 'Value must be provided when Exists is true for Attribute: a'],
    [{ a: { Exists: false, Value: { S: 'a' } } }, INVALID + 'Value cannot be used when Exists is false for Attribute: a'],
    [{ a: { ComparisonOperator: 'LT' } }, INVALID + 'Value or AttributeValueList must be used with ComparisonOperator: LT for Attribute: a'],
    [{ a: { Exists: true, ComparisonOperator: 'LT' } }, INVALID + 'Exists and ComparisonOperator cannot be used together for Attribute: a'],
    [{ a: { AttributeValueList: [{ S: 'a' }], Value: { S: 'a' }, ComparisonOperator: 'LT' } }, INVALID + 'Value and AttributeValueList cannot be used together for Attribute: a'],
    [{ a: { AttributeValueList: [{ S: 'a' }] } }, INVALID + 'AttributeValueList can only be used with a ComparisonOperator for Attribute: a'],
    [{ a: { Exists: true, AttributeValueList: [{ S: 'a' }] } }, INVALID + 'AttributeValueList can only be used with a ComparisonOperator for Attribute: a'],
    [{ a: { AttributeValueList: [], ComparisonOperator: 'EQ' } }, INVALID + 'Invalid number of argument(s) for the EQ ComparisonOperator'],
    [{ a: { AttributeValueList: [{ S: 'a' }], ComparisonOperator: 'NULL' } }, INVALID + 'Invalid number of argument(s) for the NULL ComparisonOperator'],
    [{ a: { AttributeValueList: [], ComparisonOperator: 'IN' } }, INVALID + 'Invalid number of argument(s) for the IN ComparisonOperator'],
    [{ a: { AttributeValueList: [{ N: '1' }, { N: '10' }, { N: '12' }], ComparisonOperator: 'BETWEEN' } }, INVALID + 'Invalid number of argument(s) for the BETWEEN ComparisonOperator'],
    [{ a: { Value: { S: 'a' }, ComparisonOperator: 'NULL' } }, INVALID + 'Invalid number of argument(s) for the NULL ComparisonOperator'],
    [{ a: { Value: { S: 'a' }, ComparisonOperator: 'BETWEEN' } }, INVALID + 'Invalid number of argument(s) for the BETWEEN ComparisonOperator'],
    [{ a: { AttributeValueList: [{ S: 'a' }, { N: '1' }], ComparisonOperator: 'IN' } }, INVALID + 'AttributeValues inside AttributeValueList must be of same type'],
    [{ a: { AttributeValueList: [{ N: '2' }, { N: '1' }], ComparisonOperator: 'BETWEEN' } }, 'The BETWEEN condition was provided a range where the lower bound is greater than the upper bound'],
    [{ a: { Value: { SS: [] } } }, INVALID + 'An string set  may not be empty'],
  ];
  it('gives the AWS messages', () => {
    for (const [expected, message] of cases) assert.equal(checkExpected(expected), message, JSON.stringify(expected));
    assert.equal(checkExpected({ a: { Value: { S: 'x' }, ComparisonOperator: 'EQ' }, b: { Exists: false }, c: { ComparisonOperator: 'NOT_NULL' } }), undefined);
    assert.equal(checkExpected(undefined), undefined);
  });
});

describe('expectedCondition', () => {
  const item: AttributeMap = { a: { S: 'x' }, c: { S: 'c' } };
  const holds = (expected: ExpectedMap, operator?: 'AND' | 'OR') => evaluateCondition(expectedCondition(expected, operator)!.condition, item);

  it('means equality for Value, absence for Exists false, and the comparison for ComparisonOperator', () => {
    assert.ok(holds({ a: { Value: { S: 'x' } } }));
    assert.ok(holds({ a: { Value: { S: 'x' }, Exists: true } }));
    assert.ok(!holds({ a: { Value: { S: 'y' } } }));
    assert.ok(holds({ b: { Exists: false } }));
    assert.ok(!holds({ a: { Exists: false } }));
    assert.ok(holds({ a: { Value: { S: 'x' }, ComparisonOperator: 'EQ' } }));
    assert.ok(holds({ c: { ComparisonOperator: 'GE', AttributeValueList: [{ S: 'c' }] } }));
    assert.ok(holds({ a: { ComparisonOperator: 'NE', AttributeValueList: [{ S: 'other' }] } }));
    assert.ok(!holds({ a: { ComparisonOperator: 'NOT_NULL' }, c: { Value: { S: 'd' } } }));
    assert.ok(holds({ a: { ComparisonOperator: 'NULL' }, c: { Value: { S: 'c' } } }, 'OR'));
  });
});

describe('checkAttributeUpdates (dynalite updateItem validations)', () => {
  it('gives the AWS messages', () => {
    assert.equal(checkAttributeUpdates({ a: { x: 'whatever' } } as unknown as AttributeUpdates), INVALID + 'Only DELETE action is allowed when no attribute value is specified');
    for (const value of [{ S: '1' }, { N: '1' }, { B: 'Yg==' }, { NULL: true }, { BOOL: true }, { M: {} }, { L: [] }] as AttributeValue[]) {
      assert.equal(
        checkAttributeUpdates({ a: { Action: 'DELETE', Value: value } }),
        INVALID + `DELETE action with value is not supported for the type ${Object.keys(value)[0]}`,
      );
    }
    for (const value of [{ S: '1' }, { B: 'Yg==' }, { NULL: true }, { BOOL: true }, { M: {} }] as AttributeValue[]) {
      assert.equal(checkAttributeUpdates({ a: { Action: 'ADD', Value: value } }), INVALID + `ADD action is not supported for the type ${Object.keys(value)[0]}`);
    }
    assert.equal(checkAttributeUpdates({ a: { Value: { NS: ['1', '1'] } } }), 'Input collection contains duplicates');
    assert.equal(checkAttributeUpdates({ a: { Action: 'DELETE' }, b: { Action: 'ADD', Value: { L: [] } }, c: { Value: { S: 'x' } } }), undefined);
  });
});

describe('checkAttributesToGet', () => {
  it('refuses duplicates', () => {
    assert.equal(checkAttributesToGet(['a', 'b', 'a']), INVALID + 'Duplicate value in attribute name: a');
    assert.equal(checkAttributesToGet(['a', 'b']), undefined);
  });
});
