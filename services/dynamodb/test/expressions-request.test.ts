import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { checkExpressionParameters, parseExpressions, type AttributeValue, type ExpressionParameters } from '../src/index.js';

function failure(request: ExpressionParameters): string {
  try {
    parseExpressions(request);
  } catch (error) {
    return (error as Error).message;
  }
  assert.fail(`no error for ${JSON.stringify(request)}`);
}

describe('parseExpressions', () => {
  it('checks the placeholder maps before the expressions', () => {
    assert.equal(failure({ ConditionExpression: '', UpdateExpression: '', ExpressionAttributeNames: {}, ExpressionAttributeValues: {} }), 'ExpressionAttributeNames must not be empty');
    assert.equal(
      failure({ ConditionExpression: '', ExpressionAttributeNames: { a: 'a' }, ExpressionAttributeValues: {} }),
      'ExpressionAttributeNames contains invalid key: Syntax error; key: "a"',
    );
    assert.equal(failure({ ConditionExpression: '', ExpressionAttributeValues: {} }), 'ExpressionAttributeValues must not be empty');
    assert.equal(
      failure({ ConditionExpression: '', ExpressionAttributeValues: { ':b': { a: '' } as AttributeValue, b: { S: 'a' } } }),
      'ExpressionAttributeValues contains invalid key: Syntax error; key: "b"',
    );
  });

  it('reports invalid values with their key (dynalite updateItem)', () => {
    const cases: Array<[unknown, string]> = [
      [{}, 'Supplied AttributeValue is empty, must contain exactly one of the supported datatypes'],
      [{ M: { a: {} } }, 'Supplied AttributeValue is empty, must contain exactly one of the supported datatypes'],
      [{ NULL: false }, 'One or more parameter values were invalid: Null attribute value types must have the value of true'],
      [{ SS: ['a', 'a'] }, 'One or more parameter values were invalid: Input collection [a, a] contains duplicates.'],
      [{ S: 'a', N: 'b' }, 'The parameter cannot be converted to a numeric value: b'],
      [{ NS: ['1', '1'] }, 'Input collection contains duplicates'],
      [{ S: 'a', N: '1' }, 'Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes'],
    ];
    for (const [value, message] of cases) {
      assert.equal(
        failure({ ConditionExpression: '', UpdateExpression: '', ExpressionAttributeValues: { ':b': value as AttributeValue } }),
        `ExpressionAttributeValues contains invalid value: ${message} for key :b`,
      );
    }
  });

  it('parses in the order Update, Condition, KeyCondition, Filter, Projection', () => {
    assert.equal(failure({ UpdateExpression: '', ConditionExpression: '' }), 'Invalid UpdateExpression: The expression can not be empty;');
    assert.equal(failure({ ConditionExpression: '' }), 'Invalid ConditionExpression: The expression can not be empty;');
    assert.equal(
      failure({ KeyConditionExpression: '', FilterExpression: '', ProjectionExpression: '', ExpressionAttributeValues: { ':0': { S: 'b' } } }),
      'Invalid KeyConditionExpression: The expression can not be empty;',
    );
    assert.equal(
      failure({ KeyConditionExpression: 'attribute_type(a, :a)', FilterExpression: '', ProjectionExpression: '', ExpressionAttributeValues: { ':a': { S: 'N' } } }),
      'Invalid FilterExpression: The expression can not be empty;',
    );
    assert.equal(failure({ FilterExpression: 'a > b', ProjectionExpression: '' }), 'Invalid ProjectionExpression: The expression can not be empty;');
  });

  it('reports placeholders no expression used, names before values', () => {
    assert.equal(
      failure({
        UpdateExpression: 'remove a set b = list_append(b, if_not_exists(a, :a))',
        ConditionExpression: 'a = :b',
        ExpressionAttributeValues: { ':a': { S: 'a' }, ':b': { S: 'a' }, ':c': { S: 'c' } },
        ExpressionAttributeNames: { '#a': 'a', '#b': 'b' },
      }),
      'Value provided in ExpressionAttributeNames unused in expressions: keys: {#a, #b}',
    );
    assert.equal(
      failure({ UpdateExpression: 'remove a', ConditionExpression: 'a = :b', ExpressionAttributeValues: { ':a': { S: 'a' }, ':b': { S: 'a' }, ':c': { S: 'a' } } }),
      'Value provided in ExpressionAttributeValues unused in expressions: keys: {:a, :c}',
    );
  });

  it('shares placeholders between the expressions of a request', () => {
    const parsed = parseExpressions({
      KeyConditionExpression: '#k = :k',
      FilterExpression: '#f > :k',
      ProjectionExpression: '#k, #f',
      ExpressionAttributeNames: { '#k': 'key', '#f': 'field' },
      ExpressionAttributeValues: { ':k': { S: 'x' } },
    });
    assert.ok(parsed.keyCondition && parsed.filter && parsed.projection);
    assert.equal(parsed.update, undefined);
    assert.deepEqual(parsed.projection.paths, [['key'], ['field']]);
  });

  it('treats null parameters as absent', () => {
    assert.deepEqual(parseExpressions({ ConditionExpression: null, ExpressionAttributeNames: null }), {});
  });
});

describe('checkExpressionParameters', () => {
  it('refuses expression and legacy parameters together', () => {
    assert.equal(
      checkExpressionParameters(
        { Expected: {}, AttributeUpdates: {}, ConditionExpression: '', UpdateExpression: '' },
        ['UpdateExpression', 'ConditionExpression'],
        ['AttributeUpdates', 'Expected'],
      ),
      'Can not use both expression and non-expression parameters in the same request: Non-expression parameters: {AttributeUpdates, Expected} Expression parameters: {UpdateExpression, ConditionExpression}',
    );
    const query = ['ProjectionExpression', 'FilterExpression', 'KeyConditionExpression'];
    const legacyQuery = ['AttributesToGet', 'QueryFilter', 'ConditionalOperator', 'KeyConditions'];
    assert.equal(
      checkExpressionParameters(
        { AttributesToGet: [], QueryFilter: {}, ConditionalOperator: 'OR', KeyConditions: {}, ProjectionExpression: '', FilterExpression: '', KeyConditionExpression: '' },
        query,
        legacyQuery,
      ),
      'Can not use both expression and non-expression parameters in the same request: Non-expression parameters: {AttributesToGet, QueryFilter, ConditionalOperator, KeyConditions} Expression parameters: {ProjectionExpression, FilterExpression, KeyConditionExpression}',
    );
  });

  it('lets Query use KeyConditions with other expressions', () => {
    const query = ['ProjectionExpression', 'FilterExpression', 'KeyConditionExpression'];
    const legacyQuery = ['AttributesToGet', 'QueryFilter', 'ConditionalOperator', 'KeyConditions'];
    assert.equal(
      checkExpressionParameters({ QueryFilter: {}, KeyConditions: {}, FilterExpression: '', ProjectionExpression: '' }, query, legacyQuery),
      'Can not use both expression and non-expression parameters in the same request: Non-expression parameters: {QueryFilter} Expression parameters: {ProjectionExpression, FilterExpression}',
    );
    assert.equal(checkExpressionParameters({ KeyConditions: {}, FilterExpression: 'a = :a' }, query, legacyQuery), undefined);
  });

  it('wants an expression for the placeholder maps', () => {
    assert.equal(
      checkExpressionParameters({ Expected: {}, ExpressionAttributeNames: {}, ExpressionAttributeValues: {} }, ['ConditionExpression'], ['Expected']),
      'ExpressionAttributeNames can only be specified when using expressions',
    );
    assert.equal(
      checkExpressionParameters({ ExpressionAttributeValues: {} }, ['UpdateExpression', 'ConditionExpression'], ['AttributeUpdates', 'Expected']),
      'ExpressionAttributeValues can only be specified when using expressions: UpdateExpression and ConditionExpression are null',
    );
    assert.equal(
      checkExpressionParameters({ ExpressionAttributeValues: {} }, ['ConditionExpression'], ['Expected']),
      'ExpressionAttributeValues can only be specified when using expressions: ConditionExpression is null',
    );
    assert.equal(
      checkExpressionParameters({ ExpressionAttributeValues: {}, ProjectionExpression: 'a' }, ['ProjectionExpression', 'FilterExpression', 'KeyConditionExpression'], []),
      'ExpressionAttributeValues can only be specified when using expressions: FilterExpression and KeyConditionExpression are null',
    );
    assert.equal(checkExpressionParameters({ ExpressionAttributeNames: {}, ProjectionExpression: '' }, ['ProjectionExpression'], ['AttributesToGet']), undefined);
  });
});
