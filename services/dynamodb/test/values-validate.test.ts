import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { firstDuplicate, validateAttributeMap, validateAttributeValue, validationError, type AttributeValue } from '../src/index.js';

const INVALID = 'One or more parameter values were invalid: ';
const EMPTY = 'Supplied AttributeValue is empty, must contain exactly one of the supported datatypes';
const MULTIPLE = 'Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes';

function check(value: unknown): string | undefined {
  return validateAttributeValue(value as AttributeValue);
}

describe('validateAttributeValue', () => {
  it('accepts every type', () => {
    const values: AttributeValue[] = [
      { S: '' },
      { N: '1' },
      { B: 'YQ==' },
      { SS: ['a', ''] },
      { NS: ['1', '2'] },
      { BS: ['YQ==', ''] },
      { M: { a: { S: 'a' } } },
      { L: [{ NULL: true }, { BOOL: false }] },
      { NULL: true },
      { BOOL: false },
    ];
    for (const value of values) assert.equal(check(value), undefined, JSON.stringify(value));
  });

  it('refuses values without a type, also inside maps and lists (dynalite "unsupported datatype")', () => {
    for (const value of [{}, { a: '' }, { M: { a: {} } }, { L: [{}] }, { L: [{ a: {} }] }, { S: null }, null]) {
      assert.equal(check(value), EMPTY, JSON.stringify(value));
    }
  });

  it('refuses values with two types, after checking each', () => {
    assert.equal(check({ S: 'a', N: '1' }), MULTIPLE);
    assert.equal(check({ S: 'a', N: 'b' }), 'The parameter cannot be converted to a numeric value: b');
    assert.equal(check({ S: '', N: '' }), 'The parameter cannot be converted to a numeric value');
  });

  it('gives the AWS messages for invalid values (dynalite "invalid values")', () => {
    assert.equal(check({ NULL: false }), INVALID + 'Null attribute value types must have the value of true');
    assert.equal(check({ SS: [] }), INVALID + 'An string set  may not be empty');
    assert.equal(check({ NS: [] }), INVALID + 'An number set  may not be empty');
    assert.equal(check({ BS: [] }), INVALID + 'Binary sets should not be empty');
    assert.equal(check({ SS: ['a', 'a'] }), INVALID + 'Input collection [a, a] contains duplicates.');
    assert.equal(check({ BS: ['Yg==', 'Yg=='] }), INVALID + 'Input collection [Yg==, Yg==]of type BS contains duplicates.');
  });

  it('checks the numbers of a number set, then its duplicates after normalising', () => {
    assert.equal(check({ NS: ['1', ''] }), 'The parameter cannot be converted to a numeric value');
    assert.equal(check({ NS: ['1', 'b'] }), 'The parameter cannot be converted to a numeric value: b');
    assert.equal(check({ NS: ['1', '1'] }), 'Input collection contains duplicates');
    assert.equal(check({ NS: ['1', '1.0'] }), 'Input collection contains duplicates');
  });

  it('finds problems deep inside maps and lists', () => {
    assert.equal(check({ M: { a: { L: [{ N: '1e126' }] } } }), 'Number overflow. Attempting to store a number with magnitude larger than supported range');
    assert.equal(check({ L: [{ S: 'a' }, { NULL: false }] }), INVALID + 'Null attribute value types must have the value of true');
  });

  it('normalises numbers in place, in sets and nested values too', () => {
    const value = { M: { n: { N: '01.50' }, s: { NS: ['1e2', '-0'] }, l: { L: [{ N: '.5' }] } } };
    assert.equal(check(value), undefined);
    assert.deepEqual(value, { M: { n: { N: '1.5' }, s: { NS: ['100', '0'] }, l: { L: [{ N: '0.5' }] } } });
  });

  it('drops members that are not types, or null', () => {
    const value = { S: 'a', foo: 1, N: null };
    assert.equal(check(value), undefined);
    assert.deepEqual(value, { S: 'a' });
  });
});

describe('validateAttributeMap', () => {
  it('reports the first invalid attribute of an item', () => {
    assert.equal(validateAttributeMap({ a: { S: 'a' }, b: { SS: [] }, c: {} }), INVALID + 'An string set  may not be empty');
    assert.equal(validateAttributeMap({ a: { S: 'a' } }), undefined);
  });
});

describe('firstDuplicate', () => {
  it('names the first repeated name', () => {
    assert.equal(firstDuplicate(['a', 'b', 'b', 'a']), 'b');
    assert.equal(firstDuplicate(['a', 'b']), undefined);
  });
});

describe('validationError', () => {
  it('is a ValidationException in the coral validate namespace', () => {
    const error = validationError('bad');
    assert.equal(error.code, 'ValidationException');
    assert.equal(error.typeNamespace, 'com.amazon.coral.validate');
    assert.equal(error.status, 400);
    assert.equal(error.message, 'bad');
  });
});
