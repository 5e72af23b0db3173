import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseExpressions, type ExpressionParameters } from '../src/index.js';
import { tokenize } from '../src/expressions/tokens.js';

function failure(request: ExpressionParameters): string {
  try {
    parseExpressions(request);
  } catch (error) {
    return (error as Error).message;
  }
  assert.fail(`no error for ${JSON.stringify(request)}`);
}

describe('tokenize', () => {
  it('splits names, placeholders, numbers and symbols', () => {
    const tokens = tokenize('#a.b[12] <= :v_1 AND <>(x)ü');
    assert.deepEqual(
      tokens.map((token) => [token.kind, token.text]),
      [
        ['name', '#a'],
        ['symbol', '.'],
        ['identifier', 'b'],
        ['symbol', '['],
        ['number', '12'],
        ['symbol', ']'],
        ['symbol', '<='],
        ['value', ':v_1'],
        ['identifier', 'AND'],
        ['symbol', '<>'],
        ['symbol', '('],
        ['identifier', 'x'],
        ['symbol', ')'],
        ['unknown', 'ü'],
        ['eof', ''],
      ],
    );
  });

  it('keeps a lone # or : as an unknown token', () => {
    assert.deepEqual(
      tokenize('# :').map((token) => token.kind),
      ['unknown', 'unknown', 'eof'],
    );
  });
});

describe('syntax errors', () => {
  it('name the offending token and the tokens around it, as AWS does', () => {
    assert.equal(failure({ ConditionExpression: 'foo' }), 'Invalid ConditionExpression: Syntax error; token: "<EOF>", near: "foo"');
    assert.equal(
      failure({ KeyConditionExpression: ':hashId a', ExpressionAttributeValues: { ':hashId': { S: 'x' } } }),
      'Invalid KeyConditionExpression: Syntax error; token: "a", near: ":hashId a"',
    );
    assert.equal(failure({ UpdateExpression: 'ADD hits : incr' }), 'Invalid UpdateExpression: Syntax error; token: ":", near: "hits : incr"');
    assert.equal(failure({ UpdateExpression: 'SET MyStr = myNum + 1' }), 'Invalid UpdateExpression: Syntax error; token: "1", near: "+ 1"');
    assert.equal(
      failure({ UpdateExpression: 'SET MyStr = myNum Mystr2 myNum2' }),
      'Invalid UpdateExpression: Syntax error; token: "Mystr2", near: "myNum Mystr2 myNum2"',
    );
    assert.equal(failure({ UpdateExpression: 'SET MyStr = my Num' }), 'Invalid UpdateExpression: Syntax error; token: "Num", near: "my Num"');
    assert.equal(failure({ UpdateExpression: 'INVALID SYNTAX HERE' }), 'Invalid UpdateExpression: Syntax error; token: "INVALID", near: "INVALID SYNTAX"');
    assert.equal(failure({ UpdateExpression: 'SET path = VALUE 1' }), 'Invalid UpdateExpression: Syntax error; token: "1", near: "VALUE 1"');
    assert.equal(failure({ UpdateExpression: 'SET a = :v, updated = :w c' }), 'Invalid UpdateExpression: Syntax error; token: "c", near: ":w c"');
  });

  it('come before any other check (reserved words, placeholders)', () => {
    assert.equal(failure({ ConditionExpression: 'name = :undefined =' }), 'Invalid ConditionExpression: Syntax error; token: "=", near: ":undefined ="');
  });

  const conditionCases = [
    'things are not gonna be ok',
    'a > 4',
    'attribute_exists(Pictures-RearView)',
    'attribute_exists("Pictures.RearView")',
    'attribute_exists(Pictures..RearView)',
    'attribute_exists(Pi#ctures.RearView)',
    'attribute_exists(asdf[a])',
    'a in b, c',
    'a > between',
    'a in b',
    'a in (b,c,)',
    '(a)between(b.(c.d))and(c)',
    '(a)between(b.c.d)and((c)',
    '#$.b > a',
    'a > :things.stuff',
    'b[:a] > a',
    'b[#_] > a',
    'ü > a',
    '(a)between(b.c[4.5].#d)and(:a)',
    'size(a).b > a',
    '(size(a)).b > a',
    'size(a)[0] > a',
    '(size(a))[0] > a',
    'a = b AND',
    'NOT',
    '()',
    'a between b',
    'a = b c = d',
  ];
  it('in conditions (dynalite scan "syntax errors")', () => {
    for (const expression of conditionCases) {
      assert.match(failure({ FilterExpression: expression }), /^Invalid FilterExpression: Syntax error; token: ".+", near: ".*"$/, expression);
    }
  });

  it('in key conditions (dynalite query "syntax errors")', () => {
    for (const expression of ['things are not gonna be ok', 'a > 4', '(size(a))[0] > a']) {
      assert.match(failure({ KeyConditionExpression: expression }), /^Invalid KeyConditionExpression: Syntax error; /, expression);
    }
  });

  const updateCases = [
    'whatever',
    'set a',
    'add a',
    'delete a',
    'set a=set',
    'remove a = b',
    'add a = b',
    'delete a = b',
    'delete a b',
    'delete a if_not_exist(b)',
    'add abort b',
    'add a if_not_exist(b)',
    'remove a b',
    'set a b',
    'set :a = b',
    'add :a b',
    'delete :a b',
    'remove :a',
    'set a = b / c',
    'set a = b * c',
    'set a[1] = "eight"',
    'set a[1] = 1',
    'SET a = if_not_exist(a, 100)',
    'SET if_not_exist(a, b) = a',
    'set (a = (b + c))',
    'set a = (b.c).d + e',
    'set a = (b.c)[0] + e',
    'set a = b + c + d',
    'set a = ((b))) ',
    'set a = b,',
  ];
  it('in update expressions (dynalite updateItem "syntax errors")', () => {
    for (const expression of updateCases) {
      assert.match(failure({ UpdateExpression: expression }), /^Invalid UpdateExpression: Syntax error; token: ".+", near: ".*"$/, expression);
    }
  });

  it('in projection expressions (dynalite getItem "syntax error")', () => {
    for (const expression of ['whatever(stuff)', ':a', 'abort,', 'a,,b', 'a..b', 'a[b]', '(a.b).c', '(a)', '(a),(b)', '(a,b)', 'a-b']) {
      assert.match(failure({ ProjectionExpression: expression }), /^Invalid ProjectionExpression: Syntax error; /, expression);
    }
  });

  it('accept what AWS accepts', () => {
    for (const expression of [
      'a = b',
      '(a) = b',
      '(a = b)',
      '((a) = b)',
      'NOT a = b',
      'NOT NOT a = b',
      'a between :x and :y AND b in (:x, :y)',
      '(a)between(b.c.d)and(c)',
      'a.b[1][2].c <> #n',
      'size(a) > :x',
      '(size(b)) = :x AND c = :y',
      '((size(b)) = :x) AND c = :y',
      'a=a AND (a=a OR a=a)',
    ]) {
      const request = { FilterExpression: expression, ExpressionAttributeNames: { '#n': 'n' }, ExpressionAttributeValues: { ':x': { S: 'x' }, ':y': { S: 'y' } } };
      try {
        parseExpressions(request);
      } catch (error) {
        // Only placeholder use and distinct-operand checks may complain; the syntax is fine.
        assert.doesNotMatch((error as Error).message, /Syntax error/, expression);
      }
    }
  });

  it('accept parenthesised SET values and operands', () => {
    const parsed = parseExpressions({ UpdateExpression: 'set b.c=((c[1])+(b.a)), d = (e), f = (g) - h, i = (j - :k)', ExpressionAttributeValues: { ':k': { N: '1' } } });
    assert.equal(parsed.update?.actions.length, 4);
  });
});
