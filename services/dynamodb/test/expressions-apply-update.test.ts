import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  applyUpdate,
  attributeUpdatesPlan,
  parseExpressions,
  project,
  updatedPaths,
  type AttributeMap,
  type AttributeUpdates,
  type ExpressionAttributeValues,
} from '../src/index.js';

function plan(UpdateExpression: string, values?: ExpressionAttributeValues, names?: Record<string, string>) {
  return parseExpressions({ UpdateExpression, ExpressionAttributeValues: values, ExpressionAttributeNames: names }).update!;
}

function update(item: AttributeMap, expression: string, values?: ExpressionAttributeValues, names?: Record<string, string>): AttributeMap {
  return applyUpdate(item, plan(expression, values, names));
}

function updateError(item: AttributeMap, expression: string, values?: ExpressionAttributeValues, names?: Record<string, string>): string {
  try {
    update(item, expression, values, names);
  } catch (error) {
    return (error as Error).message;
  }
  assert.fail(`no error for ${expression}`);
}

const key = { a: { S: 'k' } };

describe('applyUpdate', () => {
  it('applies the dynalite nested update, computing every SET value from the old item', () => {
    const item = { ...key, b: { M: { a: { N: '1' }, b: { N: '2' }, c: { N: '3' } } }, c: { L: [{ N: '1' }, { N: '3' }] } };
    const before = structuredClone(item);
    const updatePlan = plan('set b.c=((c[1])+(b.a)),b.a = a,c[1] = a, c[4] = b.a - b.b, c[2] = b.c add c[8] :b, c[6] :a', {
      ':a': { N: '2' },
      ':b': { SS: ['a'] },
    });
    const next = applyUpdate(item, updatePlan);
    assert.deepEqual(next, {
      ...key,
      b: { M: { a: key.a, b: { N: '2' }, c: { N: '4' } } },
      c: { L: [{ N: '1' }, key.a, { N: '3' }, { N: '-1' }, { N: '2' }, { SS: ['a'] }] },
    });
    assert.deepEqual(item, before, 'the old item is untouched');
    assert.deepEqual(project(next, updatedPaths(updatePlan)), { b: { M: { a: key.a, c: { N: '4' } } }, c: { L: [key.a, { N: '3' }, { N: '2' }] } });
  });

  it('adds to nothing: numbers and sets start from the value, REMOVE and DELETE of nothing do nothing', () => {
    const next = update(key, 'REMOVE b DELETE c :c ADD d :d, e :e SET f = :f', {
      ':c': { SS: ['a', 'b'] },
      ':d': { N: '5' },
      ':e': { SS: ['a', 'b'] },
      ':f': { L: [{ S: 'a' }, { N: '1' }] },
    });
    assert.deepEqual(next, { ...key, d: { N: '5' }, e: { SS: ['a', 'b'] }, f: { L: [{ S: 'a' }, { N: '1' }] } });
  });

  it('adds numbers exactly and merges sets without duplicates', () => {
    const item = { ...key, n: { N: '5.3' }, s: { SS: ['a', 'b'] }, ns: { NS: ['1', '2'] } };
    const next = update(item, 'ADD n :n, s :s, ns :ns', { ':n': { N: '0.05' }, ':s': { SS: ['b', 'c', 'd'] }, ':ns': { NS: ['2', '3', '4'] } });
    assert.deepEqual(next, { ...key, n: { N: '5.35' }, s: { SS: ['a', 'b', 'c', 'd'] }, ns: { NS: ['1', '2', '3', '4'] } });
  });

  it('deletes set members and the attribute once the set is empty', () => {
    const item = { ...key, b: { NS: ['1', '2', '3'] }, c: { SS: ['x'] } };
    assert.deepEqual(update(item, 'DELETE b :b, c :c', { ':b': { NS: ['1', '4'] }, ':c': { SS: ['x'] } }), { ...key, b: { NS: ['2', '3'] } });
  });

  it('computes SET arithmetic, list_append and if_not_exists', () => {
    const item = { ...key, n: { N: '10' }, l: { L: [{ S: 'x' }] } };
    const next = update(item, 'SET n = n - :one, m = if_not_exists(m, :zero) + :one, l = list_append(:front, l), o = if_not_exists(n, :zero)', {
      ':one': { N: '1' },
      ':zero': { N: '0' },
      ':front': { L: [{ S: 'w' }] },
    });
    assert.deepEqual(next, { ...key, n: { N: '9' }, m: { N: '1' }, l: { L: [{ S: 'w' }, { S: 'x' }] }, o: { N: '10' } });
  });

  it('uses list indexes of the list as it was, and appends past its end in index order', () => {
    const item = { ...key, l: { L: [{ S: '0' }, { S: '1' }, { S: '2' }, { S: '3' }] } };
    assert.deepEqual(update(item, 'REMOVE l[1], l[2]'), { ...key, l: { L: [{ S: '0' }, { S: '3' }] } });
    assert.deepEqual(update(item, 'REMOVE l[10]'), item);
    assert.deepEqual(update(item, 'SET l[9] = :b, l[7] = :a REMOVE l[0]', { ':a': { S: 'a' }, ':b': { S: 'b' } }), {
      ...key,
      l: { L: [{ S: '1' }, { S: '2' }, { S: '3' }, { S: 'a' }, { S: 'b' }] },
    });
  });

  it('updates inside nested maps and lists', () => {
    const item = { ...key, m: { M: { arr: { L: [{ M: { x: { N: '1' } } }] } } } };
    assert.deepEqual(update(item, 'SET m.arr[0].y = :v, m.z = :v REMOVE m.arr[0].x', { ':v': { S: 'v' } }), {
      ...key,
      m: { M: { arr: { L: [{ M: { y: { S: 'v' } } }] }, z: { S: 'v' } } },
    });
  });

  it('reports operands that are missing or of the wrong type', () => {
    assert.equal(updateError(key, 'set c = b'), 'The provided expression refers to an attribute that does not exist in the item');
    assert.equal(updateError(key, 'set e = list_append(b, c)'), 'The provided expression refers to an attribute that does not exist in the item');
    const item = { ...key, b: { M: { a: { SS: ['1'] } } }, c: { N: '1' }, d: { NS: ['1'] } };
    const wrongType = 'An operand in the update expression has an incorrect data type';
    assert.equal(updateError(item, 'delete d :a', { ':a': { SS: ['1'] } }), wrongType);
    assert.equal(updateError(item, 'delete b :a', { ':a': { NS: ['1'] } }), wrongType);
    assert.equal(updateError(item, 'delete b.a :a', { ':a': { NS: ['1'] } }), wrongType);
    assert.equal(updateError(item, 'delete c :a', { ':a': { NS: ['1'] } }), wrongType);
    assert.equal(updateError(item, 'add b :a', { ':a': { NS: ['1'] } }), wrongType);
    assert.equal(updateError(item, 'add d :a', { ':a': { N: '1' } }), wrongType);
    assert.equal(updateError(item, 'set e = a + :a', { ':a': { N: '1' } }), wrongType);
    assert.equal(updateError(item, 'set e = b - :a', { ':a': { N: '1' } }), wrongType);
    assert.equal(updateError(item, 'set e = list_append(d, if_not_exists(f, :a))', { ':a': { L: [] } }), wrongType);
  });

  it('reports results that are no DynamoDB number', () => {
    const item = { ...key, n: { N: '9e125' } };
    assert.equal(
      updateError(item, 'SET n = n + :v', { ':v': { N: '9e125' } }),
      'Number overflow. Attempting to store a number with magnitude larger than supported range',
    );
    assert.equal(
      updateError(item, 'ADD n :v', { ':v': { N: '1e-100' } }),
      'Attempting to store more than 38 significant digits in a Number',
    );
  });

  it('reports paths whose parent is missing or of the wrong kind (dynalite updateItem)', () => {
    const invalid = 'The document path provided in the update expression is invalid for update';
    assert.equal(updateError(key, 'set b.a = a'), invalid);
    assert.equal(updateError(key, 'set b[1] = a'), invalid);
    const item = { ...key, b: { S: 'k' }, c: { M: { 1: { S: 'a' } } }, d: { L: [{ S: 'a' }, { S: 'b' }] } };
    const values = { ':a': { SS: ['a'] } };
    const names = { '#1': '1' };
    for (const expression of [
      'set b.a = :a, #1 = :a',
      'set b[1] = :a, #1 = :a',
      'set y.a = :a, #1 = :a',
      'set y[1] = :a, #1 = :a',
      'set c[1] = :a, #1 = :a',
      'set d.#1 = :a',
      'remove b.a set #1 = :a',
      'remove b[1] set #1 = :a',
      'remove y.a set #1 = :a',
      'remove y[1] set #1 = :a',
      'remove c[1] set #1 = :a',
      'remove d.#1 set #1 = :a',
      'delete b.a :a set #1 = :a',
      'delete b[1] :a set #1 = :a',
      'delete y.a :a set #1 = :a',
      'delete y[1] :a set #1 = :a',
      'delete c[1] :a set #1 = :a',
      'delete d.#1 :a',
      'add b.a :a set #1 = :a',
      'add b[1] :a set #1 = :a',
      'add y.a :a set #1 = :a',
      'add y[1] :a set #1 = :a',
      'add c[1] :a set #1 = :a',
      'add d.#1 :a',
      'set d[5].x = :a',
    ]) {
      const usedNames = expression.includes('#1') ? names : undefined;
      assert.equal(updateError(item, expression, values, usedNames), invalid, expression);
    }
  });

  it('computes SET values before checking paths, like AWS', () => {
    assert.equal(
      updateError(key, 'SET x.y = :v, z = nothere', { ':v': { S: 'v' } }),
      'The provided expression refers to an attribute that does not exist in the item',
    );
  });
});

describe('applyUpdate with AttributeUpdates', () => {
  const run = (item: AttributeMap, updates: AttributeUpdates) => applyUpdate(item, attributeUpdatesPlan(updates));

  it('puts, adds and deletes (dynalite updateItem functionality)', () => {
    const next = run(key, {
      b: { Action: 'DELETE' },
      c: { Action: 'DELETE', Value: { SS: ['a', 'b'] } },
      d: { Action: 'ADD', Value: { N: '5' } },
      e: { Action: 'ADD', Value: { SS: ['a', 'b'] } },
      f: { Action: 'ADD', Value: { L: [{ S: 'a' }, { N: '1' }] } },
      g: { Value: { S: 'put' } },
    });
    assert.deepEqual(next, { ...key, d: { N: '5' }, e: { SS: ['a', 'b'] }, f: { L: [{ S: 'a' }, { N: '1' }] }, g: { S: 'put' } });
  });

  it('appends lists and merges sets', () => {
    const item = { ...key, l: { L: [{ S: 'a' }, { N: '1' }] }, bs: { BS: ['AQI=', 'Ag=='] } };
    assert.deepEqual(run(item, { l: { Action: 'ADD', Value: { L: [{ S: 'b' }, { N: '2' }] } }, bs: { Action: 'ADD', Value: { BS: ['Ag==', 'AQ=='] } } }), {
      ...key,
      l: { L: [{ S: 'a' }, { N: '1' }, { S: 'b' }, { N: '2' }] },
      bs: { BS: ['AQI=', 'Ag==', 'AQ=='] },
    });
  });

  it('reports type clashes with the legacy wording', () => {
    const item = { ...key, b: { SS: ['1'] }, c: { N: '1' }, d: { NS: ['1'] } };
    for (const updates of [
      { b: { Action: 'DELETE', Value: { NS: ['1'] } } },
      { b: { Action: 'DELETE', Value: { BS: ['YQ=='] } } },
      { c: { Action: 'DELETE', Value: { NS: ['1'] } } },
      { b: { Action: 'ADD', Value: { NS: ['1'] } } },
      { d: { Action: 'ADD', Value: { N: '1' } } },
    ] as AttributeUpdates[]) {
      assert.throws(() => run(item, updates), { message: 'Type mismatch for attribute to update' });
    }
  });
});
