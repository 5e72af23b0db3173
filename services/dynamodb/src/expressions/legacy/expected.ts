import { typeOf, type AttributeValue } from '../../values/attribute-value.js';
import { compareScalars } from '../../values/compare.js';
import { validateAttributeValue } from '../../values/validate.js';
import type { Condition, ParsedCondition } from '../condition.js';
import {
  BETWEEN_ORDER_MESSAGE,
  combineConditions,
  comparisonCondition,
  invalidArgumentCountMessage,
  SAME_TYPE_MESSAGE,
  validArgumentCount,
  type ComparisonOperator,
  type ConditionalOperator,
} from './comparison.js';

/** One entry of the legacy Expected parameter of PutItem, UpdateItem and DeleteItem. */
export interface ExpectedAttributeValue {
  Value?: AttributeValue;
  Exists?: boolean;
  ComparisonOperator?: ComparisonOperator;
  AttributeValueList?: AttributeValue[];
}

export type ExpectedMap = Record<string, ExpectedAttributeValue>;

const INVALID = 'One or more parameter values were invalid:';

/** AWS's checks of Expected, entry by entry; returns the message, if any. */
export function checkExpected(expected: ExpectedMap | undefined): string | undefined {
  for (const name in expected) {
    const message = checkEntry(name, expected[name]);
    if (message !== undefined) return message;
  }
  return undefined;
}

function checkEntry(name: string, entry: ExpectedAttributeValue): string | undefined {
  const { Value: value, Exists: exists, ComparisonOperator: operator, AttributeValueList: list } = entry;
  if (list != null && value != null) return `${INVALID} Value and AttributeValueList cannot be used together for Attribute: ${name}`;
  if (operator != null) {
    if (exists != null) return `${INVALID} Exists and ComparisonOperator cannot be used together for Attribute: ${name}`;
    if (operator !== 'NULL' && operator !== 'NOT_NULL' && list == null && value == null) {
      return `${INVALID} Value or AttributeValueList must be used with ComparisonOperator: ${operator} for Attribute: ${name}`;
    }
    const values = list ?? (value != null ? [value] : []);
    if (!validArgumentCount(operator, values.length)) return invalidArgumentCountMessage(operator);
    for (const element of values) {
      const message = validateAttributeValue(element);
      if (message !== undefined) return message;
    }
    if (values.length > 0) {
      const type = typeOf(values[0]);
      if (values.some((element) => typeOf(element) !== type)) return SAME_TYPE_MESSAGE;
      if (operator === 'BETWEEN' && (compareScalars(values[0], values[1]) ?? 0) > 0) return BETWEEN_ORDER_MESSAGE;
    }
    return undefined;
  }
  if (list != null) return `${INVALID} AttributeValueList can only be used with a ComparisonOperator for Attribute: ${name}`;
  const mustExist = exists == null || exists;
  if (mustExist && value == null) return `${INVALID} Value must be provided when Exists is ${exists == null ? 'null' : exists} for Attribute: ${name}`;
  if (!mustExist && value != null) return `${INVALID} Value cannot be used when Exists is false for Attribute: ${name}`;
  return value != null ? validateAttributeValue(value) : undefined;
}

/** The condition a checked Expected stands for; undefined when it is empty. */
export function expectedCondition(expected: ExpectedMap, conditionalOperator?: ConditionalOperator): ParsedCondition | undefined {
  const names = Object.keys(expected);
  const condition = combineConditions(
    names.map((name) => entryCondition(name, expected[name])),
    conditionalOperator,
  );
  return condition && { condition, pathHeads: new Set(names), nestedPathHeads: new Set() };
}

function entryCondition(name: string, entry: ExpectedAttributeValue): Condition {
  if (entry.ComparisonOperator != null) {
    const values = entry.AttributeValueList ?? (entry.Value != null ? [entry.Value] : []);
    return comparisonCondition(name, entry.ComparisonOperator, values);
  }
  if (entry.Exists === false) return { kind: 'attribute_not_exists', path: [name] };
  return comparisonCondition(name, 'EQ', [entry.Value!]);
}
