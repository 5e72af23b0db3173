import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { AwsError } from '../errors.js';
import type { ListShape, MapShape, ScalarShape, Shape, ShapeRef, StructureShape } from './model.js';
import { setEntry } from './entries.js';
import { INT32_MAX, INT32_MIN, parseInteger } from './scalar-text.js';

/**
 * rest-xml request decoding: members from URI labels, the query string and headers (decoders compiled
 * once per input structure), and XML bodies, parsed by fast-xml-parser into a tree and then walked by
 * decoders compiled once per shape. Scalars come out typed: numbers, booleans, timestamps as epoch
 * milliseconds; blobs stay base64 text.
 */

type Headers = Record<string, string | string[] | undefined>;

/** S3's answer to a body that is not XML, or not the XML the operation takes. */
export function malformedXml(): AwsError {
  return new AwsError('MalformedXML', 'The XML you provided was not well-formed or did not validate against our published schema', 400);
}

/** A query parameter or header that is not of its member's type. */
function invalidArgument(name: string, value: string): AwsError {
  return new AwsError('InvalidArgument', `Invalid value for ${name}: ${value}`, 400, { fields: { ArgumentName: name, ArgumentValue: value } });
}

// ---------------------------------------------------------------------------------------------------
// Scalars from text (headers, query parameters, XML element content)

function parseTimestamp(text: string): number | undefined {
  const t = text.trim();
  if (t === '') return undefined;
  if (/^-?\d+(\.\d+)?$/.test(t)) return Number(t) * 1000;
  const ms = Date.parse(t);
  return Number.isNaN(ms) ? undefined : ms;
}

/** Parses one scalar; undefined when the text is not of the type. */
export function scalarParser(shape: ScalarShape): (text: string) => unknown {
  switch (shape.type) {
    case 'integer':
      return (t) => parseInteger(t.trim(), INT32_MIN, INT32_MAX);
    case 'long':
      return (t) => parseInteger(t.trim(), Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER);
    case 'float':
    case 'double':
      return (t) => {
        const v = Number(t);
        return t.trim() === '' || Number.isNaN(v) ? (t === 'NaN' ? NaN : undefined) : v;
      };
    case 'boolean':
      return (t) => {
        const lower = t.trim().toLowerCase();
        return lower === 'true' ? true : lower === 'false' ? false : undefined;
      };
    case 'timestamp':
      return parseTimestamp;
    default:
      // string, and blob, which travels as the base64 text the client sent.
      return (t) => t;
  }
}

// ---------------------------------------------------------------------------------------------------
// URI labels, query string, headers

/** Decodes the members of an input that travel outside the body. */
export type ParamsDecoder = (labels: Record<string, string>, query: URLSearchParams, headers: Headers, into: Record<string, unknown>) => void;

/** Decodes the header members alone (S3 trailing checksums arrive as trailers, decoded as headers). */
export type HeadersDecoder = (headers: Headers, into: Record<string, unknown>) => void;

interface LocatedMember {
  name: string;
  wire: string;
  decode: (text: string) => unknown;
  /** Timestamps in headers that do not parse are ignored, as HTTP says of If-Modified-Since. */
  lenient: boolean;
}

function headerValue(headers: Headers, name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v.join(', ') : v;
}

function locatedDecoder(ref: ShapeRef): (text: string) => unknown {
  const shape = ref.shape;
  if (shape.type === 'list') {
    // A list in a header is comma-separated (S3's x-amz-object-attributes).
    const item = shape.member.shape;
    const parse = item.type === 'structure' || item.type === 'list' || item.type === 'map' ? (t: string) => t : scalarParser(item);
    return (text) => {
      const out: unknown[] = [];
      for (const part of text.split(',')) {
        const t = part.trim();
        if (t === '') continue;
        const v = parse(t);
        if (v === undefined) return undefined;
        out.push(v);
      }
      return out;
    };
  }
  if (shape.type === 'structure' || shape.type === 'map') return (t) => t;
  return scalarParser(shape);
}

const paramsDecoders = new WeakMap<StructureShape, { params: ParamsDecoder; headers: HeadersDecoder }>();

function compileParams(shape: StructureShape): { params: ParamsDecoder; headers: HeadersDecoder } {
  let compiled = paramsDecoders.get(shape);
  if (compiled) return compiled;
  const labels: { name: string; wire: string; decode: (t: string) => unknown }[] = [];
  const query: (LocatedMember & { list: boolean })[] = [];
  const headers: LocatedMember[] = [];
  const prefixed: { name: string; prefix: string }[] = [];
  for (const m of shape.members) {
    const wire = m.locationName ?? m.name;
    switch (m.location) {
      case 'uri':
        labels.push({ name: m.name, wire, decode: locatedDecoder(m) });
        break;
      case 'querystring':
        if (m.shape.type === 'map') prefixed.push({ name: m.name, prefix: '' });
        else query.push({ name: m.name, wire, decode: locatedDecoder(m), lenient: false, list: m.shape.type === 'list' });
        break;
      case 'header':
        headers.push({ name: m.name, wire: wire.toLowerCase(), decode: locatedDecoder(m), lenient: m.shape.type === 'timestamp' });
        break;
      case 'headers':
        prefixed.push({ name: m.name, prefix: wire.toLowerCase() });
        break;
    }
  }
  const headerMaps = prefixed.filter((p) => p.prefix !== '');

  const decodeHeaders: HeadersDecoder = (h, into) => {
    for (const m of headers) {
      const text = headerValue(h, m.wire);
      if (text === undefined) continue;
      const v = m.decode(text);
      if (v !== undefined) into[m.name] = v;
      else if (!m.lenient) throw invalidArgument(m.wire, text);
    }
    for (const p of headerMaps) {
      let map: Record<string, string> | undefined;
      for (const key in h) {
        if (!key.startsWith(p.prefix)) continue;
        const text = headerValue(h, key);
        if (text === undefined) continue;
        setEntry((map ??= {}), key.slice(p.prefix.length), text);
      }
      if (map) into[p.name] = map;
    }
  };

  const decodeParams: ParamsDecoder = (l, q, h, into) => {
    for (const m of labels) {
      const text = l[m.wire];
      if (text !== undefined) into[m.name] = m.decode(text) ?? text;
    }
    for (const m of query) {
      if (m.list) {
        const all = q.getAll(m.wire);
        if (all.length) into[m.name] = all.flatMap((t) => m.decode(t) as unknown[]);
        continue;
      }
      const text = q.get(m.wire);
      if (text === null) continue;
      const v = m.decode(text);
      if (v === undefined) throw invalidArgument(m.wire, text);
      into[m.name] = v;
    }
    decodeHeaders(h, into);
  };

  compiled = { params: decodeParams, headers: decodeHeaders };
  paramsDecoders.set(shape, compiled);
  return compiled;
}

export function paramsDecoder(shape: StructureShape): ParamsDecoder {
  return compileParams(shape).params;
}

export function headersDecoder(shape: StructureShape): HeadersDecoder {
  return compileParams(shape).headers;
}

// ---------------------------------------------------------------------------------------------------
// XML bodies

/** What fast-xml-parser makes of an element: text, or an object of children / attributes (`@_name`) / `#text`. */
type XmlNode = string | { [name: string]: XmlNode | XmlNode[] };

const TEXT = '#text';
const ATTR = '@_';

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: ATTR,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
  processEntities: true,
  htmlEntities: false,
});

/**
 * Parses an XML document and returns its root element's name and content. MalformedXML for anything
 * that is not one well-formed element (DTDs included: nothing here needs entities beyond XML's own).
 */
export function parseXmlDocument(text: string): { name: string; node: XmlNode } {
  if (text.includes('<!DOCTYPE') || text.includes('<!ENTITY') || XMLValidator.validate(text) !== true) throw malformedXml();
  let doc: Record<string, XmlNode | XmlNode[]>;
  try {
    doc = parser.parse(text) as Record<string, XmlNode | XmlNode[]>;
  } catch {
    throw malformedXml();
  }
  const names = Object.keys(doc).filter((k) => k !== TEXT);
  if (names.length !== 1) throw malformedXml();
  const node = doc[names[0]];
  if (Array.isArray(node)) throw malformedXml();
  return { name: names[0], node };
}

/** Decodes an element's content; undefined means "absent". */
type XmlDecoder = (node: XmlNode) => unknown;

const xmlStructures = new WeakMap<StructureShape, XmlDecoder>();

function textOf(node: XmlNode): string {
  if (typeof node === 'string') return node;
  const t = node[TEXT];
  return typeof t === 'string' ? t : '';
}

function asList(v: XmlNode | XmlNode[] | undefined): XmlNode[] {
  return v === undefined ? [] : Array.isArray(v) ? v : [v];
}

/** The decoder of a structure's content: child elements (and attributes) by member wire name. */
export function xmlStructureDecoder(shape: StructureShape): XmlDecoder {
  let decode = xmlStructures.get(shape);
  if (decode) return decode;
  const members: { name: string; wire: string; decode: XmlDecoder; attribute: boolean; repeated: boolean }[] = [];
  decode = (node) => {
    const out: Record<string, unknown> = {};
    if (typeof node === 'string') {
      // `<Tagging></Tagging>`, or text where elements belong.
      if (node.trim() !== '') throw malformedXml();
    } else {
      for (const m of members) {
        if (m.attribute) {
          const a = node[ATTR + m.wire];
          if (typeof a === 'string') out[m.name] = m.decode(a);
          continue;
        }
        const child = node[m.wire];
        if (child === undefined) continue;
        if (m.repeated) {
          // Flattened lists and maps repeat the member's element; the decoder takes them all.
          out[m.name] = m.decode(asList(child) as unknown as XmlNode);
          continue;
        }
        // A repeated element that is not a flattened list is the schema's violation.
        if (Array.isArray(child)) throw malformedXml();
        const v = m.decode(child);
        if (v !== undefined) out[m.name] = v;
      }
    }
    for (const r of shape.required) {
      if (out[r] === undefined && members.some((m) => m.name === r)) throw malformedXml();
    }
    return out;
  };
  // Cached before the members compile, so recursive shapes reuse this decoder.
  xmlStructures.set(shape, decode);
  for (const m of shape.members) {
    if (m.location !== undefined) continue;
    members.push({
      name: m.name,
      wire: m.locationName ?? m.name,
      decode: xmlRefDecoder(m),
      attribute: m.xmlAttribute === true,
      repeated: m.flattened && (m.shape.type === 'list' || m.shape.type === 'map'),
    });
  }
  return decode;
}

function xmlRefDecoder(ref: ShapeRef): XmlDecoder {
  const shape: Shape = ref.shape;
  switch (shape.type) {
    case 'structure':
      return xmlStructureDecoder(shape);
    case 'list':
      return xmlListDecoder(shape, ref.flattened);
    case 'map':
      return xmlMapDecoder(shape, ref.flattened);
    default: {
      const parse = scalarParser(shape);
      return (node) => {
        if (typeof node !== 'string' && Object.keys(node).some((k) => k !== TEXT && !k.startsWith(ATTR))) throw malformedXml();
        const v = parse(textOf(node));
        if (v === undefined) throw malformedXml();
        return v;
      };
    }
  }
}

function xmlListDecoder(shape: ListShape, flattened: boolean): XmlDecoder {
  const item = xmlRefDecoder(shape.member);
  if (flattened) {
    // Handed the repeated elements themselves (see the structure decoder).
    return (items) => (items as unknown as XmlNode[]).map(item).filter((v) => v !== undefined);
  }
  const itemName = shape.member.locationName ?? 'member';
  return (node) => {
    if (typeof node === 'string') {
      if (node.trim() !== '') throw malformedXml();
      return [];
    }
    return asList(node[itemName])
      .map(item)
      .filter((v) => v !== undefined);
  };
}

function xmlMapDecoder(shape: MapShape, flattened: boolean): XmlDecoder {
  const keyName = shape.key.locationName ?? 'key';
  const valueName = shape.value.locationName ?? 'value';
  const decodeValue = xmlRefDecoder(shape.value);
  const entries = (list: XmlNode[]) => {
    const out: Record<string, unknown> = {};
    for (const entry of list) {
      if (typeof entry === 'string') continue;
      const k = entry[keyName];
      const v = entry[valueName];
      if (k === undefined || Array.isArray(k) || Array.isArray(v)) throw malformedXml();
      setEntry(out, textOf(k), v === undefined ? undefined : decodeValue(v));
    }
    return out;
  };
  if (flattened) return (items) => entries(items as unknown as XmlNode[]);
  return (node) => (typeof node === 'string' ? {} : entries(asList(node.entry)));
}
