import { validationError } from '../values/validation-error.js';

/**
 * AWS's first layer of request validation, declared per operation input: the constraints of the
 * service model (required members, enums, patterns, lengths, ranges) checked member by member in the
 * model's order, nested into structures, lists and maps. Every violation found (up to ten) goes into
 * one ValidationException, as Coral reports them:
 *
 *   2 validation errors detected: Value 'abc;' at 'tableName' failed to satisfy constraint: Member must
 *   satisfy regular expression pattern: [a-zA-Z0-9_.-]+; Value null at 'keySchema' failed to ...
 *
 * Paths name members in lower camel case; list elements are `.<n>.member` (1-based), map values
 * `.<key>.member`. Two older checks come first and end validation at once: a `required` member that
 * is missing ("The parameter 'TableName' is required but was not present in the request") and the
 * table-name length of the table-level operations.
 */

/** How a member is constrained; checks run in the order of this interface. */
export interface MemberSpec {
  readonly name: string;
  /** Missing: "The parameter '<Name>' is required but was not present in the request". */
  readonly required?: boolean;
  /** The table-level operations' own length check of TableName (3 to 255). */
  readonly tableNameLength?: boolean;
  /** A table name that may also be given as a table ARN (then up to 1024 characters, no pattern). */
  readonly orArn?: boolean;
  readonly notNull?: boolean;
  readonly enum?: readonly string[];
  /** A Java regular expression, matched against the whole value. */
  readonly pattern?: string;
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly min?: number;
  readonly max?: number;
  /** Constraints on the keys of a map. */
  readonly keys?: LengthAndPattern;
  /** Length constraints on the values of a map (lists). */
  readonly values?: LengthAndPattern;
  /** The members of a structure. */
  readonly struct?: readonly MemberSpec[];
  /** A list's element, or a map's value. */
  readonly element?: ElementSpec;
}

export interface LengthAndPattern {
  readonly maxLength?: number;
  readonly minLength?: number;
  readonly pattern?: string;
  /** Table ARNs pass too (table names or ARNs). */
  readonly orArn?: boolean;
}

/** A list element or map value: a structure, or itself a list or map with its own element. */
export interface ElementSpec {
  readonly struct?: readonly MemberSpec[];
  readonly element?: ElementSpec;
  readonly kind?: 'list' | 'map';
  /** Constraints on the element itself (a string element's pattern, ...). */
  readonly constraints?: Omit<MemberSpec, 'name' | 'struct' | 'element'>;
}

const MAX_ERRORS = 10;
const patterns = new Map<string, RegExp>();

function regex(pattern: string): RegExp {
  let re = patterns.get(pattern);
  if (!re) patterns.set(pattern, (re = new RegExp(`^(?:${pattern})$`, 'u')));
  return re;
}

function lowerFirst(name: string): string {
  return name.charAt(0).toLowerCase() + name.slice(1);
}

/** How Coral prints a value in a constraint message. */
export function constraintValue(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return `[${value.map(constraintValue).join(', ')}]`;
  if (typeof value === 'object') {
    return `{${Object.entries(value as Record<string, unknown>)
      .map(([k, v]) => `${k}=${constraintValue(v)}`)
      .join(', ')}}`;
  }
  return String(value);
}

function violation(value: unknown, path: string, message: string): string {
  const shown = value === null || value === undefined ? 'null' : `'${constraintValue(value)}'`;
  return `Value ${shown} at '${path}' failed to satisfy constraint: ${message}`;
}

function lengthOf(value: unknown): number {
  if (typeof value === 'string') return value.length;
  if (Array.isArray(value)) return value.length;
  if (typeof value === 'object' && value !== null) return Object.keys(value).length;
  return 0;
}

function lengthMessages(spec: LengthAndPattern): string[] {
  const parts: string[] = [];
  if (spec.maxLength !== undefined) parts.push(`Member must have length less than or equal to ${spec.maxLength}`);
  if (spec.minLength !== undefined) parts.push(`Member must have length greater than or equal to ${spec.minLength}`);
  if (spec.pattern !== undefined) parts.push(`Member must satisfy regular expression pattern: ${spec.pattern}`);
  return parts;
}

function satisfies(spec: LengthAndPattern, value: unknown): boolean {
  if (spec.orArn && typeof value === 'string' && value.startsWith('arn:') && value.length <= 1024) return true;
  const length = lengthOf(value);
  if (spec.maxLength !== undefined && length > spec.maxLength) return false;
  if (spec.minLength !== undefined && length < spec.minLength) return false;
  if (spec.pattern !== undefined && !(typeof value === 'string' && regex(spec.pattern).test(value))) return false;
  return true;
}

type Constraints = Omit<MemberSpec, 'name' | 'struct' | 'element'>;

function checkValue(spec: Constraints, value: unknown, path: string, errors: string[]): void {
  if (value === undefined || value === null) {
    if (spec.notNull) errors.push(violation(null, path, 'Member must not be null'));
    return;
  }
  if (spec.orArn && typeof value === 'string' && value.startsWith('arn:')) {
    if (value.length > 1024) errors.push(violation(value, path, 'Member must have length less than or equal to 1024'));
    return;
  }
  if (spec.enum !== undefined && !spec.enum.includes(value as string)) {
    errors.push(violation(value, path, `Member must satisfy enum value set: [${spec.enum.join(', ')}]`));
  }
  if (spec.pattern !== undefined && !(typeof value === 'string' && regex(spec.pattern).test(value))) {
    errors.push(violation(value, path, `Member must satisfy regular expression pattern: ${spec.pattern}`));
  }
  if (spec.minLength !== undefined && lengthOf(value) < spec.minLength) {
    errors.push(violation(value, path, `Member must have length greater than or equal to ${spec.minLength}`));
  }
  if (spec.maxLength !== undefined && lengthOf(value) > spec.maxLength) {
    errors.push(violation(value, path, `Member must have length less than or equal to ${spec.maxLength}`));
  }
  if (spec.min !== undefined && (value as number) < spec.min) {
    errors.push(violation(value, path, `Member must have value greater than or equal to ${spec.min}`));
  }
  if (spec.max !== undefined && (value as number) > spec.max) {
    errors.push(violation(value, path, `Member must have value less than or equal to ${spec.max}`));
  }
  if (spec.keys !== undefined && typeof value === 'object') {
    for (const key of Object.keys(value as object)) {
      if (!satisfies(spec.keys, key)) {
        errors.push(violation(value, path, `Map keys must satisfy constraint: [${lengthMessages(spec.keys).join(', ')}]`));
      }
    }
  }
  if (spec.values !== undefined && typeof value === 'object') {
    for (const entry of Object.values(value as object)) {
      if (!satisfies(spec.values, entry)) {
        errors.push(violation(value, path, `Map value must satisfy constraint: [${lengthMessages(spec.values).join(', ')}]`));
      }
    }
  }
}

function checkMembers(members: readonly MemberSpec[], data: Record<string, unknown>, parent: string, errors: string[]): void {
  for (const member of members) {
    if (errors.length >= MAX_ERRORS) return;
    const path = parent ? `${parent}.${lowerFirst(member.name)}` : lowerFirst(member.name);
    const value = data[member.name];
    checkValue(member, value, path, errors);
    if (value === undefined || value === null) continue;
    if (member.struct && typeof value === 'object') checkMembers(member.struct, value as Record<string, unknown>, path, errors);
    if (member.element) checkElements(member.element, value, path, errors);
  }
}

function checkElements(element: ElementSpec, value: unknown, path: string, errors: string[]): void {
  const entries: [string, unknown][] = Array.isArray(value)
    ? value.map((v, i) => [String(i + 1), v])
    : Object.entries(value as Record<string, unknown>);
  for (const [key, child] of entries) {
    if (errors.length >= MAX_ERRORS) return;
    const childPath = `${path}.${key}.member`;
    if (element.constraints) checkValue(element.constraints, child, childPath, errors);
    if (child === null || child === undefined) continue;
    if (element.struct) checkMembers(element.struct, child as Record<string, unknown>, childPath, errors);
    if (element.element) checkElements(element.element, child, childPath, errors);
  }
}

/**
 * Validates an input against its operation's members and throws the ValidationException AWS sends,
 * or returns when the input passes.
 */
export function validateInput(members: readonly MemberSpec[], input: Record<string, unknown>): void {
  for (const member of members) {
    const value = input[member.name];
    if (member.required && (value === undefined || value === null)) {
      throw validationError(`The parameter '${member.name}' is required but was not present in the request`);
    }
    if (member.tableNameLength && typeof value === 'string' && (value.length < 3 || value.length > 255)) {
      throw validationError(`${member.name} must be at least 3 characters long and at most 255 characters long`);
    }
  }
  const errors: string[] = [];
  checkMembers(members, input, '', errors);
  if (errors.length > 0) {
    const count = Math.min(errors.length, MAX_ERRORS);
    throw validationError(`${count} validation error${count === 1 ? '' : 's'} detected: ${errors.slice(0, MAX_ERRORS).join('; ')}`);
  }
}
