import { AwsError } from '../errors.js';
import type { ListShape, MapShape, Shape, ShapeRef, StructureShape } from './model.js';
import { parseTimestampText } from './timestamps.js';
import { setEntry } from './entries.js';
import { INT32_MAX, INT32_MIN, parseInteger } from './scalar-text.js';

/**
 * Query-protocol input decoding. The flat parameters (`Attribute.1.Name=DelaySeconds`) are first
 * split on dots into a tree, then a decoder compiled once per input structure walks the tree:
 * structures by member name, lists and maps by their 1-based indexes in numeric order.
 */

/** One dotted segment of the parameter names; `key` is the full name of a parameter that ends here. */
export interface ParamNode {
  value?: string;
  key?: string;
  children?: Map<string, ParamNode>;
}

export function paramTree(params: URLSearchParams): ParamNode {
  const root: ParamNode = {};
  for (const [key, value] of params) {
    let node = root;
    let start = 0;
    for (;;) {
      const dot = key.indexOf('.', start);
      const segment = dot < 0 ? key.slice(start) : key.slice(start, dot);
      const children = (node.children ??= new Map());
      let child = children.get(segment);
      if (!child) children.set(segment, (child = {}));
      node = child;
      if (dot < 0) break;
      start = dot + 1;
    }
    // A repeated parameter keeps its first value.
    if (node.value === undefined) {
      node.value = value;
      node.key = key;
    }
  }
  return root;
}

/** Decodes a node of the tree; undefined means "absent". */
export type QueryDecoder = (node: ParamNode) => unknown;

const structures = new WeakMap<StructureShape, QueryDecoder>();

export function structureDecoder(shape: StructureShape): QueryDecoder {
  let decode = structures.get(shape);
  if (decode) return decode;
  const members: { name: string; wire: string; decode: QueryDecoder; emptyList?: string }[] = [];
  decode = (node) => {
    const out: Record<string, unknown> = {};
    const children = node.children;
    if (!children) return out;
    for (const m of members) {
      const child = children.get(m.wire);
      if (child) {
        const v = m.decode(child);
        if (v !== undefined) out[m.name] = v;
      } else if (m.emptyList !== undefined && children.get(m.emptyList)?.value === '') {
        out[m.name] = [];
      }
    }
    return out;
  };
  // Cached before the members compile, so recursive shapes reuse this decoder.
  structures.set(shape, decode);
  for (const m of shape.members) {
    const name = m.locationName ?? m.name;
    // A flattened list's items are named after its member (`AttributeName.1`), but SDKs write an
    // empty one under the list's own name (`AttributeNames=`).
    const renamed = m.shape.type === 'list' && m.flattened && m.shape.member.locationName !== undefined;
    members.push({
      name: m.name,
      wire: renamed ? (m.shape as ListShape).member.locationName! : name,
      decode: refDecoder(m),
      emptyList: renamed ? name : undefined,
    });
  }
  return decode;
}

function refDecoder(ref: ShapeRef): QueryDecoder {
  const shape = ref.shape;
  switch (shape.type) {
    case 'structure': {
      const decode = structureDecoder(shape);
      return (node) => (node.children ? decode(node) : undefined);
    }
    case 'list':
      return listDecoder(shape, ref.flattened);
    case 'map':
      return mapDecoder(shape, ref.flattened);
    default:
      return scalarDecoder(shape);
  }
}

/** The children of a list or map node that are 1-based indexes, in numeric order. */
function indexed(node: ParamNode | undefined): ParamNode[] {
  const children = node?.children;
  if (!children) return [];
  const found: [number, ParamNode][] = [];
  for (const [segment, child] of children) {
    const n = Number(segment);
    if (Number.isInteger(n) && n >= 1 && String(n) === segment) found.push([n, child]);
  }
  if (found.length > 1) found.sort((a, b) => a[0] - b[0]);
  return found.map((e) => e[1]);
}

function listDecoder(shape: ListShape, flattened: boolean): QueryDecoder {
  const decodeItem = refDecoder(shape.member);
  const itemSegment = shape.member.locationName ?? 'member';
  return (node) => {
    const items = indexed(flattened ? node : node.children?.get(itemSegment));
    if (items.length === 0) return node.value === '' && !node.children ? [] : undefined;
    const out: unknown[] = [];
    for (const item of items) {
      const v = decodeItem(item);
      if (v !== undefined) out.push(v);
    }
    return out;
  };
}

function mapDecoder(shape: MapShape, flattened: boolean): QueryDecoder {
  const keyName = shape.key.locationName ?? 'key';
  const valueName = shape.value.locationName ?? 'value';
  const decodeValue = refDecoder(shape.value);
  const structureValue = shape.value.shape.type === 'structure';
  return (node) => {
    const entries = indexed(flattened ? node : node.children?.get('entry'));
    if (entries.length === 0) return undefined;
    const out: Record<string, unknown> = {};
    for (const entry of entries) {
      const key = entry.children?.get(keyName)?.value;
      if (key === undefined) continue;
      // A missing structure value is kept as {}, so the service can say what is missing.
      const valueNode = entry.children?.get(valueName);
      const v = valueNode ? decodeValue(valueNode) : structureValue ? {} : undefined;
      if (v !== undefined) setEntry(out, key, v);
    }
    return out;
  };
}

/**
 * What the query protocol answers for a value that is not of its type. The wording is SQS's
 * ("Value  for parameter MessageGroupId is invalid." is what SQS sends for an empty one).
 */
function invalidValue(node: ParamNode): AwsError {
  return new AwsError('InvalidParameterValue', `Value ${node.value} for parameter ${node.key} is invalid.`, 400);
}

function parseFloatText(text: string): number | undefined {
  if (text === 'NaN') return NaN;
  const v = Number(text);
  return text.trim() === '' || Number.isNaN(v) ? undefined : v;
}

function scalarDecoder(shape: Shape): QueryDecoder {
  const parse = scalarParser(shape.type);
  return (node) => {
    const text = node.value;
    if (text === undefined) return undefined;
    const v = parse(text);
    if (v === undefined) throw invalidValue(node);
    return v;
  };
}

function scalarParser(type: Shape['type']): (text: string) => unknown {
  switch (type) {
    case 'integer':
      return (t) => parseInteger(t, INT32_MIN, INT32_MAX);
    case 'long':
      return (t) => parseInteger(t, Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER);
    case 'float':
    case 'double':
      return parseFloatText;
    case 'boolean':
      return (t) => {
        const lower = t.toLowerCase();
        return lower === 'true' ? true : lower === 'false' ? false : undefined;
      };
    case 'timestamp':
      return parseTimestampText;
    default:
      // string, and blob, which travels as the base64 text the client sent.
      return (t) => t;
  }
}
