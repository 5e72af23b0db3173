import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { addNumbers, canonicalNumber, compareNumbers, numberSize, numberSortKey, subtractNumbers } from '../src/index.js';

const NOT_NUMERIC = 'The parameter cannot be converted to a numeric value';
const OVERFLOW = 'Number overflow. Attempting to store a number with magnitude larger than supported range';
const UNDERFLOW = 'Number underflow. Attempting to store a number with magnitude smaller than supported range';
const PRECISION = 'Attempting to store more than 38 significant digits in a Number';

function canonical(text: string): string {
  const check = canonicalNumber(text);
  assert.ok(check.ok, `${text} should be a number`);
  return check.value;
}

function problem(text: unknown): string {
  const check = canonicalNumber(text);
  assert.ok(!check.ok, `${String(text)} should not be a number`);
  return check.message;
}

describe('canonicalNumber', () => {
  it('writes numbers in plain notation without redundant zeros or signs', () => {
    assert.equal(canonical('1'), '1');
    assert.equal(canonical('-12.50'), '-12.5');
    assert.equal(canonical('0001.000'), '1');
    assert.equal(canonical('+7'), '7');
    assert.equal(canonical('1.'), '1');
    assert.equal(canonical('.5'), '0.5');
    assert.equal(canonical('1e+3'), '1000');
    assert.equal(canonical('1.5E2'), '150');
    assert.equal(canonical('12345e-7'), '0.0012345');
  });

  it('has a single zero', () => {
    for (const zero of ['0', '-0', '0.000', '00', '0e10', '-0.0e-5']) assert.equal(canonical(zero), '0');
  });

  it('keeps 38 significant digits and the extremes of the range (dynalite "really long numbers")', () => {
    assert.equal(canonical('0000012345678901234567890123456789012345678'), '12345678901234567890123456789012345678');
    assert.equal(canonical('-00001.23456789012345678901234567890123456780000'), '-1.2345678901234567890123456789012345678');
    assert.equal(canonical('0009.99999999999999999999999999999999999990000e125'), '9'.repeat(38) + '0'.repeat(88));
    assert.equal(canonical('-0009.99999999999999999999999999999999999990000e125'), '-' + '9'.repeat(38) + '0'.repeat(88));
    assert.equal(canonical('0001.000e-130'), '0.' + '0'.repeat(129) + '1');
    assert.equal(canonical('-0001.000e-130'), '-0.' + '0'.repeat(129) + '1');
  });

  it('counts only significant digits: trailing integer zeros are free', () => {
    assert.equal(canonical('1' + '0'.repeat(60)), '1' + '0'.repeat(60));
  });

  it('refuses empty and malformed text with the AWS messages', () => {
    assert.equal(problem(''), NOT_NUMERIC);
    assert.equal(problem(undefined), NOT_NUMERIC);
    for (const text of ['b', ' 1', '1e', 'e1', '.', '-', '1_0', 'Infinity', 'NaN', '0x10', '1..2', '--1', '1e5.5']) {
      assert.equal(problem(text), `${NOT_NUMERIC}: ${text}`);
    }
  });

  it('refuses magnitudes outside 1E-130 .. 9.99E+125 and more than 38 digits', () => {
    assert.equal(problem('1e126'), OVERFLOW);
    assert.equal(problem('-1e126'), OVERFLOW);
    assert.equal(problem('1e-131'), UNDERFLOW);
    assert.equal(problem('-1e-131'), UNDERFLOW);
    assert.equal(problem('1e999999999999999999'), OVERFLOW);
    assert.equal(problem('123456789012345678901234567890123456789'), PRECISION);
    assert.equal(problem('-1.23456789012345678901234567890123456789'), PRECISION);
  });

  it('checks the range before the digit count', () => {
    assert.equal(problem('1234567890123456789012345678901234567890e100'), OVERFLOW);
  });
});

describe('compareNumbers', () => {
  const ascending = ['-100', '-10', '-9.5', '-1', '-0.5', '-0.05', '0', '0.05', '0.5', '1', '9.5', '10', '10.01', '100.5'];
  it('orders canonical numbers by value', () => {
    for (let i = 0; i < ascending.length; i++) {
      for (let j = 0; j < ascending.length; j++) {
        assert.equal(Math.sign(compareNumbers(ascending[i], ascending[j])), Math.sign(i - j), `${ascending[i]} vs ${ascending[j]}`);
      }
    }
  });

  it('is exact beyond double precision', () => {
    assert.ok(compareNumbers('12345678901234567890123456789012345678', '12345678901234567890123456789012345679') < 0);
    assert.ok(compareNumbers('0.' + '0'.repeat(129) + '1', '0') > 0);
  });
});

describe('numberSortKey', () => {
  it('orders as strings the way the numbers order', () => {
    const ascending = [
      '-' + '9'.repeat(38) + '0'.repeat(88),
      '-100',
      '-12.34',
      '-12.3',
      '-12',
      '-1',
      '-0.5',
      '-0.' + '0'.repeat(129) + '1',
      '0',
      '0.' + '0'.repeat(129) + '1',
      '0.05',
      '0.5',
      '1',
      '1.5',
      '12',
      '12.3',
      '12.34',
      '100',
      '9'.repeat(38) + '0'.repeat(88),
    ];
    const keys = ascending.map(numberSortKey);
    for (let i = 1; i < keys.length; i++) assert.ok(keys[i - 1] < keys[i], `${ascending[i - 1]} < ${ascending[i]}: ${keys[i - 1]} vs ${keys[i]}`);
  });
});

describe('number arithmetic', () => {
  it('adds and subtracts exactly', () => {
    assert.deepEqual(addNumbers('0.1', '0.2'), { ok: true, value: '0.3' });
    assert.deepEqual(addNumbers('5.3', '0.05'), { ok: true, value: '5.35' });
    assert.deepEqual(subtractNumbers('1', '1.0001'), { ok: true, value: '-0.0001' });
    assert.deepEqual(addNumbers('-1.2', '1.2'), { ok: true, value: '0' });
    assert.deepEqual(addNumbers('99999999999999999999999999999999999999', '1'), { ok: true, value: '1' + '0'.repeat(38) });
  });

  it('reports results that are no DynamoDB number', () => {
    assert.deepEqual(addNumbers('9.9999999999999999999999999999999999999e125', '1e125'), { ok: false, message: OVERFLOW });
    assert.deepEqual(addNumbers('1e30', '1e-30'), { ok: false, message: PRECISION });
  });
});

describe('numberSize', () => {
  it('takes one byte of exponent and one per pair of digits, aligned on the point', () => {
    assert.equal(numberSize('0'), 1);
    assert.equal(numberSize('1'), 2);
    assert.equal(numberSize('-1'), 3);
    assert.equal(numberSize('100'), 2);
    assert.equal(numberSize('12.3456'), 4);
    assert.equal(numberSize('0.005'), 2);
    assert.equal(numberSize('-0.5'), 3);
  });

  it('matches the sizes dynalite measured against DynamoDB', () => {
    assert.equal(numberSize('1'.repeat(38) + '0'.repeat(88)), 20);
    assert.equal(numberSize('1' + '0'.repeat(125)), 2);
    assert.equal(numberSize('11' + '0'.repeat(124)), 2);
    assert.equal(numberSize('11111' + '0'.repeat(121)), 4);
    assert.equal(numberSize('111111' + '0'.repeat(120)), 4);
    assert.equal(numberSize('1111111' + '0'.repeat(119)), 5);
  });
});
