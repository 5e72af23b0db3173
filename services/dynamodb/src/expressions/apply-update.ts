import { getAttribute, typeOf, type AttributeMap, type AttributeValue, type SetType } from '../values/attribute-value.js';
import { addNumbers, subtractNumbers, type NumberCheck } from '../values/number.js';
import { validationError } from '../values/validation-error.js';
import { valueAtPath, type DocumentPath, type PathElement } from './paths.js';
import type { SetValue, UpdateAction, UpdatePlan } from './update-plan.js';

/**
 * Applies an update to an item, as DynamoDB does: every SET value is computed from the item as it was
 * before the update, list indexes refer to the list as it was (REMOVE a[1], a[2] removes two original
 * elements), SET or ADD past the end of a list appends in index order, and a set emptied by DELETE
 * disappears. Returns the new item; `item` is not modified (unchanged parts are shared with it).
 */

const MESSAGES = {
  missingOperand: 'The provided expression refers to an attribute that does not exist in the item',
  operandType: 'An operand in the update expression has an incorrect data type',
  invalidPath: 'The document path provided in the update expression is invalid for update',
  legacyTypeMismatch: 'Type mismatch for attribute to update',
} as const;

/** What an action does at its path once its value is known. */
type Change = { kind: 'set'; value: AttributeValue } | { kind: 'remove' } | { kind: 'add' | 'delete'; value: AttributeValue };

/** The changes of an update arranged by path, so each container is rebuilt once. */
interface ChangeNode {
  change?: Change;
  children?: Map<PathElement, ChangeNode>;
}

export function applyUpdate(item: AttributeMap, plan: UpdatePlan): AttributeMap {
  const changes = plan.actions.map((action) => changeOf(action, item));
  const root: ChangeNode = {};
  plan.actions.forEach((action, i) => {
    checkTarget(item, action, plan.legacy);
    place(root, action.path, changes[i]);
  });
  return root.children === undefined ? { ...item } : applyToMap(item, root.children, plan.legacy);
}

/** The paths an update writes, for ReturnValues UPDATED_OLD and UPDATED_NEW. */
export function updatedPaths(plan: UpdatePlan): DocumentPath[] {
  return plan.actions.map((action) => action.path);
}

function changeOf(action: UpdateAction, item: AttributeMap): Change {
  return action.kind === 'set' ? { kind: 'set', value: evaluateSetValue(action.value, item) } : action;
}

function evaluateSetValue(value: SetValue, item: AttributeMap): AttributeValue {
  switch (value.kind) {
    case 'value':
      return value.value;
    case 'path': {
      const found = valueAtPath(item, value.path);
      if (found === undefined) throw validationError(MESSAGES.missingOperand);
      return found;
    }
    case 'if_not_exists':
      return valueAtPath(item, value.path) ?? evaluateSetValue(value.fallback, item);
    case 'list_append': {
      const first = evaluateSetValue(value.first, item);
      if (first.L === undefined) throw validationError(MESSAGES.operandType);
      const second = evaluateSetValue(value.second, item);
      if (second.L === undefined) throw validationError(MESSAGES.operandType);
      return { L: [...first.L, ...second.L] };
    }
    case 'plus':
    case 'minus': {
      const left = evaluateSetValue(value.left, item);
      if (left.N === undefined) throw validationError(MESSAGES.operandType);
      const right = evaluateSetValue(value.right, item);
      if (right.N === undefined) throw validationError(MESSAGES.operandType);
      return numberResult(value.kind === 'plus' ? addNumbers(left.N, right.N) : subtractNumbers(left.N, right.N));
    }
  }
}

function numberResult(check: NumberCheck): AttributeValue {
  if (!check.ok) throw validationError(check.message);
  return { N: check.value };
}

/** The action's parent must exist and be a map (for a name) or a list (for an index); ADD and DELETE need a matching type. */
function checkTarget(item: AttributeMap, action: UpdateAction, legacy: boolean): void {
  const path = action.path;
  let container: AttributeValue = { M: item };
  for (let i = 0; i < path.length; i++) {
    const element = path[i];
    const next: AttributeValue | undefined =
      typeof element === 'number'
        ? container.L === undefined ? invalidPath() : container.L[element]
        : container.M === undefined ? invalidPath() : getAttribute(container.M, element);
    if (i === path.length - 1) {
      if ((action.kind === 'add' || action.kind === 'delete') && next !== undefined && !canCombine(action.kind, next, action.value, legacy)) {
        throw validationError(legacy ? MESSAGES.legacyTypeMismatch : MESSAGES.operandType);
      }
      return;
    }
    if (next === undefined) invalidPath();
    container = next;
  }
}

function invalidPath(): never {
  throw validationError(MESSAGES.invalidPath);
}

function canCombine(kind: 'add' | 'delete', existing: AttributeValue, value: AttributeValue, legacy: boolean): boolean {
  const type = typeOf(value);
  if (typeOf(existing) !== type) return false;
  if (kind === 'delete') return type === 'SS' || type === 'NS' || type === 'BS';
  return type === 'N' || type === 'SS' || type === 'NS' || type === 'BS' || (legacy && type === 'L');
}

function place(root: ChangeNode, path: DocumentPath, change: Change): void {
  let node = root;
  for (const element of path) {
    node.children ??= new Map();
    let child = node.children.get(element);
    if (child === undefined) node.children.set(element, (child = {}));
    node = child;
  }
  node.change = change;
}

function applyToMap(map: AttributeMap, children: Map<PathElement, ChangeNode>, legacy: boolean): AttributeMap {
  const result: AttributeMap = { ...map };
  for (const [name, node] of children) {
    const key = name as string;
    const updated = applyToValue(getAttribute(result, key), node, legacy);
    if (updated === undefined) delete result[key];
    else if (key === '__proto__') Object.defineProperty(result, key, { value: updated, enumerable: true, writable: true, configurable: true });
    else result[key] = updated;
  }
  return result;
}

function applyToList(list: AttributeValue[], children: Map<PathElement, ChangeNode>, legacy: boolean): AttributeValue[] {
  const result: AttributeValue[] = [];
  for (let i = 0; i < list.length; i++) {
    const node = children.get(i);
    const updated = node === undefined ? list[i] : applyToValue(list[i], node, legacy);
    if (updated !== undefined) result.push(updated);
  }
  const beyond = [...children.keys()].filter((index) => (index as number) >= list.length).sort((a, b) => (a as number) - (b as number));
  for (const index of beyond) {
    const updated = applyToValue(undefined, children.get(index)!, legacy);
    if (updated !== undefined) result.push(updated);
  }
  return result;
}

/** The new value at a node (undefined: none) given the current one. */
function applyToValue(current: AttributeValue | undefined, node: ChangeNode, legacy: boolean): AttributeValue | undefined {
  const change = node.change;
  if (change === undefined) {
    // A container on the way to deeper changes; checkTarget made sure it exists with the right kind.
    if (current!.M !== undefined) return { M: applyToMap(current!.M, node.children!, legacy) };
    return { L: applyToList(current!.L!, node.children!, legacy) };
  }
  switch (change.kind) {
    case 'set':
      return change.value;
    case 'remove':
      return undefined;
    case 'add':
      return current === undefined ? change.value : add(current, change.value);
    case 'delete':
      return current === undefined ? undefined : removeMembers(current, change.value);
  }
}

function add(current: AttributeValue, value: AttributeValue): AttributeValue {
  if (value.N !== undefined) return numberResult(addNumbers(current.N!, value.N));
  if (value.L !== undefined) return { L: [...current.L!, ...value.L] };
  const type = typeOf(value) as SetType;
  const members = current[type]!;
  const present = new Set(members);
  return { [type]: [...members, ...value[type]!.filter((member) => !present.has(member))] };
}

function removeMembers(current: AttributeValue, value: AttributeValue): AttributeValue | undefined {
  const type = typeOf(value) as SetType;
  const removed = new Set(value[type]);
  const remaining = current[type]!.filter((member) => !removed.has(member));
  return remaining.length === 0 ? undefined : { [type]: remaining };
}
