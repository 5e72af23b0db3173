import type { AttributeType, AttributeValue } from '../values/attribute-value.js';
import type { DocumentPath } from './paths.js';

/**
 * A checked update: what an UpdateExpression becomes, and what legacy AttributeUpdates are converted
 * to, so one function (apply-update.ts) applies both.
 */

/** The right-hand side of SET, evaluated against the item as it was before the update. */
export type SetValue =
  | { kind: 'path'; path: DocumentPath }
  | { kind: 'value'; value: AttributeValue }
  | { kind: 'if_not_exists'; path: DocumentPath; fallback: SetValue }
  | { kind: 'list_append'; first: SetValue; second: SetValue }
  | { kind: 'plus' | 'minus'; left: SetValue; right: SetValue };

interface ActionBase {
  path: DocumentPath;
  /** Type of the value written, when known without the item (for index key type checks). */
  staticType?: AttributeType;
}

export type UpdateAction =
  | (ActionBase & { kind: 'set'; value: SetValue })
  | (ActionBase & { kind: 'remove' })
  /** ADD: add a number, or add members to a set (legacy AttributeUpdates: or append to a list). */
  | (ActionBase & { kind: 'add'; value: AttributeValue })
  /** DELETE: remove members from a set. */
  | (ActionBase & { kind: 'delete'; value: AttributeValue });

export interface UpdatePlan {
  /** In the order written; their paths neither overlap nor conflict. */
  actions: UpdateAction[];
  /** First element of every path longer than one element, targets and operands alike. */
  nestedPathHeads: ReadonlySet<string>;
  /**
   * From AttributeUpdates rather than an UpdateExpression: ADD may append to lists, and a type clash
   * is "Type mismatch for attribute to update" instead of the expression wording.
   */
  legacy: boolean;
}
