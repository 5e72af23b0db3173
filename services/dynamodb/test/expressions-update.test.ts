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

const PREFIX = 'Invalid UpdateExpression: ';
const placeholders = { ExpressionAttributeValues: { ':a': { S: 'a' }, ':b': { S: 'a' } }, ExpressionAttributeNames: { '#a': 'a', '#b': 'b' } };
const update = (UpdateExpression: string, extra: ExpressionParameters = placeholders) => failure({ UpdateExpression, ...extra });

describe('update expression checks (dynalite updateItem validations)', () => {
  it('report empty expressions', () => {
    assert.equal(failure({ UpdateExpression: '', ConditionExpression: '' }), PREFIX + 'The expression can not be empty;');
  });

  it('report reserved words first', () => {
    assert.equal(update(' set #c = :c set abOrt = true '), PREFIX + 'Attribute name is a reserved keyword; reserved keyword: abOrt');
    assert.equal(update(' remove Absolute '), PREFIX + 'Attribute name is a reserved keyword; reserved keyword: Absolute');
  });

  it('report unknown functions before repeated clauses and undefined names', () => {
    assert.equal(update('set #c = if_not_exist(:c) set c = d'), PREFIX + 'Invalid function name; function: if_not_exist');
  });

  it('report repeated clauses', () => {
    const cases: Array<[string, string]> = [
      ['set a = #c set c = :d', 'SET'],
      ['remove #d set a = b remove e', 'REMOVE'],
      ['add #d :e set a = b add e :f', 'ADD'],
      ['delete #d :e set a = b delete #e :f', 'DELETE'],
    ];
    for (const [expression, clause] of cases) {
      assert.equal(update(expression), PREFIX + `The "${clause}" section can only be used once in an update expression;`);
    }
  });

  it('report undefined names, then undefined values', () => {
    assert.equal(update('SET #c = if_not_exists(:c)'), PREFIX + 'An expression attribute name used in the document path is not defined; attribute name: #c');
    assert.equal(update('SET #a = if_not_exists(:c)'), PREFIX + 'An expression attribute value used in expression is not defined; attribute value: :c');
    assert.equal(update('SET a = :c, #c = b'), PREFIX + 'An expression attribute name used in the document path is not defined; attribute name: #c');
  });

  it('report overlapping paths, before conflicting ones', () => {
    const names = { ExpressionAttributeNames: { '#c': 'c', '#d': '[3]' } };
    assert.equal(
      update('set d[1] = a, d.b = a, c[1].a = a, #c = if_not_exists(a)', names),
      PREFIX + 'Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [c, [1], a], path two: [c]',
    );
    assert.equal(
      update('set #c[3].#d = a, #c[3] = a', names),
      PREFIX + 'Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [c, [3], [3]], path two: [c, [3]]',
    );
    assert.equal(
      update('set a = b, a = c', {}),
      PREFIX + 'Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [a], path two: [a]',
    );
  });

  it('report conflicting paths', () => {
    const names = { ExpressionAttributeNames: { '#b': 'b', '#c': 'c', '#d': '[3]' } };
    assert.equal(
      update('set #c[3].#d = a, #c.#d[3] = if_not_exists(a)', names),
      PREFIX + 'Two document paths conflict with each other; must remove or rewrite one of these paths; path one: [c, [3], [3]], path two: [c, [3], [3]]',
    );
    assert.equal(
      update('remove a.#c set a[1] = #d', names),
      PREFIX + 'Two document paths conflict with each other; must remove or rewrite one of these paths; path one: [a, c], path two: [a, [1]]',
    );
  });

  it('report ADD and DELETE operands of the wrong type', () => {
    const cases: Array<[string, AttributeValue, string, string]> = [
      ['set b = list_append(:a, a), c = if_not_exists(a) add a.b :a', { S: 'a' }, 'ADD', 'STRING'],
      ['delete a.b :a', { S: 'a' }, 'DELETE', 'STRING'],
      ['add a.b :a', { NULL: true }, 'ADD', 'NULL'],
      ['delete a.b :a', { NULL: true }, 'DELETE', 'NULL'],
      ['add a.b :a', { BOOL: false }, 'ADD', 'BOOLEAN'],
      ['delete a.b :a', { BOOL: false }, 'DELETE', 'BOOLEAN'],
      ['add a.b :a', { B: 'YQ==' }, 'ADD', 'BINARY'],
      ['delete a.b :a', { B: 'YQ==' }, 'DELETE', 'BINARY'],
      ['add a.b :a', { M: { a: { L: [{ N: '1' }] } } }, 'ADD', 'MAP'],
      ['delete a.b :a', { M: { a: { L: [{ N: '1' }] } } }, 'DELETE', 'MAP'],
      ['add a.b :a', { L: [{ N: '1' }] }, 'ADD', 'LIST'],
      ['delete a.b :a', { L: [{ N: '1' }] }, 'DELETE', 'LIST'],
      ['delete a.b :a', { N: '1' }, 'DELETE', 'NUMBER'],
    ];
    for (const [expression, value, operator, type] of cases) {
      assert.equal(
        update(expression, { ExpressionAttributeValues: { ':a': value, ':b': { S: 'a' } } }),
        PREFIX + `Incorrect operand type for operator or function; operator: ${operator}, operand type: ${type}`,
        expression,
      );
    }
  });

  it('report function operand counts and document paths', () => {
    assert.equal(update('set a = if_not_exists(c)'), PREFIX + 'Incorrect number of operands for operator or function; operator or function: if_not_exists, number of operands: 1');
    assert.equal(update('set a = list_append(c)'), PREFIX + 'Incorrect number of operands for operator or function; operator or function: list_append, number of operands: 1');
    assert.equal(update('set a = if_not_exists(:a, c)'), PREFIX + 'Operator or function requires a document path; operator or function: if_not_exists');
    assert.equal(update('set a = if_not_exists(if_not_exists(a, b), c)'), PREFIX + 'Operator or function requires a document path; operator or function: if_not_exists');
  });

  it('report function operands of the wrong type', () => {
    const values = {
      ':a': { S: 'a' },
      ':b': { N: '1' },
      ':c': { B: 'YQ==' },
      ':d': { BOOL: false },
      ':e': { NULL: true },
      ':f': { SS: ['a'] },
      ':g': { NS: ['1'] },
      ':h': { BS: ['YQ=='] },
      ':i': { M: {} },
      ':j': { L: [] },
    };
    const cases: Array<[string, string, string]> = [
      ['set a = list_append(:a, a)', 'list_append', 'S'],
      ['set a = list_append(a, :b)', 'list_append', 'N'],
      ['set a = list_append(:c, a)', 'list_append', 'B'],
      ['set a = list_append(:d, a)', 'list_append', 'BOOL'],
      ['set a = list_append(:e, a)', 'list_append', 'NULL'],
      ['set a = list_append(:f, a)', 'list_append', 'SS'],
      ['set a = list_append(:g, a)', 'list_append', 'NS'],
      ['set a = list_append(:h, a)', 'list_append', 'BS'],
      ['set a = list_append(:i, a)', 'list_append', 'M'],
      ['set a = a + :a', '+', 'S'],
      ['set a = :a + :c', '+', 'S'],
      ['set a = :c + a', '+', 'B'],
      ['set a = a + :d', '+', 'BOOL'],
      ['set a = a + :e', '+', 'NULL'],
      ['set a = a + :f', '+', 'SS'],
      ['set a = a + :i', '+', 'M'],
      ['set a = a + :j', '+', 'L'],
      ['set a = a - :a', '-', 'S'],
      ['set a = :c - a', '-', 'B'],
      ['set a = a - :g', '-', 'NS'],
      ['set a = a - :h', '-', 'BS'],
    ];
    for (const [expression, name, type] of cases) {
      assert.equal(
        update(expression, { ExpressionAttributeValues: values, ExpressionAttributeNames: { '#a': 'a', '#b': 'b' } }),
        PREFIX + `Incorrect operand type for operator or function; operator or function: ${name}, operand type: ${type}`,
        expression,
      );
    }
  });

  it('plan the actions with substituted placeholders and known result types', () => {
    const parsed = parseExpressions({
      UpdateExpression: 'SET #a.b[1] = if_not_exists(c, :n) + :n, d = list_append(e, :l) REMOVE f[0] ADD g :s DELETE h :s',
      ExpressionAttributeNames: { '#a': 'a' },
      ExpressionAttributeValues: { ':n': { N: '1' }, ':l': { L: [] }, ':s': { SS: ['x'] } },
    });
    const plan = parsed.update!;
    assert.equal(plan.legacy, false);
    assert.deepEqual(plan.actions, [
      {
        kind: 'set',
        path: ['a', 'b', 1],
        value: {
          kind: 'plus',
          left: { kind: 'if_not_exists', path: ['c'], fallback: { kind: 'value', value: { N: '1' } } },
          right: { kind: 'value', value: { N: '1' } },
        },
        staticType: 'N',
      },
      { kind: 'set', path: ['d'], value: { kind: 'list_append', first: { kind: 'path', path: ['e'] }, second: { kind: 'value', value: { L: [] } } }, staticType: 'L' },
      { kind: 'remove', path: ['f', 0] },
      { kind: 'add', path: ['g'], value: { SS: ['x'] }, staticType: 'SS' },
      { kind: 'delete', path: ['h'], value: { SS: ['x'] }, staticType: 'SS' },
    ]);
    assert.deepEqual([...plan.nestedPathHeads], ['a', 'f']);
  });

  it('know the type of if_not_exists from its fallback', () => {
    const parsed = parseExpressions({ UpdateExpression: 'SET a = if_not_exists(b, :s), c = :s', ExpressionAttributeValues: { ':s': { S: 'x' } } });
    assert.deepEqual(
      parsed.update!.actions.map((action) => action.staticType),
      ['S', 'S'],
    );
  });

  it('allow keywords of other languages and any clause order', () => {
    const parsed = parseExpressions({ UpdateExpression: 'ADD #e :e,#d :d DELETE #c :c REMOVE #b SET #f = :f', ...allPlaceholders() });
    assert.deepEqual(
      parsed.update!.actions.map((action) => action.kind),
      ['add', 'add', 'delete', 'remove', 'set'],
    );
  });
});

function allPlaceholders(): ExpressionParameters {
  return {
    ExpressionAttributeValues: { ':c': { SS: ['a', 'b'] }, ':d': { N: '5' }, ':e': { SS: ['a', 'b'] }, ':f': { L: [{ S: 'a' }, { N: '1' }] } },
    ExpressionAttributeNames: { '#b': 'b', '#c': 'c', '#d': 'd', '#e': 'e', '#f': 'f' },
  };
}
