import { createHash } from 'node:crypto';
import { numberSortKey } from './values/number.js';
import type { AttributeValue, ScalarType } from './values/attribute-value.js';

/**
 * How items are ordered. DynamoDB places an item by a hash of its partition key: the MD5 of a fixed
 * salt and the key's bytes (numbers in DynamoDB's internal base-100 encoding). Scan returns items in
 * that hash order, parallel Scan segments are ranges of its first 12 bits, and a partition's items
 * follow their sort key. Stratus keeps items in the same order, so Scan pages, segments and
 * LastEvaluatedKeys agree with AWS.
 *
 * Within that, key values become strings whose order (compareStrings, code point order) is the key
 * order: strings as they are (UTF-8 byte order is code point order), numbers as numberSortKey,
 * binaries as lower-case hex.
 */

/** The string that orders a key value of its type. */
export function keyComponent(value: AttributeValue, type: ScalarType): string {
  if (type === 'S') return value.S!;
  if (type === 'N') return numberSortKey(value.N!);
  return Buffer.from(value.B!, 'base64').toString('hex');
}

/** A key value's bytes as DynamoDB hashes them. */
export function keyBytes(value: AttributeValue, type: ScalarType): Buffer {
  if (type === 'S') return Buffer.from(value.S!, 'utf8');
  if (type === 'B') return Buffer.from(value.B!, 'base64');
  return numberBytes(value.N!);
}

const SALT = 'Outliers';

/** The first 24 bits of the placement hash of a partition key (and, for index entries, a sort key). */
export function hashPrefix(hashValue: AttributeValue, hashType: ScalarType, rangeValue?: AttributeValue, rangeType?: ScalarType): number {
  const md5 = createHash('md5').update(SALT).update(keyBytes(hashValue, hashType));
  if (rangeValue !== undefined && rangeType !== undefined) md5.update(keyBytes(rangeValue, rangeType));
  const digest = md5.digest();
  return (digest[0] << 16) | (digest[1] << 8) | digest[2];
}

/** Number of hash buckets parallel Scan divides: the first 12 bits of the placement hash. */
export const SEGMENT_BUCKETS = 4096;

/** The hash buckets [first, last] of a parallel Scan segment. */
export function segmentBuckets(segment: number, totalSegments: number): { first: number; last: number } {
  return {
    first: Math.ceil((SEGMENT_BUCKETS * segment) / totalSegments),
    last: Math.ceil((SEGMENT_BUCKETS * (segment + 1)) / totalSegments) - 1,
  };
}

export function bucketOf(prefix: number): number {
  return prefix >>> 12;
}

/**
 * DynamoDB's binary form of a canonical number: a sign-and-exponent byte, then the significant digits
 * in base 100, one byte per pair (aligned on the decimal point). Positive numbers store pair + 1 and
 * the exponent offset by 192; negative ones store 101 - pair, the exponent byte inverted, and a
 * terminating 102 when shorter than 20 pairs. Zero is the single byte 0x80.
 */
export function numberBytes(text: string): Buffer {
  if (text === '0') return Buffer.from([0x80]);
  const negative = text.charCodeAt(0) === 45;
  const unsigned = negative ? text.slice(1) : text;
  const point = unsigned.indexOf('.');
  const integer = point < 0 ? unsigned : unsigned.slice(0, point);
  let digits = point < 0 ? unsigned : integer + unsigned.slice(point + 1);
  // Exponent E with value = 0.d1d2... x 10^E.
  let leading = 0;
  while (digits.charCodeAt(leading) === 48) leading++;
  // Canonical numbers have no leading zeros, except the single 0 of a number below one.
  let exponent = integer === '0' ? 1 - leading : integer.length;
  digits = digits.slice(leading).replace(/0+$/, '');
  if (exponent % 2 !== 0) {
    digits = '0' + digits;
    exponent++;
  }
  if (digits.length % 2 !== 0) digits += '0';
  const pairs = digits.length / 2;
  const base100Exponent = exponent / 2;
  const bytes: number[] = [];
  const head = base100Exponent - 64;
  bytes.push(negative ? ~head & 0xff : head & 0xff);
  for (let i = 0; i < pairs; i++) {
    const pair = (digits.charCodeAt(2 * i) - 48) * 10 + (digits.charCodeAt(2 * i + 1) - 48);
    bytes.push(negative ? 101 - pair : pair + 1);
  }
  if (negative && pairs < 20) bytes.push(102);
  return Buffer.from(bytes);
}
