import { typeOf, type AttributeValue } from '../../values/attribute-value.js';
import { validateAttributeValue } from '../../values/validate.js';
import type { UpdateAction, UpdatePlan } from '../update-plan.js';

/** One entry of UpdateItem's legacy AttributeUpdates parameter; Action defaults to PUT. */
export interface AttributeValueUpdate {
  Value?: AttributeValue;
  Action?: 'PUT' | 'ADD' | 'DELETE';
}

export type AttributeUpdates = Record<string, AttributeValueUpdate>;

const INVALID = 'One or more parameter values were invalid:';

/** AWS's checks of AttributeUpdates, entry by entry; returns the message, if any. */
export function checkAttributeUpdates(updates: AttributeUpdates | undefined): string | undefined {
  for (const name in updates) {
    const { Value: value, Action: action } = updates[name];
    if (value != null) {
      const message = validateAttributeValue(value);
      if (message !== undefined) return message;
    }
    if (value == null) {
      if (action !== 'DELETE') return `${INVALID} Only DELETE action is allowed when no attribute value is specified`;
      continue;
    }
    const type = typeOf(value);
    if (action === 'DELETE' && type !== 'SS' && type !== 'NS' && type !== 'BS') {
      return `${INVALID} DELETE action with value is not supported for the type ${type}`;
    }
    if (action === 'ADD' && type !== 'L' && type !== 'SS' && type !== 'NS' && type !== 'BS' && type !== 'N') {
      return `${INVALID} ADD action is not supported for the type ${type}`;
    }
  }
  return undefined;
}

/** The update plan checked AttributeUpdates stand for (top-level attributes only). */
export function attributeUpdatesPlan(updates: AttributeUpdates): UpdatePlan {
  const actions: UpdateAction[] = Object.keys(updates).map((name): UpdateAction => {
    const { Value: value, Action: action } = updates[name];
    const path = [name];
    if (value == null) return { kind: 'remove', path };
    const staticType = typeOf(value);
    if (action === 'ADD') return { kind: 'add', path, value, staticType };
    if (action === 'DELETE') return { kind: 'delete', path, value, staticType };
    return { kind: 'set', path, value: { kind: 'value', value }, staticType };
  });
  return { actions, nestedPathHeads: new Set(), legacy: true };
}
