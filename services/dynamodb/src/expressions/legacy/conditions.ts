import { typeOf } from '../../values/attribute-value.js';
import { compareScalars } from '../../values/compare.js';
import { validateAttributeValue } from '../../values/validate.js';
import type { ParsedCondition } from '../condition.js';
import {
  acceptedTypes,
  BETWEEN_ORDER_MESSAGE,
  combineConditions,
  comparisonCondition,
  invalidArgumentCountMessage,
  SAME_TYPE_MESSAGE,
  validArgumentCount,
  type ConditionalOperator,
  type LegacyCondition,
} from './comparison.js';

/** QueryFilter, ScanFilter or KeyConditions: attribute name -> condition. */
export type ConditionMap = Record<string, LegacyCondition>;

/**
 * AWS's checks of a QueryFilter, ScanFilter or KeyConditions map, attribute by attribute: the values
 * are valid, their number suits the operator, they share one type, the operator accepts that type,
 * and BETWEEN's bounds are in order. Returns the message, if any.
 */
export function checkConditionMap(conditions: ConditionMap | undefined): string | undefined {
  for (const name in conditions) {
    const { ComparisonOperator: operator, AttributeValueList: values = [] } = conditions[name];
    for (const value of values) {
      const message = validateAttributeValue(value);
      if (message !== undefined) return message;
    }
    if (!validArgumentCount(operator, values.length)) return invalidArgumentCountMessage(operator);
    if (values.length === 0) continue;
    const type = typeOf(values[0]);
    if (values.some((value) => typeOf(value) !== type)) return SAME_TYPE_MESSAGE;
    if (!acceptedTypes(operator).includes(type)) {
      return `One or more parameter values were invalid: ComparisonOperator ${operator} is not valid for ${type} AttributeValue type`;
    }
    if (operator === 'BETWEEN' && (compareScalars(values[0], values[1]) ?? 0) > 0) return BETWEEN_ORDER_MESSAGE;
  }
  return undefined;
}

/** The condition a checked QueryFilter or ScanFilter stands for; undefined when the map is empty. */
export function filterCondition(conditions: ConditionMap, conditionalOperator?: ConditionalOperator): ParsedCondition | undefined {
  const names = Object.keys(conditions);
  const condition = combineConditions(
    names.map((name) => comparisonCondition(name, conditions[name].ComparisonOperator, conditions[name].AttributeValueList ?? [])),
    conditionalOperator,
  );
  return condition && { condition, pathHeads: new Set(names), nestedPathHeads: new Set() };
}
