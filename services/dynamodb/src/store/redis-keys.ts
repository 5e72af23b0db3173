import type { SortKeyCondition } from '../expressions/key-condition.js';
import { hashPrefix, keyComponent, SEGMENT_BUCKETS } from '../keys.js';
import type { IndexModel, KeyDef, TableModel } from '../model.js';
import type { AttributeValue, Item } from '../values/attribute-value.js';
import { getAttribute } from '../values/attribute-value.js';
import type { PageRequest } from './types.js';

/**
 * The Redis key scheme of the DynamoDB store, and the sort keys that give Redis AWS's item order.
 * Everything lives under `ddb:` (one Redis, not a cluster: no hash tags).
 *
 * Per table, named by its tableKey `<account>/<region>/<name>`:
 *   ddb:t:<tableKey>   hash  id (the table's uuid), rev (bumped by every replaceTable), rec (the
 *                            TableRecord as JSON), ix (JSON: index name -> token); its existence is the table's
 * Per table's data, named by the table's id (a table deleted and created again gets new keys, so the old
 * items are unlinked in the background and never seen):
 *   ddb:d:<id>:i       hash  item member -> the item as JSON (what GetItem and page reads return)
 *   ddb:d:<id>:m       hash  item member -> msgpack meta: version, size, page size, then per index entry
 *                            its token, entry member, size and page size (what a write must undo)
 *   ddb:d:<id>:o       zset  every item member, score 0: lexical order is Scan/Query order
 *   ddb:d:<id>:x:<tok> zset  one per index: entry members, score 0, in the index's order
 *   ddb:d:<id>:e       zset  item member by time-to-live instant (ms), when the table has TTL
 *   ddb:d:<id>:n       hash  counters: c (items), b (bytes), v (last item version handed out),
 *                            <tok>:c and <tok>:b per index
 * An index's token is random and fixed when the index is added, so an index deleted and added again
 * under the same name never meets its predecessor's entries.
 *
 * Global: ddb:tables (zset, lexical: tableKeys), ddb:ttl-tables (set of tableKeys whose TTL is on),
 * ddb:seq (the store-wide stream sequence: the ordinal of the last record appended), ddb:streams (zset,
 * lexical: `<account>/<region>/<arn>`), per stream ddb:s:<arn> (hash: meta JSON, start ordinal, closed
 * instant) and ddb:sr:<arn> (zset of records by ordinal, member `<ordinal>:<ms>:<record JSON>`),
 * ddb:tokens (hash: scope\0token -> `<expiresAt>:<fingerprint>`) with ddb:token-exp (zset by expiry).
 *
 * Item order. An item's member is `hex6(placement prefix) esc(hk) T esc(rk) T` (the range part only
 * when the table has a sort key), where hk and rk are keyComponent strings, esc doubles every NUL as
 * NUL 0x01 and T is NUL NUL. Redis orders members by their UTF-8 bytes, which is code point order, and
 * escaping with a terminator keeps tuple order: a component that is a prefix of another sorts first.
 * So ZRANGEBYLEX walks items exactly as the memory store's SortedList does. An index entry's member is
 * `hex6(index prefix) esc(ihk) T [esc(irk) T] hex6(primary prefix) <item member>`: index keys, then the
 * table's, as compareEntries orders them; the item member is its tail (the page script finds it after
 * the second, or first, terminator).
 */

export const TABLES = 'ddb:tables';
export const TTL_TABLES = 'ddb:ttl-tables';
export const SEQUENCE = 'ddb:seq';
export const STREAMS = 'ddb:streams';
export const TOKENS = 'ddb:tokens';
export const TOKEN_EXPIRY = 'ddb:token-exp';
/** A key never written: the place of an absent key in a script's KEYS. */
export const NO_KEY = 'ddb:none';
export const ALL_KEYS_PATTERN = 'ddb:*';

export function tableHashKey(tableKey: string): string {
  return `ddb:t:${tableKey}`;
}

export type DataPart = 'i' | 'm' | 'o' | 'e' | 'n';

export function dataKey(id: string, part: DataPart): string {
  return `ddb:d:${id}:${part}`;
}

export function indexKey(id: string, token: string): string {
  return `ddb:d:${id}:x:${token}`;
}

/** Every key of a table's data. */
export function dataKeys(id: string, tokens: readonly string[]): string[] {
  return [...(['i', 'm', 'o', 'e', 'n'] as const).map((part) => dataKey(id, part)), ...tokens.map((token) => indexKey(id, token))];
}

export function streamKey(arn: string): string {
  return `ddb:s:${arn}`;
}

export function streamRecordsKey(arn: string): string {
  return `ddb:sr:${arn}`;
}

export function streamMember(account: string, region: string, arn: string): string {
  return `${account}/${region}/${arn}`;
}


// ---- item order ----

const TERMINATOR = '\u0000\u0000';

function esc(text: string): string {
  return text.includes('\u0000') ? text.replaceAll('\u0000', '\u0000\u0001') : text;
}

function component(text: string): string {
  return esc(text) + TERMINATOR;
}

export function hex6(prefix: number): string {
  return prefix.toString(16).padStart(6, '0');
}

/** The member of an item (or of the key naming it) in the table's order. */
export function itemMember(model: TableModel, item: Item): string {
  const hashValue = item[model.hash.name];
  let member = hex6(hashPrefix(hashValue, model.hash.type)) + component(keyComponent(hashValue, model.hash.type));
  if (model.range) member += component(keyComponent(item[model.range.name], model.range.type));
  return member;
}

/** The member of an item's entry in an index, or undefined when the item lacks the index's keys. */
export function entryMember(model: TableModel, index: IndexModel, item: Item, primary: string): string | undefined {
  const hashValue = getAttribute(item, index.hash.name);
  const rangeValue = index.range ? getAttribute(item, index.range.name) : undefined;
  if (hashValue === undefined || hashValue[index.hash.type] === undefined) return undefined;
  if (index.range && (rangeValue === undefined || rangeValue[index.range.type] === undefined)) return undefined;
  return entryPrefix(model, index, item) + primary;
}

/** The index part of an entry member: index keys, then the placement hash of the whole primary key. */
function entryPrefix(model: TableModel, index: IndexModel, item: Item): string {
  let member: string;
  if (index.global) {
    const hashValue = item[index.hash.name];
    member = hex6(hashPrefix(hashValue, index.hash.type)) + component(keyComponent(hashValue, index.hash.type));
  } else {
    const hashValue = item[model.hash.name];
    member = hex6(hashPrefix(hashValue, model.hash.type)) + component(keyComponent(hashValue, model.hash.type));
  }
  if (index.range) member += component(keyComponent(item[index.range.name], index.range.type));
  const tprefix = hashPrefix(item[model.hash.name], model.hash.type, model.range ? item[model.range.name] : undefined, model.range?.type);
  return member + hex6(tprefix);
}

// ---- page bounds ----

/**
 * A ZRANGEBYLEX bound as the page script builds it: '-' and '+' (the ends), '[' or '(' before `base`,
 * or '[x' / '(x' for `base` followed by byte 0xFF (above every member that extends base; a JS string
 * cannot carry that byte through ioredis, so the script appends it).
 */
export type Bound = readonly [kind: '-' | '+' | '[' | '(' | '[x' | '(x', base: string];

/** The ZRANGEBYLEX bounds of a page: the partition and sort key condition, or the segment, and the start key. */
export function pageBounds(model: TableModel, index: IndexModel | undefined, request: PageRequest): { min: Bound; max: Bound } {
  const start = request.exclusiveStart === undefined ? undefined : startMember(model, index, request.exclusiveStart);
  if (request.partition !== undefined) {
    const hash: KeyDef = index ? (index.global ? index.hash : model.hash) : model.hash;
    const range: KeyDef | undefined = index ? index.range : model.range;
    const partition = hex6(hashPrefix(request.partition, hash.type)) + component(keyComponent(request.partition, hash.type));
    const bounds = sortBounds(partition, request.sort, range?.type ?? 'S');
    if (start === undefined) return bounds;
    return request.forward ? { min: ['(', start], max: bounds.max } : { min: bounds.min, max: ['(', start] };
  }
  const buckets = request.buckets;
  const min: Bound = start !== undefined ? ['(', start] : buckets ? ['[', hex6(buckets.first << 12)] : ['-', ''];
  const max: Bound = buckets && buckets.last < SEGMENT_BUCKETS - 1 ? ['(', hex6((buckets.last + 1) << 12)] : ['+', ''];
  return { min, max };
}

/** The member an ExclusiveStartKey names: of the item, or of its entry in the index. */
function startMember(model: TableModel, index: IndexModel | undefined, start: Item): string {
  const primary = itemMember(model, start);
  return index ? entryPrefix(model, index, start) + primary : primary;
}

function sortBounds(partition: string, condition: SortKeyCondition | undefined, type: 'S' | 'N' | 'B'): { min: Bound; max: Bound } {
  const whole = { min: ['[', partition] as Bound, max: ['(x', partition] as Bound };
  if (!condition) return whole;
  const value = (i: number) => partition + component(keyComponent(condition.values[i] as AttributeValue, type));
  switch (condition.operator) {
    case 'EQ':
      return { min: ['[', value(0)], max: ['(x', value(0)] };
    case 'LT':
      return { min: whole.min, max: ['(', value(0)] };
    case 'LE':
      return { min: whole.min, max: ['(x', value(0)] };
    case 'GT':
      return { min: ['(x', value(0)], max: whole.max };
    case 'GE':
      return { min: ['[', value(0)], max: whole.max };
    case 'BETWEEN':
      return { min: ['[', value(0)], max: ['(x', value(1)] };
    case 'BEGINS_WITH': {
      const prefix = partition + esc(keyComponent(condition.values[0] as AttributeValue, type));
      return { min: ['[', prefix], max: ['(x', prefix] };
    }
  }
}
