import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { attributesToGetProjection, parseExpressions, project, type AttributeMap, type ExpressionParameters } from '../src/index.js';

function failure(request: ExpressionParameters): string {
  try {
    parseExpressions(request);
  } catch (error) {
    return (error as Error).message;
  }
  assert.fail(`no error for ${JSON.stringify(request)}`);
}

const PREFIX = 'Invalid ProjectionExpression: ';

describe('projection expression checks (dynalite getItem validations)', () => {
  it('report empty expressions', () => {
    assert.equal(failure({ ProjectionExpression: '' }), PREFIX + 'The expression can not be empty;');
  });

  it('report reserved words', () => {
    assert.equal(failure({ ProjectionExpression: 'a.abORt' }), PREFIX + 'Attribute name is a reserved keyword; reserved keyword: abORt');
    assert.equal(failure({ ProjectionExpression: '#a,ABSoLUTE' }), PREFIX + 'Attribute name is a reserved keyword; reserved keyword: ABSoLUTE');
  });

  it('report undefined names before overlaps', () => {
    assert.equal(failure({ ProjectionExpression: 'a,b,a,#a' }), PREFIX + 'An expression attribute name used in the document path is not defined; attribute name: #a');
  });

  it('report overlapping paths', () => {
    const names = { ExpressionAttributeNames: { '#a': 'a' } };
    assert.equal(
      failure({ ProjectionExpression: 'b[1], b.a, #a.b, a', ...names }),
      PREFIX + 'Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [a, b], path two: [a]',
    );
    assert.equal(
      failure({ ProjectionExpression: 'a, #a[1]', ...names }),
      PREFIX + 'Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [a], path two: [a, [1]]',
    );
  });

  it('report conflicting paths', () => {
    const names = { ExpressionAttributeNames: { '#a': 'a', '#b': '[3]' } };
    const cases: Array<[string, string, string]> = [
      ['a.b, #a[1], #b', '[a, b]', '[a, [1]]'],
      ['a.b[1], #a[1], #b', '[a, b, [1]]', '[a, [1]]'],
      ['a[3].b, #a.#b.b', '[a, [3], b]', '[a, [3], b]'],
    ];
    for (const [expression, one, two] of cases) {
      assert.equal(
        failure({ ProjectionExpression: expression, ...names }),
        PREFIX + `Two document paths conflict with each other; must remove or rewrite one of these paths; path one: ${one}, path two: ${two}`,
      );
    }
  });

  it('report names no expression used', () => {
    for (const expression of ['a', 'a,b']) {
      assert.equal(
        failure({ ProjectionExpression: expression, ExpressionAttributeNames: { '#a': 'a', '#b': 'b' } }),
        'Value provided in ExpressionAttributeNames unused in expressions: keys: {#a, #b}',
      );
    }
  });

  it('records nested paths for key attribute checks', () => {
    const parsed = parseExpressions({ ProjectionExpression: '#a.b.c, d, e[0]', ExpressionAttributeNames: { '#a': 'a' } });
    assert.deepEqual(parsed.projection!.paths, [['a', 'b', 'c'], ['d'], ['e', 0]]);
    assert.deepEqual([...parsed.projection!.nestedPathHeads], ['a', 'e']);
  });
});

describe('project', () => {
  const item: AttributeMap = {
    a: { S: 'x' },
    b: { M: { a: { S: 'a' }, b: { S: 'b' }, c: { S: 'c' } } },
    c: { L: [{ S: 'a' }, { S: 'b' }, { S: 'c' }] },
  };

  it('selects nested attributes and list elements, closing up the lists (dynalite getItem)', () => {
    const { projection } = parseExpressions({ ProjectionExpression: 'b.c,c[2],b.b,c[1],c[0].a' });
    assert.deepEqual(project(item, projection!.paths), { b: { M: { c: { S: 'c' }, b: { S: 'b' } } }, c: { L: [{ S: 'b' }, { S: 'c' }] } });
  });

  it('skips what the item does not have (dynalite query nested projection)', () => {
    const { projection } = parseExpressions({ ProjectionExpression: 'f[2], f[0], e.d, e.a, d' });
    const paths = projection!.paths;
    assert.deepEqual(
      project({ a: { S: '1' }, b: { S: 'b1' }, e: { M: { a: { S: 'b1' }, d: { S: 'b1' } } }, f: { L: [{ S: 'd1' }, { S: 'd2' }, { S: 'd3' }] } }, paths),
      { e: { M: { a: { S: 'b1' }, d: { S: 'b1' } } }, f: { L: [{ S: 'd1' }, { S: 'd3' }] } },
    );
    assert.deepEqual(project({ a: { S: '1' }, b: { S: 'b2' } }, paths), {});
    assert.deepEqual(project({ a: { S: '1' }, d: { S: 'd3' }, e: { S: 'e3' } }, paths), { d: { S: 'd3' } });
  });

  it('does not modify the item', () => {
    const copy = structuredClone(item);
    project(item, [['c', 2], ['b', 'a']]);
    assert.deepEqual(item, copy);
  });

  it('serves AttributesToGet', () => {
    assert.deepEqual(project(item, attributesToGetProjection(['a', 'z']).paths), { a: { S: 'x' } });
  });

  it('handles lists inside lists', () => {
    const nested: AttributeMap = { l: { L: [{ L: [{ N: '1' }, { N: '2' }] }, { L: [{ N: '3' }] }] } };
    assert.deepEqual(project(nested, [['l', 1, 0], ['l', 0, 1]]), { l: { L: [{ L: [{ N: '2' }] }, { L: [{ N: '3' }] }] } });
  });
});
