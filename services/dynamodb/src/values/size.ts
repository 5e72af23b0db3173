import type { AttributeMap, AttributeValue } from './attribute-value.js';
import { base64ByteLength } from './compare.js';
import { numberSize } from './number.js';

/**
 * Item size as DynamoDB counts it, for the 400 KB item limit and for ConsumedCapacity: each attribute
 * is its name's UTF-8 bytes plus its value's size. Strings count their UTF-8 bytes, binaries their
 * bytes, numbers about one byte per two digits (numberSize), NULL and BOOL one byte, sets the sum of
 * their members, and lists and maps 3 bytes plus 1 byte per element on top of the elements.
 */

export const MAX_ITEM_SIZE = 400 * 1024;

export function attributeValueSize(value: AttributeValue): number {
  if (value.S !== undefined) return Buffer.byteLength(value.S, 'utf8');
  if (value.N !== undefined) return numberSize(value.N);
  if (value.B !== undefined) return base64ByteLength(value.B);
  if (value.SS !== undefined) {
    let size = 0;
    for (const member of value.SS) size += Buffer.byteLength(member, 'utf8');
    return size;
  }
  if (value.NS !== undefined) {
    let size = 0;
    for (const member of value.NS) size += numberSize(member);
    return size;
  }
  if (value.BS !== undefined) {
    let size = 0;
    for (const member of value.BS) size += base64ByteLength(member);
    return size;
  }
  if (value.L !== undefined) {
    let size = 3;
    for (const element of value.L) size += 1 + attributeValueSize(element);
    return size;
  }
  if (value.M !== undefined) {
    let size = 3;
    for (const name in value.M) size += 1 + Buffer.byteLength(name, 'utf8') + attributeValueSize(value.M[name]);
    return size;
  }
  return 1; // NULL, BOOL
}

export function itemSize(item: AttributeMap): number {
  let size = 0;
  for (const name in item) size += Buffer.byteLength(name, 'utf8') + attributeValueSize(item[name]);
  return size;
}

/** Write capacity units for writing an item of `size` bytes: one per KB started (at least one). */
export function writeCapacityUnits(size: number): number {
  return Math.max(1, Math.ceil(size / 1024));
}

/** Read capacity units for reading `size` bytes: one per 4 KB started, halved for eventual consistency. */
export function readCapacityUnits(size: number, consistent: boolean): number {
  const units = Math.max(1, Math.ceil(size / 4096));
  return consistent ? units : units / 2;
}
