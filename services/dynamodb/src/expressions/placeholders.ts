import type { AttributeValue } from '../values/attribute-value.js';
import { validateAttributeValue } from '../values/validate.js';

export type ExpressionAttributeNames = Record<string, string>;
export type ExpressionAttributeValues = Record<string, AttributeValue>;

const NAME_KEY = /^#[0-9a-zA-Z_]+$/;
const VALUE_KEY = /^:[0-9a-zA-Z_]+$/;

/**
 * AWS's checks of the two placeholder maps, made before any expression is parsed: not empty, keys
 * well formed, values valid AttributeValues (normalised in place). Returns the message, if any.
 */
export function checkPlaceholderMaps(names: ExpressionAttributeNames | undefined, values: ExpressionAttributeValues | undefined): string | undefined {
  if (names != null) {
    const keys = Object.keys(names);
    if (keys.length === 0) return 'ExpressionAttributeNames must not be empty';
    for (const key of keys) {
      if (!NAME_KEY.test(key)) return `ExpressionAttributeNames contains invalid key: Syntax error; key: "${key}"`;
    }
  }
  if (values != null) {
    const keys = Object.keys(values);
    if (keys.length === 0) return 'ExpressionAttributeValues must not be empty';
    for (const key of keys) {
      if (!VALUE_KEY.test(key)) return `ExpressionAttributeValues contains invalid key: Syntax error; key: "${key}"`;
    }
    for (const key of keys) {
      const message = validateAttributeValue(values[key]);
      if (message !== undefined) return `ExpressionAttributeValues contains invalid value: ${message} for key ${key}`;
    }
  }
  return undefined;
}

const hasOwn = Object.prototype.hasOwnProperty;

/**
 * The placeholders of one request, shared by all its expressions: substitution, and the record of
 * which entries no expression used ("Value provided in ExpressionAttributeNames unused in expressions").
 */
export class Placeholders {
  private readonly unusedNames: Set<string>;
  private readonly unusedValues: Set<string>;

  constructor(
    private readonly names: ExpressionAttributeNames = {},
    private readonly values: ExpressionAttributeValues = {},
  ) {
    this.unusedNames = new Set(Object.keys(names));
    this.unusedValues = new Set(Object.keys(values));
  }

  /** The attribute name behind #placeholder, or undefined when the request does not define it (or maps it to ''). */
  name(placeholder: string): string | undefined {
    if (!hasOwn.call(this.names, placeholder) || !this.names[placeholder]) return undefined;
    this.unusedNames.delete(placeholder);
    return this.names[placeholder];
  }

  /** The value behind :placeholder, or undefined when the request does not define it. */
  value(placeholder: string): AttributeValue | undefined {
    if (!hasOwn.call(this.values, placeholder)) return undefined;
    this.unusedValues.delete(placeholder);
    return this.values[placeholder];
  }

  /** The message for entries no expression used, names first. */
  unusedMessage(): string | undefined {
    if (this.unusedNames.size > 0) {
      return `Value provided in ExpressionAttributeNames unused in expressions: keys: {${[...this.unusedNames].join(', ')}}`;
    }
    if (this.unusedValues.size > 0) {
      return `Value provided in ExpressionAttributeValues unused in expressions: keys: {${[...this.unusedValues].join(', ')}}`;
    }
    return undefined;
  }
}
