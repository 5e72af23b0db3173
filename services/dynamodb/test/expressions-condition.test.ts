import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseExpressions, type AttributeValue, type ExpressionParameters } from '../src/index.js';

function failure(request: ExpressionParameters): string {
  try {
    parseExpressions(request);
  } catch (error) {
    return (error as Error).message;
  }
  assert.fail(`no error for ${JSON.stringify(request)}`);
}

const filter = (FilterExpression: string, extra: ExpressionParameters = {}) => failure({ FilterExpression, ...extra });
const PREFIX = 'Invalid FilterExpression: ';

describe('condition checks (dynalite scan validations)', () => {
  it('report redundant parentheses first', () => {
    for (const expression of [
      'a=a and a > ((views))',
      '(a)between(((b.c)).d)and(c)',
      'a > whatever((:things), ((a)))',
      'a=a AND ((a=a AND a=a)) AND a=a',
      'a=a OR ((a=a OR a=a)) OR a=a',
      'a=a AND ((a=a AND (a=a AND a=a)))',
      'a=a OR ((a=a OR (a=a OR a=a)))',
      '((a=b))',
      'NOT ((a=b))',
    ]) {
      assert.equal(filter(expression), PREFIX + 'The expression has redundant parentheses;', expression);
    }
  });

  it('report unknown functions (names are case-sensitive)', () => {
    assert.equal(filter('a=a and whatever((:things)) > a'), PREFIX + 'Invalid function name; function: whatever');
    assert.equal(filter('attRIbute_exIsts((views), #a)'), PREFIX + 'Invalid function name; function: attRIbute_exIsts');
  });

  it('report functions used where a value or a condition is expected', () => {
    const cases: Array<[string, string]> = [
      ['a=a and attribute_exists((views), (#a)) > b', 'attribute_exists'],
      ['attribute_not_exists(things) > b', 'attribute_not_exists'],
      ['attribute_type(things, :a) > b', 'attribute_type'],
      ['begins_with(things, a) > b', 'begins_with'],
      ['contains(:things, c) > b', 'contains'],
      ['size(contains(a, b)) > a', 'contains'],
      ['size(things)', 'size'],
      ['a = b AND size(c)', 'size'],
      ['NOT size(c)', 'size'],
      ['a between b and attribute_exists(things)', 'attribute_exists'],
      ['a in (b, attribute_exists(things))', 'attribute_exists'],
    ];
    for (const [expression, name] of cases) {
      assert.equal(filter(expression), PREFIX + `The function is not allowed to be used this way in an expression; function: ${name}`, expression);
    }
  });

  it('report reserved words used as names, as written', () => {
    assert.equal(filter('attribute_exists(views, #a)'), PREFIX + 'Attribute name is a reserved keyword; reserved keyword: views');
    assert.equal(filter(':a < abOrT'), PREFIX + 'Attribute name is a reserved keyword; reserved keyword: abOrT');
    assert.equal(filter('a.b.Status = :x'), PREFIX + 'Attribute name is a reserved keyword; reserved keyword: Status');
  });

  it('report undefined names and values, the first in the expression', () => {
    const names: Array<[string, string]> = [
      ['attribute_exists(#Pictures.RearView, :a) and a=a', '#Pictures'],
      ['begins_with(Pictures.#RearView)', '#RearView'],
      ['(#P between :lo and :hi) and (#PC in (:cat1, :cat2))', '#P'],
      ['#4g > a', '#4g'],
      ['#_ > a', '#_'],
      ['(a)between(b.c[45].#d)and(:a)', '#d'],
    ];
    for (const [expression, name] of names) {
      assert.equal(filter(expression), PREFIX + `An expression attribute name used in the document path is not defined; attribute name: ${name}`);
    }
    const values: Array<[string, string]> = [
      ['begins_with(:hello, #a, #b)', ':hello'],
      [':a < :b', ':a'],
      [':_ > a', ':_'],
    ];
    for (const [expression, value] of values) {
      assert.equal(filter(expression), PREFIX + `An expression attribute value used in expression is not defined; attribute value: ${value}`);
    }
  });

  it('report wrong numbers of operands', () => {
    const cases: Array<[string, string, number]> = [
      ['attribute_exists(things, a) and a=a', 'attribute_exists', 2],
      ['attribute_not_exists(things, b)', 'attribute_not_exists', 2],
      ['attribute_type(things)', 'attribute_type', 1],
      ['begins_with(things)', 'begins_with', 1],
      ['begins_with(things, size(a), b)', 'begins_with', 3],
      ['contains(things)', 'contains', 1],
      ['size(things, a) > b', 'size', 2],
    ];
    for (const [expression, name, count] of cases) {
      assert.equal(
        filter(expression),
        PREFIX + `Incorrect number of operands for operator or function; operator or function: ${name}, number of operands: ${count}`,
        expression,
      );
    }
  });

  it('report wrong operand types', () => {
    const cases: Array<[string, string, AttributeValue]> = [
      ['attribute_type(a, size(a)) and a=a and a=:a', 'attribute_type', { N: '1' }],
      ['attribute_type(a, :a)', 'attribute_type', { N: '1' }],
      ['attribute_type(a, :a)', 'attribute_type', { B: 'YQ==' }],
      ['attribute_type(a, :a)', 'attribute_type', { BOOL: true }],
      ['attribute_type(a, :a)', 'attribute_type', { NULL: true }],
      ['attribute_type(a, :a)', 'attribute_type', { L: [] }],
      ['attribute_type(a, :a)', 'attribute_type', { M: {} }],
      ['attribute_type(a, :a)', 'attribute_type', { SS: ['1'] }],
      ['begins_with(a, size(a)) and a=:a', 'begins_with', { N: '1' }],
      ['begins_with(a, :a)', 'begins_with', { N: '1' }],
      ['begins_with(a, :a)', 'begins_with', { BOOL: true }],
      ['begins_with(a, :a)', 'begins_with', { NS: ['1'] }],
      ['begins_with(:a, a)', 'begins_with', { L: [] }],
      ['begins_with(:a, a)', 'begins_with', { M: {} }],
      ['size(size(a)) > :a', 'size', { N: '1' }],
      ['attribute_not_exists(size(:a))', 'size', { N: '1' }],
      ['size(:a) > a', 'size', { BOOL: true }],
      ['size(:a) > a', 'size', { NULL: true }],
    ];
    for (const [expression, name, value] of cases) {
      const type = Object.keys(value)[0];
      assert.equal(
        filter(expression, { ExpressionAttributeValues: { ':a': value } }),
        PREFIX + `Incorrect operand type for operator or function; operator or function: ${name}, operand type: ${type}`,
        expression,
      );
    }
    assert.equal(
      filter('attribute_type(a, b)'),
      PREFIX + 'Incorrect operand type for operator or function; operator or function: attribute_type, operand type: {NS,SS,L,BS,N,M,B,BOOL,NULL,S}',
    );
  });

  it('report attribute_type names that are no type', () => {
    assert.equal(
      filter('attribute_type(a, :a)', { ExpressionAttributeValues: { ':a': { S: '1' } } }),
      PREFIX + 'Invalid attribute type name found; type: 1, valid types: {B,NULL,SS,BOOL,L,BS,N,NS,S,M}',
    );
  });

  it('report values where a document path is required', () => {
    const values = { ExpressionAttributeValues: { ':a': { S: '1' } } };
    assert.equal(filter('attribute_exists(:a) and a=a', values), PREFIX + 'Operator or function requires a document path; operator or function: attribute_exists');
    assert.equal(filter('attribute_not_exists(size(:a))', values), PREFIX + 'Operator or function requires a document path; operator or function: attribute_not_exists');
  });

  it('report the same path on both sides', () => {
    const cases: Array<[string, string, string]> = [
      ['a = a AND #a = b AND :views > a', '=', '[a]'],
      ['#a <> a', '<>', '[a]'],
      ['a > #a', '>', '[a]'],
      ['((a=a) OR (a=a))', '=', '[a]'],
      ['((a=a) AND (a=a))', '=', '[a]'],
      ['contains(ab.bc[1].a, ab.bc[1].#a)', 'contains', '[ab, bc, [1], a]'],
      ['attribute_type(ab.bc[1].#a, ab.bc[1].a)', 'attribute_type', '[ab, bc, [1], a]'],
      ['begins_with(ab.bc[1].a, ab.bc[1].#a)', 'begins_with', '[ab, bc, [1], a]'],
    ];
    for (const [expression, operator, path] of cases) {
      assert.equal(
        filter(expression, { ExpressionAttributeNames: { '#a': 'a' } }),
        PREFIX + `The first operand must be distinct from the remaining operands for this operator or function; operator: ${operator}, first operand: ${path}`,
        expression,
      );
    }
  });

  it('report BETWEEN bounds of different types or in the wrong order', () => {
    assert.equal(
      failure({ KeyConditionExpression: 'a between :b and :a', ExpressionAttributeValues: { ':a': { S: 'a' }, ':b': { N: '1' } } }),
      'Invalid KeyConditionExpression: The BETWEEN operator requires same data type for lower and upper bounds; ' +
        'lower bound operand: AttributeValue: {N:1}, upper bound operand: AttributeValue: {S:a}',
    );
    assert.equal(
      failure({ KeyConditionExpression: 'a between :b and :a', ExpressionAttributeValues: { ':a': { S: 'a' }, ':b': { S: 'b' } } }),
      'Invalid KeyConditionExpression: The BETWEEN operator requires upper bound to be greater than or equal to lower bound; ' +
        'lower bound operand: AttributeValue: {S:b}, upper bound operand: AttributeValue: {S:a}',
    );
  });

  it('rank problems: parentheses, unknown function, misuse, reserved word, then the first faulty condition', () => {
    assert.equal(filter('whatever(a) = b AND ((c = d))'), PREFIX + 'The expression has redundant parentheses;');
    assert.equal(filter('size(attribute_exists(a)) = foo(b)'), PREFIX + 'Invalid function name; function: foo');
    assert.equal(filter('name = b AND attribute_exists(a) = c'), PREFIX + 'The function is not allowed to be used this way in an expression; function: attribute_exists');
    assert.equal(filter('#x = b AND name = c'), PREFIX + 'Attribute name is a reserved keyword; reserved keyword: name');
    // Within one condition an undefined placeholder outranks the operand count; across conditions the first wins.
    assert.equal(filter('begins_with(#x) AND a = :y'), PREFIX + 'An expression attribute name used in the document path is not defined; attribute name: #x');
    assert.equal(
      filter('begins_with(a) AND a = :y'),
      PREFIX + 'Incorrect number of operands for operator or function; operator or function: begins_with, number of operands: 1',
    );
  });

  it('record the paths read, for key attribute checks', () => {
    const parsed = parseExpressions({ FilterExpression: 'attribute_exists(a.b) AND c[1] = :v OR d = :v', ExpressionAttributeValues: { ':v': { S: 'x' } } });
    assert.deepEqual([...parsed.filter!.pathHeads], ['a', 'c', 'd']);
    assert.deepEqual([...parsed.filter!.nestedPathHeads], ['a', 'c']);
  });

  it('substitute placeholders in the checked condition', () => {
    const parsed = parseExpressions({
      ConditionExpression: '#n.x[2] BETWEEN :lo AND :hi',
      ExpressionAttributeNames: { '#n': 'name' },
      ExpressionAttributeValues: { ':lo': { N: '01' }, ':hi': { N: '2' } },
    });
    assert.deepEqual(parsed.condition!.condition, {
      kind: 'between',
      operand: { kind: 'path', path: ['name', 'x', 2] },
      lower: { kind: 'value', value: { N: '1' } },
      upper: { kind: 'value', value: { N: '2' } },
    });
  });
});
