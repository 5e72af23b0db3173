import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { evaluateCondition, evaluateOperand, parseExpressions, type AttributeMap, type AttributeValue, type Condition, type Operand } from '../src/index.js';

const b64 = (text: string) => Buffer.from(text).toString('base64');

/** Whether `expression` holds for `item`, with :v (and :w) as placeholder values. */
function holds(expression: string, item: AttributeMap, v?: AttributeValue, w?: AttributeValue): boolean {
  const values: Record<string, AttributeValue> = {};
  if (v !== undefined) values[':v'] = structuredClone(v);
  if (w !== undefined) values[':w'] = structuredClone(w);
  const parsed = parseExpressions({ ConditionExpression: expression, ExpressionAttributeValues: v === undefined ? undefined : values });
  return evaluateCondition(parsed.condition!.condition, item);
}

describe('evaluateCondition', () => {
  const item: AttributeMap = {
    s: { S: 'hello' },
    n: { N: '12.5' },
    b: { B: b64('abdef') },
    ss: { SS: ['abd', 'bde'] },
    ns: { NS: ['123', '234'] },
    bs: { BS: [b64('bde'), 'abcd'] },
    l: { L: [{ N: '123' }, { S: 'bde' }, { M: { x: { S: 'y' } } }] },
    m: { M: { a: { M: { b: { S: 'deep' } } } } },
    t: { BOOL: true },
    z: { NULL: true },
  };

  it('compares numbers by value and strings by bytes', () => {
    assert.ok(holds('n > :v', item, { N: '9' }));
    assert.ok(holds('n <= :v', item, { N: '12.50' }));
    assert.ok(!holds('n < :v', item, { N: '12.5' }));
    assert.ok(holds('s < :v', item, { S: 'help' }));
    assert.ok(holds('s >= :v', item, { S: 'hello' }));
    assert.ok(holds('b < :v', item, { B: b64('b') }));
  });

  it('is false for order comparisons between types, and for sets', () => {
    assert.ok(!holds('n > :v', item, { S: '1' }));
    assert.ok(!holds('ss > :v', item, { SS: ['a'] }));
    assert.ok(!holds('t > :v', item, { BOOL: false }));
  });

  it('makes = false and <> true when an attribute is missing or of another type', () => {
    assert.ok(!holds('nothere = :v', item, { S: 'x' }));
    assert.ok(holds('nothere <> :v', item, { S: 'x' }));
    assert.ok(holds('s <> :v', item, { N: '1' }));
    assert.ok(!holds('s <> :v', item, { S: 'hello' }));
  });

  it('compares sets without order', () => {
    assert.ok(holds('ss = :v', item, { SS: ['bde', 'abd'] }));
    assert.ok(holds('ns = :v', item, { NS: ['234', '123'] }));
    assert.ok(!holds('ns = :v', item, { NS: ['123'] }));
  });

  it('evaluates BETWEEN and IN', () => {
    assert.ok(holds('n BETWEEN :v AND :w', item, { N: '12' }, { N: '13' }));
    assert.ok(holds('n BETWEEN :v AND :w', item, { N: '12.5' }, { N: '12.5' }));
    assert.ok(!holds('n BETWEEN :v AND :w', item, { N: '1' }, { N: '12' }));
    assert.ok(holds('s IN (:v, :w)', item, { S: 'x' }, { S: 'hello' }));
    assert.ok(!holds('nothere IN (:v, :w)', item, { S: 'x' }, { S: 'hello' }));
    assert.ok(holds('n IN (:v)', item, { N: '12.50' }));
  });

  it('evaluates AND, OR and NOT with NOT binding tightest, then AND', () => {
    const t = { BOOL: true };
    assert.ok(holds('t = :v OR t <> :v AND t <> :v', item, t));
    assert.ok(!holds('(t = :v OR t <> :v) AND t <> :v', item, t));
    assert.ok(holds('NOT t <> :v AND t = :v', item, t));
    assert.ok(!holds('NOT (t = :v AND t = :v)', item, t));
    assert.ok(holds('NOT NOT t = :v', item, t));
  });

  it('evaluates long IN lists (dynalite scans with 27500 values)', () => {
    const list: Operand[] = [];
    for (let i = 0; i < 27500; i++) list.push({ kind: 'value', value: { N: String(i) } });
    const condition: Condition = { kind: 'in', operand: { kind: 'path', path: ['n'] }, list };
    assert.ok(evaluateCondition(condition, { n: { N: '27499' } }));
    assert.ok(!evaluateCondition(condition, { n: { N: '27500' } }));
    assert.ok(!evaluateCondition(condition, { n: { S: '1' } }));
    assert.ok(!evaluateCondition(condition, {}));
    const mixed: Condition = { kind: 'in', operand: { kind: 'path', path: ['s'] }, list: [...list, { kind: 'value', value: { SS: ['a'] } }] };
    assert.ok(evaluateCondition(mixed, { s: { SS: ['a'] } }));
    assert.ok(evaluateCondition(mixed, { s: { N: '3' } }));
  });

  it('tests existence and types, nested', () => {
    assert.ok(holds('attribute_exists(m.a.b)', item));
    assert.ok(!holds('attribute_exists(m.a.c)', item));
    assert.ok(holds('attribute_not_exists(l[3])', item));
    assert.ok(holds('attribute_exists(l[2].x)', item));
    assert.ok(!holds('attribute_exists(s.x)', item));
    assert.ok(holds('attribute_type(m.a, :v)', item, { S: 'M' }));
    assert.ok(holds('attribute_type(z, :v)', item, { S: 'NULL' }));
    assert.ok(!holds('attribute_type(nothere, :v)', item, { S: 'S' }));
  });

  it('evaluates begins_with on strings and binaries', () => {
    assert.ok(holds('begins_with(s, :v)', item, { S: 'he' }));
    assert.ok(!holds('begins_with(s, :v)', item, { S: 'lo' }));
    assert.ok(holds('begins_with(b, :v)', item, { B: b64('abd') }));
    assert.ok(!holds('begins_with(b, :v)', item, { S: 'abd' }));
  });

  it('evaluates contains as dynalite recorded it against DynamoDB', () => {
    assert.ok(holds('contains(s, :v)', item, { S: 'ell' }));
    assert.ok(holds('contains(ss, :v)', item, { S: 'bde' }));
    assert.ok(!holds('contains(ss, :v)', item, { S: 'bd' }));
    assert.ok(holds('contains(l, :v)', item, { S: 'bde' }));
    assert.ok(holds('contains(l, :v)', item, { N: '123' }));
    assert.ok(holds('contains(l, :v)', item, { M: { x: { S: 'y' } } }));
    assert.ok(holds('contains(ns, :v)', item, { N: '234' }));
    assert.ok(!holds('contains(n, :v)', item, { N: '2' }));
    assert.ok(holds('contains(b, :v)', item, { B: b64('bde') }));
    assert.ok(holds('contains(bs, :v)', item, { B: b64('bde') }));
    assert.ok(!holds('contains(b, :v)', item, { S: 'bde' }));
    assert.ok(holds('NOT contains(nothere, :v)', item, { S: 'x' }));
  });

  it('computes size() like dynalite recorded it', () => {
    const sized = (value: AttributeValue) => evaluateOperand({ kind: 'size', operand: { kind: 'value', value } }, {});
    assert.deepEqual(sized({ S: 'abÿ' }), { N: '3' });
    assert.deepEqual(sized({ B: 'YWJj' }), { N: '3' });
    assert.deepEqual(sized({ SS: ['a', 'b', 'c'] }), { N: '3' });
    assert.deepEqual(sized({ L: [{ S: 'a' }, { S: 'a' }, { S: 'a' }] }), { N: '3' });
    assert.deepEqual(sized({ M: { a: { S: 'a' }, b: { S: 'a' }, c: { S: 'a' } } }), { N: '3' });
    assert.equal(sized({ N: '123' }), undefined);
    assert.ok(holds('size(l) = :v', item, { N: '3' }));
    assert.ok(!holds('size(n) = :v', item, { N: '3' }));
    assert.ok(!holds('size(nothere) < :v', item, { N: '3' }));
  });

  it('treats a nothere item as empty', () => {
    assert.ok(!holds('attribute_exists(a)', {}));
    assert.ok(holds('attribute_not_exists(a)', {}));
  });

  it('does not see Object.prototype members as attributes', () => {
    const parsed = parseExpressions({ ConditionExpression: 'attribute_not_exists(#c)', ExpressionAttributeNames: { '#c': 'constructor' } });
    assert.ok(evaluateCondition(parsed.condition!.condition, JSON.parse('{"a":{"S":"x"}}')));
  });
});
