import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  attributeValueSize,
  compareBinary,
  compareKeyValues,
  compareScalars,
  compareStrings,
  itemSize,
  MAX_ITEM_SIZE,
  readCapacityUnits,
  setAttribute,
  getAttribute,
  typeOf,
  valuesEqual,
  writeCapacityUnits,
  type AttributeMap,
} from '../src/index.js';

const b64 = (bytes: number[]) => Buffer.from(bytes).toString('base64');

describe('compareStrings', () => {
  it('orders by UTF-8 bytes, which differs from UTF-16 for characters beyond U+FFFF', () => {
    const ascending = ['', 'A', 'B', 'a', 'ab', 'b', 'é', '\uffff', '😀'];
    for (let i = 0; i < ascending.length; i++) {
      for (let j = 0; j < ascending.length; j++) {
        assert.equal(Math.sign(compareStrings(ascending[i], ascending[j])), Math.sign(i - j), `${ascending[i]} vs ${ascending[j]}`);
      }
    }
    assert.ok('😀' < '\uffff', 'JavaScript orders them the other way');
  });
});

describe('compareBinary', () => {
  it('orders by unsigned bytes', () => {
    assert.ok(compareBinary(b64([0x01]), b64([0xff])) < 0);
    assert.ok(compareBinary(b64([0x7f]), b64([0x80])) < 0);
    assert.ok(compareBinary(b64([1, 2]), b64([1])) > 0);
    assert.equal(compareBinary(b64([1, 2]), b64([1, 2])), 0);
  });
});

describe('compareScalars and compareKeyValues', () => {
  it('compare values of one scalar type', () => {
    assert.ok(compareScalars({ N: '9' }, { N: '10' })! < 0);
    assert.ok(compareScalars({ S: '9' }, { S: '10' })! > 0);
    assert.equal(compareScalars({ S: 'a' }, { N: '1' }), undefined);
    assert.equal(compareScalars({ SS: ['a'] }, { SS: ['a'] }), undefined);
    assert.ok(compareKeyValues({ B: b64([2]) }, { B: b64([10]) }) < 0);
    assert.throws(() => compareKeyValues({ S: 'a' }, { N: '1' }));
  });
});

describe('valuesEqual', () => {
  it('compares sets without order, lists in order, maps by content', () => {
    assert.ok(valuesEqual({ SS: ['a', 'b'] }, { SS: ['b', 'a'] }));
    assert.ok(!valuesEqual({ SS: ['a', 'b'] }, { SS: ['a', 'b', 'c'] }));
    assert.ok(valuesEqual({ NS: ['1', '2', '3'] }, { NS: ['3', '1', '2'] }));
    assert.ok(!valuesEqual({ L: [{ S: 'a' }, { S: 'b' }] }, { L: [{ S: 'b' }, { S: 'a' }] }));
    assert.ok(valuesEqual({ M: { a: { N: '1' }, b: { L: [] } } }, { M: { b: { L: [] }, a: { N: '1' } } }));
    assert.ok(!valuesEqual({ M: { a: { N: '1' } } }, { M: { a: { N: '1' }, b: { N: '1' } } }));
    assert.ok(!valuesEqual({ M: { a: { N: '1' }, b: { N: '1' } } }, { M: { a: { N: '1' } } }));
    assert.ok(!valuesEqual({ S: '1234' }, { N: '1234' }));
    assert.ok(valuesEqual({ NULL: true }, { NULL: true }));
    assert.ok(!valuesEqual({ BOOL: true }, { BOOL: false }));
  });

  it('is not fooled by Object.prototype members', () => {
    assert.ok(!valuesEqual({ M: { a: { N: '1' } } }, { M: { constructor: { N: '1' } } }));
  });
});

describe('attribute access', () => {
  it('sees only own attributes, and stores __proto__ as an attribute', () => {
    const map: AttributeMap = JSON.parse('{"a":{"S":"x"}}');
    assert.equal(getAttribute(map, 'constructor'), undefined);
    setAttribute(map, '__proto__', { S: 'p' });
    assert.deepEqual(getAttribute(map, '__proto__'), { S: 'p' });
    assert.equal(Object.getPrototypeOf(map), Object.prototype);
    assert.equal(typeOf({ NS: ['1'] }), 'NS');
  });
});

describe('itemSize', () => {
  it('counts names and values like DynamoDB', () => {
    assert.equal(attributeValueSize({ S: 'abc' }), 3);
    assert.equal(attributeValueSize({ S: 'é' }), 2);
    assert.equal(attributeValueSize({ B: 'AQI=' }), 2);
    assert.equal(attributeValueSize({ BS: ['AQI=', 'Ag==', 'AQ=='] }), 4);
    assert.equal(attributeValueSize({ SS: ['a', 'bc'] }), 3);
    assert.equal(attributeValueSize({ NS: ['1.23', '12.3'] }), 6);
    assert.equal(attributeValueSize({ NULL: true }), 1);
    assert.equal(attributeValueSize({ BOOL: false }), 1);
    assert.equal(attributeValueSize({ L: [{ S: 'ab' }, { N: '1' }] }), 3 + 3 + 3);
    assert.equal(attributeValueSize({ M: { ab: { S: 'c' } } }), 3 + 1 + 2 + 1);
    assert.equal(itemSize({ a: { S: 'xyz' }, bb: { N: '12.3456' } }), 1 + 3 + 2 + 4);
  });

  it('puts the 400 KB limit where dynalite measured it', () => {
    const key = 'k'.repeat(10);
    const fits = { a: { S: key }, b: { S: 'a'.repeat(MAX_ITEM_SIZE - key.length - 2) } };
    assert.equal(itemSize(fits), MAX_ITEM_SIZE);
    const number = '1'.repeat(38) + '0'.repeat(88);
    const tooBig = { a: { S: key }, b: { S: 'a'.repeat(MAX_ITEM_SIZE - key.length - 22) }, c: { N: number } };
    assert.equal(itemSize(tooBig), MAX_ITEM_SIZE + 1);
  });

  it('sizes the dynalite capacity examples', () => {
    const a = 'x'.repeat(20);
    const item = { a: { S: a }, b: { S: 'b'.repeat(4081 - a.length) }, c: { N: '12.3456' }, d: { B: 'AQI=' }, e: { BS: ['AQI=', 'Ag==', 'AQ=='] } };
    assert.equal(itemSize(item), 4096);
    assert.equal(readCapacityUnits(itemSize(item), false), 0.5);
    assert.equal(readCapacityUnits(itemSize(item) + 1, true), 2);
    assert.equal(writeCapacityUnits(itemSize(item)), 4);
    assert.equal(writeCapacityUnits(0), 1);
  });
});
