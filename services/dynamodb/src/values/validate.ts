import { ATTRIBUTE_TYPES, type AttributeMap, type AttributeValue } from './attribute-value.js';
import { canonicalNumber } from './number.js';

/**
 * AWS's validation of AttributeValues, with its messages (recorded by dynalite's test suite against
 * DynamoDB). Validation also normalises in place, which the rest of Stratus relies on: numbers become
 * canonical (number.ts), and members that are not types, or are null, are dropped. Functions return
 * the ValidationException message, or undefined when the value is fine; callers add their context
 * ("ExpressionAttributeValues contains invalid value: … for key :v") and throw.
 */

export const VALUE_MESSAGES = {
  empty: 'Supplied AttributeValue is empty, must contain exactly one of the supported datatypes',
  multiple: 'Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes',
  nullFalse: 'One or more parameter values were invalid: Null attribute value types must have the value of true',
  emptySS: 'One or more parameter values were invalid: An string set  may not be empty',
  emptyNS: 'One or more parameter values were invalid: An number set  may not be empty',
  emptyBS: 'One or more parameter values were invalid: Binary sets should not be empty',
  duplicateNS: 'Input collection contains duplicates',
} as const;

/** The message for the first problem in `value` (checked type by type, in the order its members came). */
export function validateAttributeValue(value: AttributeValue): string | undefined {
  if (typeof value !== 'object' || value === null) return VALUE_MESSAGES.empty;
  let types = 0;
  for (const type in value) {
    const payload = (value as Record<string, unknown>)[type];
    if (payload == null || !ATTRIBUTE_TYPES.has(type)) {
      delete (value as Record<string, unknown>)[type];
      continue;
    }
    types++;
    const message = validatePayload(value, type as keyof AttributeValue, payload);
    if (message !== undefined) return message;
  }
  if (types === 0) return VALUE_MESSAGES.empty;
  if (types > 1) return VALUE_MESSAGES.multiple;
  return undefined;
}

function validatePayload(value: AttributeValue, type: keyof AttributeValue, payload: unknown): string | undefined {
  switch (type) {
    case 'N': {
      const check = canonicalNumber(payload);
      if (!check.ok) return check.message;
      value.N = check.value;
      return undefined;
    }
    case 'NULL':
      return payload === true ? undefined : VALUE_MESSAGES.nullFalse;
    case 'SS': {
      const set = payload as string[];
      if (set.length === 0) return VALUE_MESSAGES.emptySS;
      return hasDuplicate(set) ? `One or more parameter values were invalid: Input collection ${listText(set)} contains duplicates.` : undefined;
    }
    case 'NS': {
      const set = payload as string[];
      if (set.length === 0) return VALUE_MESSAGES.emptyNS;
      for (let i = 0; i < set.length; i++) {
        const check = canonicalNumber(set[i]);
        if (!check.ok) return check.message;
        set[i] = check.value;
      }
      return hasDuplicate(set) ? VALUE_MESSAGES.duplicateNS : undefined;
    }
    case 'BS': {
      const set = payload as string[];
      if (set.length === 0) return VALUE_MESSAGES.emptyBS;
      return hasDuplicate(set) ? `One or more parameter values were invalid: Input collection ${listText(set)}of type BS contains duplicates.` : undefined;
    }
    case 'M':
      return validateAttributeMap(payload as AttributeMap);
    case 'L': {
      const list = payload as AttributeValue[];
      for (const element of list) {
        const message = validateAttributeValue(element);
        if (message !== undefined) return message;
      }
      return undefined;
    }
    default:
      return undefined;
  }
}

/** Validates every value of an item, key or M payload. */
export function validateAttributeMap(map: AttributeMap): string | undefined {
  for (const name in map) {
    const message = validateAttributeValue(map[name]);
    if (message !== undefined) return message;
  }
  return undefined;
}

/** Whether a set's members (canonical strings) repeat. */
export function hasDuplicate(values: readonly string[]): boolean {
  if (values.length < 2) return false;
  if (values.length === 2) return values[0] === values[1];
  return new Set(values).size !== values.length;
}

/** The first value that repeats in a list, for "Duplicate value in attribute name: a". */
export function firstDuplicate(values: readonly string[]): string | undefined {
  const seen = new Set<string>();
  for (const value of values) {
    if (seen.has(value)) return value;
    seen.add(value);
  }
  return undefined;
}

/** How AWS prints a list in messages: [a, b]. */
function listText(values: readonly string[]): string {
  return `[${values.join(', ')}]`;
}
