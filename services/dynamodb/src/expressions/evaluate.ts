import { typeOf, type AttributeMap, type AttributeValue } from '../values/attribute-value.js';
import { base64ByteLength, compareScalars, valuesEqual } from '../values/compare.js';
import type { Condition, Operand } from './condition.js';
import { valueAtPath } from './paths.js';

/**
 * Evaluates a checked condition against an item (an empty object when there is none). A path that is
 * missing makes comparisons false, except <>, which is the negation of =.
 */
export function evaluateCondition(condition: Condition, item: AttributeMap): boolean {
  switch (condition.kind) {
    case 'and':
      return evaluateCondition(condition.left, item) && evaluateCondition(condition.right, item);
    case 'or':
      return evaluateCondition(condition.left, item) || evaluateCondition(condition.right, item);
    case 'not':
      return !evaluateCondition(condition.condition, item);
    case 'compare': {
      const left = evaluateOperand(condition.left, item);
      const right = evaluateOperand(condition.right, item);
      switch (condition.operator) {
        case '=':
          return left !== undefined && right !== undefined && valuesEqual(left, right);
        case '<>':
          return !(left !== undefined && right !== undefined && valuesEqual(left, right));
        default: {
          const order = left !== undefined && right !== undefined ? compareScalars(left, right) : undefined;
          if (order === undefined) return false;
          if (condition.operator === '<') return order < 0;
          if (condition.operator === '<=') return order <= 0;
          if (condition.operator === '>') return order > 0;
          return order >= 0;
        }
      }
    }
    case 'between': {
      const value = evaluateOperand(condition.operand, item);
      const lower = evaluateOperand(condition.lower, item);
      const upper = evaluateOperand(condition.upper, item);
      if (value === undefined || lower === undefined || upper === undefined) return false;
      const fromLower = compareScalars(value, lower);
      const toUpper = compareScalars(value, upper);
      return fromLower !== undefined && toUpper !== undefined && fromLower >= 0 && toUpper <= 0;
    }
    case 'in': {
      const value = evaluateOperand(condition.operand, item);
      if (value === undefined) return false;
      const literals = literalKeys(condition);
      if (literals !== undefined) {
        const key = scalarKey(value);
        if (key !== undefined) return literals.has(key);
      }
      for (const candidate of condition.list) {
        const other = evaluateOperand(candidate, item);
        if (other !== undefined && valuesEqual(value, other)) return true;
      }
      return false;
    }
    case 'attribute_exists':
      return valueAtPath(item, condition.path) !== undefined;
    case 'attribute_not_exists':
      return valueAtPath(item, condition.path) === undefined;
    case 'attribute_type': {
      const value = evaluateOperand(condition.operand, item);
      const type = evaluateOperand(condition.type, item);
      return value !== undefined && type?.S !== undefined && typeOf(value) === type.S;
    }
    case 'begins_with': {
      const value = evaluateOperand(condition.operand, item);
      const prefix = evaluateOperand(condition.prefix, item);
      if (value === undefined || prefix === undefined) return false;
      if (value.S !== undefined && prefix.S !== undefined) return value.S.startsWith(prefix.S);
      if (value.B !== undefined && prefix.B !== undefined) return bytes(value.B).subarray(0, base64ByteLength(prefix.B)).equals(bytes(prefix.B));
      return false;
    }
    case 'contains': {
      const value = evaluateOperand(condition.operand, item);
      const member = evaluateOperand(condition.value, item);
      return value !== undefined && member !== undefined && contains(value, member);
    }
  }
}

/**
 * IN lists can be long (tens of thousands of values) and are the same for every item: when they hold
 * only scalar literals, a set of them is built once per condition and looked up per item.
 */
const inListKeys = new WeakMap<Condition, Set<string> | null>();
const MIN_LIST_FOR_LOOKUP = 8;

function literalKeys(condition: Extract<Condition, { kind: 'in' }>): Set<string> | undefined {
  let keys = inListKeys.get(condition);
  if (keys === undefined) {
    keys = condition.list.length >= MIN_LIST_FOR_LOOKUP ? scalarLiteralKeys(condition.list) : null;
    inListKeys.set(condition, keys);
  }
  return keys ?? undefined;
}

function scalarLiteralKeys(list: readonly Operand[]): Set<string> | null {
  const keys = new Set<string>();
  for (const candidate of list) {
    const key = candidate.kind === 'value' ? scalarKey(candidate.value) : undefined;
    if (key === undefined) return null;
    keys.add(key);
  }
  return keys;
}

/** A string that is equal for equal scalar values (numbers are canonical), or undefined for other types. */
function scalarKey(value: AttributeValue): string | undefined {
  if (value.S !== undefined) return 'S' + value.S;
  if (value.N !== undefined) return 'N' + value.N;
  if (value.B !== undefined) return 'B' + value.B;
  if (value.BOOL !== undefined) return value.BOOL ? 'T' : 'F';
  if (value.NULL !== undefined) return '0';
  return undefined;
}

/** The value of an operand for an item, or undefined when a path is missing or size() has no answer. */
export function evaluateOperand(operand: Operand, item: AttributeMap): AttributeValue | undefined {
  switch (operand.kind) {
    case 'value':
      return operand.value;
    case 'path':
      return valueAtPath(item, operand.path);
    case 'size': {
      const value = evaluateOperand(operand.operand, item);
      const size = value === undefined ? undefined : sizeOf(value);
      return size === undefined ? undefined : { N: String(size) };
    }
  }
}

/** size(): characters of a string, bytes of a binary, members of a set, list or map. */
function sizeOf(value: AttributeValue): number | undefined {
  if (value.S !== undefined) return value.S.length;
  if (value.B !== undefined) return base64ByteLength(value.B);
  const collection = value.SS ?? value.NS ?? value.BS ?? value.L;
  if (collection !== undefined) return collection.length;
  if (value.M !== undefined) return Object.keys(value.M).length;
  return undefined;
}

/** contains(): a substring of a string, a subsequence of a binary, a member of a set or a list. */
function contains(value: AttributeValue, member: AttributeValue): boolean {
  if (value.S !== undefined) return member.S !== undefined && value.S.includes(member.S);
  if (value.B !== undefined) return member.B !== undefined && bytes(value.B).includes(bytes(member.B));
  if (value.SS !== undefined) return member.S !== undefined && value.SS.includes(member.S);
  if (value.NS !== undefined) return member.N !== undefined && value.NS.includes(member.N);
  if (value.BS !== undefined) return member.B !== undefined && value.BS.includes(member.B);
  if (value.L !== undefined) return value.L.some((element) => valuesEqual(element, member));
  return false;
}

function bytes(base64: string): Buffer {
  return Buffer.from(base64, 'base64');
}
