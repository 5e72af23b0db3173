import type { AttributeValue } from '../../values/attribute-value.js';
import type { Condition, Operand } from '../condition.js';

/**
 * The ComparisonOperator of the legacy parameters (Expected, KeyConditions, QueryFilter, ScanFilter):
 * how many values each takes, which value types it accepts, and the condition it stands for.
 */
export type ComparisonOperator =
  | 'EQ'
  | 'NE'
  | 'LE'
  | 'LT'
  | 'GE'
  | 'GT'
  | 'NOT_NULL'
  | 'NULL'
  | 'CONTAINS'
  | 'NOT_CONTAINS'
  | 'BEGINS_WITH'
  | 'IN'
  | 'BETWEEN';

/** A Condition of KeyConditions, QueryFilter or ScanFilter. */
export interface LegacyCondition {
  ComparisonOperator: ComparisonOperator;
  AttributeValueList?: AttributeValue[];
}

export type ConditionalOperator = 'AND' | 'OR';

/** Whether `count` values suit the operator. */
export function validArgumentCount(operator: ComparisonOperator, count: number): boolean {
  switch (operator) {
    case 'NULL':
    case 'NOT_NULL':
      return count === 0;
    case 'IN':
      return count >= 1;
    case 'BETWEEN':
      return count === 2;
    default:
      return count === 1;
  }
}

const SCALARS: readonly string[] = ['S', 'N', 'B'];
const SCALARS_AND_SETS: readonly string[] = ['S', 'N', 'B', 'SS', 'NS', 'BS'];

/** Value types the operator accepts (NULL and NOT_NULL take no values). */
export function acceptedTypes(operator: ComparisonOperator): readonly string[] {
  switch (operator) {
    case 'EQ':
    case 'NE':
      return SCALARS_AND_SETS;
    case 'BEGINS_WITH':
      return ['S', 'B'];
    default:
      return SCALARS;
  }
}

export function invalidArgumentCountMessage(operator: string): string {
  return `One or more parameter values were invalid: Invalid number of argument(s) for the ${operator} ComparisonOperator`;
}

export const SAME_TYPE_MESSAGE = 'One or more parameter values were invalid: AttributeValues inside AttributeValueList must be of same type';
export const BETWEEN_ORDER_MESSAGE = 'The BETWEEN condition was provided a range where the lower bound is greater than the upper bound';

/** The condition `attribute <operator> values` stands for. */
export function comparisonCondition(attribute: string, operator: ComparisonOperator, values: readonly AttributeValue[]): Condition {
  const path = [attribute];
  const subject: Operand = { kind: 'path', path };
  const value = (i: number): Operand => ({ kind: 'value', value: values[i] });
  switch (operator) {
    case 'EQ':
      return { kind: 'compare', operator: '=', left: subject, right: value(0) };
    case 'NE':
      return { kind: 'compare', operator: '<>', left: subject, right: value(0) };
    case 'LE':
      return { kind: 'compare', operator: '<=', left: subject, right: value(0) };
    case 'LT':
      return { kind: 'compare', operator: '<', left: subject, right: value(0) };
    case 'GE':
      return { kind: 'compare', operator: '>=', left: subject, right: value(0) };
    case 'GT':
      return { kind: 'compare', operator: '>', left: subject, right: value(0) };
    case 'NOT_NULL':
      return { kind: 'attribute_exists', path };
    case 'NULL':
      return { kind: 'attribute_not_exists', path };
    case 'CONTAINS':
      return { kind: 'contains', operand: subject, value: value(0) };
    case 'NOT_CONTAINS':
      return { kind: 'not', condition: { kind: 'contains', operand: subject, value: value(0) } };
    case 'BEGINS_WITH':
      return { kind: 'begins_with', operand: subject, prefix: value(0) };
    case 'IN':
      return { kind: 'in', operand: subject, list: values.map((_, i) => value(i)) };
    case 'BETWEEN':
      return { kind: 'between', operand: subject, lower: value(0), upper: value(1) };
  }
}

/** Joins conditions with AND (the default) or OR; undefined when there are none. */
export function combineConditions(conditions: readonly Condition[], operator: ConditionalOperator | undefined): Condition | undefined {
  if (conditions.length === 0) return undefined;
  const kind = operator === 'OR' ? 'or' : 'and';
  return conditions.reduce((left, right) => ({ kind, left, right }));
}
