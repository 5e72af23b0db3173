import type { AttributeValue, Item } from './values/attribute-value.js';
import { numberSize } from './values/number.js';
import { base64ByteLength } from './values/compare.js';

/**
 * Query and Scan stop a page once the items read reach 1 MB, measured in DynamoDB's storage
 * encoding rather than in item-size terms: attribute names cost one byte each (they are interned),
 * values carry a type and length header, and every item carries a fixed overhead plus the sort key
 * again for each 3 KB it spans. Pages end at the same item as on AWS (the suites that compare with
 * AWS check the exact boundary), so the measure below follows that encoding:
 *
 * - S: its length plus a 1, 2 or 3 byte length header (under 128, under 16384, beyond);
 * - B and N: their size plus one byte; sets: members plus one byte per member plus one;
 * - NULL: nothing; BOOL: one byte; L: 3 + (1 + element) per element; M: 3 + per entry (1 + value + 1);
 * - an item: 2 + its attributes (value + 1 each, the sort key apart) + (1 + (1 + size) / 3072) * (18 + sort key),
 *   the sort key counted bare (no header).
 */

export const PAGE_LIMIT_BYTES = 1024 * 1024;

function stringLength(text: string): number {
  return text.length;
}

function storedValueSize(value: AttributeValue): number {
  if (value.S !== undefined) {
    const size = stringLength(value.S);
    return size + (size < 128 ? 1 : size < 16384 ? 2 : 3);
  }
  if (value.N !== undefined) return numberSize(value.N) + 1;
  if (value.B !== undefined) return base64ByteLength(value.B) + 1;
  if (value.SS !== undefined) {
    let size = 0;
    for (const member of value.SS) size += stringLength(member);
    return size + value.SS.length + 1;
  }
  if (value.NS !== undefined) {
    let size = 0;
    for (const member of value.NS) size += numberSize(member);
    return size + value.NS.length + 1;
  }
  if (value.BS !== undefined) {
    let size = 0;
    for (const member of value.BS) size += base64ByteLength(member);
    return size + value.BS.length + 1;
  }
  if (value.NULL !== undefined) return 0;
  if (value.BOOL !== undefined) return 1;
  if (value.L !== undefined) {
    let size = 3;
    for (const element of value.L) size += 1 + storedValueSize(element);
    return size;
  }
  if (value.M !== undefined) {
    let size = 3;
    for (const name in value.M) size += 2 + storedValueSize(value.M[name]);
    return size;
  }
  return 0;
}

/** A sort key value's size without a header (sort keys are stored bare). */
function bareKeySize(value: AttributeValue): number {
  if (value.S !== undefined) return stringLength(value.S);
  if (value.N !== undefined) return numberSize(value.N);
  if (value.B !== undefined) return base64ByteLength(value.B);
  return storedValueSize(value);
}

/** An item's size in the page measure; `sortKey` is the table's sort key attribute, if any. */
export function pageSize(item: Item, sortKey?: string): number {
  let size = 0;
  let sortKeySize = 0;
  for (const name in item) {
    if (name === sortKey) sortKeySize = bareKeySize(item[name]);
    else size += storedValueSize(item[name]) + 1;
  }
  return 2 + size + (1 + Math.floor((1 + size) / 3072)) * (18 + sortKeySize);
}
