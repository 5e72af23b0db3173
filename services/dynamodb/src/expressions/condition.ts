import type { AttributeValue } from '../values/attribute-value.js';
import type { DocumentPath } from './paths.js';
import type { Comparator } from './syntax-tree.js';

/**
 * A checked condition with placeholders substituted: what ConditionExpression, FilterExpression and
 * KeyConditionExpression become, and what the legacy Expected / QueryFilter / ScanFilter / KeyConditions
 * parameters are converted to, so one evaluator (evaluate.ts) serves them all.
 */

export type Operand =
  | { kind: 'path'; path: DocumentPath }
  | { kind: 'value'; value: AttributeValue }
  | { kind: 'size'; operand: Operand };

export type Condition =
  | { kind: 'compare'; operator: Comparator; left: Operand; right: Operand }
  | { kind: 'between'; operand: Operand; lower: Operand; upper: Operand }
  | { kind: 'in'; operand: Operand; list: Operand[] }
  | { kind: 'and' | 'or'; left: Condition; right: Condition }
  | { kind: 'not'; condition: Condition }
  | { kind: 'attribute_exists' | 'attribute_not_exists'; path: DocumentPath }
  | { kind: 'attribute_type'; operand: Operand; type: Operand }
  | { kind: 'begins_with'; operand: Operand; prefix: Operand }
  | { kind: 'contains'; operand: Operand; value: Operand };

export interface ParsedCondition {
  condition: Condition;
  /** First element of every path the condition reads ("can only contain non-primary key attributes"). */
  pathHeads: ReadonlySet<string>;
  /** First element of every path longer than one element ("Key attributes must be scalars"). */
  nestedPathHeads: ReadonlySet<string>;
}

export type { Comparator };
