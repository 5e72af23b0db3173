import { getAttribute, type AttributeMap, type ScalarType } from '../values/attribute-value.js';
import type { KeyAttribute } from './key-condition.js';
import type { UpdatePlan } from './update-plan.js';

/**
 * What expressions may not do to key attributes, checked once the table is known. Index keys are
 * listed as AWS visits them: every key attribute of each global secondary index, then the sort key of
 * each local secondary index.
 */
export interface IndexKeyAttribute {
  indexName: string;
  name: string;
  type: ScalarType;
}

/**
 * UpdateItem: key attributes cannot be written (even nested), a top-level write to an index key must
 * have the index key's type when it is known in advance, and no path may reach inside a key.
 */
export function checkUpdateAgainstKeys(plan: UpdatePlan, tableKeys: readonly KeyAttribute[], indexKeys: readonly IndexKeyAttribute[]): string | undefined {
  for (const key of tableKeys) {
    if (plan.actions.some((action) => action.path[0] === key.name)) {
      return `One or more parameter values were invalid: Cannot update attribute ${key.name}. This attribute is part of the key`;
    }
  }
  for (const key of indexKeys) {
    const action = plan.actions.find((candidate) => candidate.path.length === 1 && candidate.path[0] === key.name);
    if (action?.staticType !== undefined && action.staticType !== key.type) {
      return `One or more parameter values were invalid: Type mismatch for Index Key ${key.name} Expected: ${key.type} Actual: ${action.staticType} IndexName: ${key.indexName}`;
    }
  }
  return checkScalarKeyPaths(plan.nestedPathHeads, tableKeys, indexKeys);
}

/**
 * UpdateExpression SET of an index key attribute to a value of another type, found once the value is
 * computed (AttributeUpdates are fully checked in advance).
 */
export function checkUpdatedIndexKeys(plan: UpdatePlan, updated: AttributeMap, indexKeys: readonly IndexKeyAttribute[]): string | undefined {
  if (plan.legacy) return undefined;
  for (const action of plan.actions) {
    if (action.kind !== 'set' || action.path.length !== 1) continue;
    const name = action.path[0] as string;
    const value = getAttribute(updated, name);
    if (value !== undefined && indexKeys.some((key) => key.name === name && value[key.type] === undefined)) {
      return 'The update expression attempted to update the secondary index key to unsupported type';
    }
  }
  return undefined;
}

/** Paths may not look inside key attributes (`a.b`, `a[0]`), table keys first. */
export function checkScalarKeyPaths(
  nestedPathHeads: ReadonlySet<string>,
  tableKeys: readonly KeyAttribute[],
  indexKeys: readonly IndexKeyAttribute[],
): string | undefined {
  const prefix = "Key attributes must be scalars; list random access '[]' and map lookup '.' are not allowed:";
  for (const key of tableKeys) if (nestedPathHeads.has(key.name)) return `${prefix} Key: ${key.name}`;
  for (const key of indexKeys) if (nestedPathHeads.has(key.name)) return `${prefix} IndexKey: ${key.name}`;
  return undefined;
}

/**
 * Query's filter may not read the key attributes of the table or index queried.
 * `parameter` is how AWS names it: "Filter Expression" or "QueryFilter".
 */
export function checkFilterAvoidsKeys(pathHeads: ReadonlySet<string>, keys: readonly KeyAttribute[], parameter: 'Filter Expression' | 'QueryFilter'): string | undefined {
  for (const key of keys) {
    if (pathHeads.has(key.name)) return `${parameter} can only contain non-primary key attributes: Primary key attribute: ${key.name}`;
  }
  return undefined;
}
