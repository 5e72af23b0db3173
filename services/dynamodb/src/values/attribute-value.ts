/**
 * DynamoDB's AttributeValue, kept in its wire form: an object with exactly one member naming the
 * type. Numbers are decimal strings (canonical once validated, see number.ts) and binaries are
 * base64 strings, so items go from request to storage to response without conversion.
 */
export interface AttributeValue {
  S?: string;
  N?: string;
  B?: string;
  SS?: string[];
  NS?: string[];
  BS?: string[];
  M?: AttributeMap;
  L?: AttributeValue[];
  NULL?: boolean;
  BOOL?: boolean;
}

/** An item, a key, or the content of an M value: attribute name -> value. */
export type AttributeMap = Record<string, AttributeValue>;
export type Item = AttributeMap;

export type AttributeType = 'S' | 'N' | 'B' | 'SS' | 'NS' | 'BS' | 'M' | 'L' | 'NULL' | 'BOOL';
export type ScalarType = 'S' | 'N' | 'B';
export type SetType = 'SS' | 'NS' | 'BS';

export const ATTRIBUTE_TYPES: ReadonlySet<string> = new Set<AttributeType>(['S', 'N', 'B', 'SS', 'NS', 'BS', 'M', 'L', 'NULL', 'BOOL']);

/** The element type of each set type. */
export const SET_ELEMENT_TYPE: Readonly<Record<SetType, ScalarType>> = { SS: 'S', NS: 'N', BS: 'B' };

export function isSetType(type: string): type is SetType {
  return type === 'SS' || type === 'NS' || type === 'BS';
}

/** The type of a validated value (its single member). */
export function typeOf(value: AttributeValue): AttributeType {
  for (const key in value) return key as AttributeType;
  throw new TypeError('AttributeValue without a type');
}

/** The payload of a validated value: the string, list, map or boolean under its type. */
export function payloadOf(value: AttributeValue): unknown {
  for (const key in value) return value[key as AttributeType];
  return undefined;
}

const hasOwn = Object.prototype.hasOwnProperty;

/**
 * An attribute of a map, or undefined. Maps come from JSON.parse, so a name like `constructor` must
 * not find Object.prototype's members.
 */
export function getAttribute(map: AttributeMap, name: string): AttributeValue | undefined {
  return hasOwn.call(map, name) ? map[name] : undefined;
}

/** Sets an attribute of a map; `__proto__` is stored as a plain member, not as the prototype. */
export function setAttribute(map: AttributeMap, name: string, value: AttributeValue): void {
  if (name === '__proto__') Object.defineProperty(map, name, { value, enumerable: true, writable: true, configurable: true });
  else map[name] = value;
}
