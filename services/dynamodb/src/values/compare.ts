import { getAttribute, typeOf, type AttributeMap, type AttributeValue } from './attribute-value.js';
import { compareNumbers } from './number.js';

/**
 * Equality and order as DynamoDB defines them: strings order by their UTF-8 bytes, binaries by their
 * bytes (unsigned), numbers by value. Sets are equal when they hold the same members in any order.
 */

/**
 * Orders strings by UTF-8 bytes, which is code point order. JavaScript compares UTF-16 code units,
 * which disagree only between surrogates (U+10000 and up) and U+E000..U+FFFF; those are remapped.
 */
export function compareStrings(a: string, b: string): number {
  if (a === b) return 0;
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) {
      if (x >= 0xd800 && y >= 0xd800) return codePointRank(x) - codePointRank(y);
      return x - y;
    }
  }
  return a.length - b.length;
}

function codePointRank(unit: number): number {
  if (unit >= 0xe000) return unit - 0x800;
  if (unit >= 0xd800 && unit <= 0xdfff) return unit + 0x2000;
  return unit;
}

/** Orders base64-encoded binaries by their decoded bytes. */
export function compareBinary(a: string, b: string): number {
  if (a === b) return 0;
  return Buffer.compare(Buffer.from(a, 'base64'), Buffer.from(b, 'base64'));
}

/** Number of bytes a (valid, padded) base64 string decodes to. */
export function base64ByteLength(text: string): number {
  let padding = 0;
  if (text.endsWith('==')) padding = 2;
  else if (text.endsWith('=')) padding = 1;
  return (text.length / 4) * 3 - padding;
}

/**
 * Order of two values of the same scalar type (S, N or B), or undefined when they are not both
 * scalars of one type (DynamoDB's <, <=, >, >= and BETWEEN are then false).
 */
export function compareScalars(a: AttributeValue, b: AttributeValue): number | undefined {
  if (a.S !== undefined) return b.S !== undefined ? compareStrings(a.S, b.S) : undefined;
  if (a.N !== undefined) return b.N !== undefined ? compareNumbers(a.N, b.N) : undefined;
  if (a.B !== undefined) return b.B !== undefined ? compareBinary(a.B, b.B) : undefined;
  return undefined;
}

/** Order of two key values of one key type (key attributes are S, N or B). */
export function compareKeyValues(a: AttributeValue, b: AttributeValue): number {
  const order = compareScalars(a, b);
  if (order === undefined) throw new TypeError('Key values must be scalars of one type');
  return order;
}

/** Deep equality of two values; sets compare without regard to order. */
export function valuesEqual(a: AttributeValue, b: AttributeValue): boolean {
  const type = typeOf(a);
  if (typeOf(b) !== type) return false;
  switch (type) {
    case 'SS':
    case 'NS':
    case 'BS':
      return setsEqual(a[type]!, b[type]!);
    case 'L': {
      const x = a.L!;
      const y = b.L!;
      if (x.length !== y.length) return false;
      for (let i = 0; i < x.length; i++) if (!valuesEqual(x[i], y[i])) return false;
      return true;
    }
    case 'M':
      return mapsEqual(a.M!, b.M!);
    default:
      return a[type] === b[type];
  }
}

function setsEqual(x: readonly string[], y: readonly string[]): boolean {
  if (x.length !== y.length) return false;
  if (x.length === 1) return x[0] === y[0];
  const members = new Set(y);
  for (const member of x) if (!members.has(member)) return false;
  return true;
}

function mapsEqual(x: AttributeMap, y: AttributeMap): boolean {
  let count = 0;
  for (const name in x) {
    const other = getAttribute(y, name);
    if (other === undefined || !valuesEqual(x[name], other)) return false;
    count++;
  }
  for (const _ in y) count--;
  return count === 0;
}
