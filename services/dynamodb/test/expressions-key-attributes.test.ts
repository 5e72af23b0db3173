import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  applyUpdate,
  attributeUpdatesPlan,
  checkFilterAvoidsKeys,
  checkScalarKeyPaths,
  checkUpdateAgainstKeys,
  checkUpdatedIndexKeys,
  parseExpressions,
  type AttributeUpdates,
  type ExpressionParameters,
  type IndexKeyAttribute,
  type KeyAttribute,
} from '../src/index.js';

// dynalite's range test table: key a, b; local indexes on c and d; global index3 on c, index4 on c, d.
const tableKeys: KeyAttribute[] = [
  { name: 'a', type: 'S' },
  { name: 'b', type: 'S' },
];
const indexKeys: IndexKeyAttribute[] = [
  { indexName: 'index3', name: 'c', type: 'S' },
  { indexName: 'index4', name: 'c', type: 'S' },
  { indexName: 'index4', name: 'd', type: 'S' },
  { indexName: 'index1', name: 'c', type: 'S' },
  { indexName: 'index2', name: 'd', type: 'S' },
];

function expressionPlan(request: ExpressionParameters) {
  return parseExpressions(request).update!;
}

describe('checkUpdateAgainstKeys (dynalite updateItem validations)', () => {
  it('refuses updates of key attributes, even nested', () => {
    const hashKey: KeyAttribute[] = [{ name: 'a', type: 'S' }];
    const requests: ExpressionParameters[] = [
      { UpdateExpression: 'add a.b :a', ExpressionAttributeValues: { ':a': { N: '1' } } },
      { UpdateExpression: 'delete a :a', ExpressionAttributeValues: { ':a': { NS: ['1'] } } },
      { UpdateExpression: 'remove d set b = :a, a = :a', ExpressionAttributeValues: { ':a': { N: '1' } } },
      { UpdateExpression: 'set a = a.b + a[1]' },
    ];
    for (const request of requests) {
      assert.equal(
        checkUpdateAgainstKeys(expressionPlan(request), hashKey, []),
        'One or more parameter values were invalid: Cannot update attribute a. This attribute is part of the key',
      );
    }
    assert.equal(
      checkUpdateAgainstKeys(attributeUpdatesPlan({ d: { Value: { N: '1' } }, b: { Value: { S: 'x' } } }), tableKeys, indexKeys),
      'One or more parameter values were invalid: Cannot update attribute b. This attribute is part of the key',
    );
    assert.equal(
      checkUpdateAgainstKeys(expressionPlan({ UpdateExpression: 'set d[1] = :a add b.b :a', ExpressionAttributeValues: { ':a': { N: '1' } } }), tableKeys, indexKeys),
      'One or more parameter values were invalid: Cannot update attribute b. This attribute is part of the key',
    );
  });

  it('refuses index key values of the wrong type when known in advance', () => {
    const mismatch = 'One or more parameter values were invalid: Type mismatch for Index Key c Expected: S Actual: N IndexName: index3';
    assert.equal(checkUpdateAgainstKeys(attributeUpdatesPlan({ d: { Value: { N: '1' } }, c: { Value: { N: '1' } } } as AttributeUpdates), tableKeys, indexKeys), mismatch);
    assert.equal(checkUpdateAgainstKeys(expressionPlan({ UpdateExpression: 'set d.a = a add c :a', ExpressionAttributeValues: { ':a': { N: '1' } } }), tableKeys, indexKeys), mismatch);
    assert.equal(checkUpdateAgainstKeys(expressionPlan({ UpdateExpression: 'set e = c[1], c = a + :a', ExpressionAttributeValues: { ':a': { N: '1' } } }), tableKeys, indexKeys), mismatch);
  });

  it('refuses paths into index keys', () => {
    const message = "Key attributes must be scalars; list random access '[]' and map lookup '.' are not allowed: IndexKey: d";
    for (const request of [
      { UpdateExpression: 'add d.b :a', ExpressionAttributeValues: { ':a': { N: '1' } } },
      { UpdateExpression: 'set d[1] = :a', ExpressionAttributeValues: { ':a': { N: '1' } } },
      { UpdateExpression: 'set e = list_append(a, b), f = d[1]' },
    ]) {
      assert.equal(checkUpdateAgainstKeys(expressionPlan(request), tableKeys, indexKeys), message, request.UpdateExpression);
    }
  });
});

describe('checkUpdatedIndexKeys', () => {
  it('refuses a SET that gives an index key another type', () => {
    const plan = expressionPlan({ UpdateExpression: 'set c = e' });
    const updated = applyUpdate({ a: { S: 'x' }, b: { S: 'y' }, e: { N: '1' } }, plan);
    assert.equal(checkUpdatedIndexKeys(plan, updated, indexKeys), 'The update expression attempted to update the secondary index key to unsupported type');
    const fine = expressionPlan({ UpdateExpression: 'set c = e' });
    assert.equal(checkUpdatedIndexKeys(fine, applyUpdate({ e: { S: 's' } }, fine), indexKeys), undefined);
  });
});

describe('checkScalarKeyPaths and checkFilterAvoidsKeys (dynalite query, scan and getItem)', () => {
  it('name table keys before index keys', () => {
    const projection = parseExpressions({ ProjectionExpression: '#a.b.c, #d[0]', ExpressionAttributeNames: { '#a': 'a', '#d': 'd' } }).projection!;
    assert.equal(
      checkScalarKeyPaths(projection.nestedPathHeads, tableKeys, indexKeys),
      "Key attributes must be scalars; list random access '[]' and map lookup '.' are not allowed: Key: a",
    );
    const filter = parseExpressions({ FilterExpression: 'attribute_exists(d.c) AND c = :b', ExpressionAttributeValues: { ':b': { N: '1' } } }).filter!;
    assert.equal(
      checkScalarKeyPaths(filter.nestedPathHeads, tableKeys, indexKeys),
      "Key attributes must be scalars; list random access '[]' and map lookup '.' are not allowed: IndexKey: d",
    );
  });

  it('keep key attributes out of a query filter', () => {
    for (const expression of ['attribute_exists(b.c) AND c = :b', 'b = :b', 'b[1] = :b']) {
      const filter = parseExpressions({ FilterExpression: expression, ExpressionAttributeValues: { ':b': { N: '1' } } }).filter!;
      assert.equal(
        checkFilterAvoidsKeys(filter.pathHeads, tableKeys, 'Filter Expression'),
        'Filter Expression can only contain non-primary key attributes: Primary key attribute: b',
      );
    }
    assert.equal(checkFilterAvoidsKeys(new Set(['a']), tableKeys, 'QueryFilter'), 'QueryFilter can only contain non-primary key attributes: Primary key attribute: a');
    assert.equal(checkFilterAvoidsKeys(new Set(['z']), tableKeys, 'QueryFilter'), undefined);
  });
});
