import type { ListShape, MapShape, ScalarShape, ShapeRef, StructureShape, XmlNamespace } from './model.js';
import { toIso8601, toEpochMillis, type Timestamp } from './timestamps.js';
import type { XmlWriter } from './xml.js';

/**
 * rest-xml output encoding. Body members become XML (writers compiled once per structure: elements
 * named and flattened as the model says, xmlAttribute members as attributes, declared namespaces as
 * xmlns attributes); header members become header values (timestamps as HTTP dates unless the model
 * says otherwise). Absent (undefined or null) members are left out.
 */

/** Writes one value as the element(s) of one member. */
export type ElementWriter = (w: XmlWriter, value: unknown) => void;

function namespaceAttributes(ns: XmlNamespace | undefined, into: Record<string, string>): void {
  if (ns) into[ns.prefix ? `xmlns:${ns.prefix}` : 'xmlns'] = ns.uri;
}

const structures = new WeakMap<StructureShape, { content: (w: XmlWriter, v: Record<string, unknown>) => void; attributes: AttributeMember[] }>();

interface AttributeMember {
  name: string;
  wire: string;
  text: (v: unknown) => string;
}

function compileStructure(shape: StructureShape) {
  let compiled = structures.get(shape);
  if (compiled) return compiled;
  const members: { name: string; write: ElementWriter }[] = [];
  const attributes: AttributeMember[] = [];
  compiled = {
    content: (w, value) => {
      for (const m of members) {
        const v = value[m.name];
        if (v !== undefined && v !== null) m.write(w, v);
      }
    },
    attributes,
  };
  // Cached before the members compile, so recursive shapes reuse this writer.
  structures.set(shape, compiled);
  for (const m of shape.members) {
    if (m.location !== undefined) continue;
    const wire = m.locationName ?? m.name;
    if (m.xmlAttribute) attributes.push({ name: m.name, wire, text: scalarText(m.shape as ScalarShape) });
    else members.push({ name: m.name, write: elementWriter(m, wire) });
  }
  return compiled;
}

/** The writer of an element named `name` holding a value of `ref`'s shape. */
export function elementWriter(ref: ShapeRef, name: string): ElementWriter {
  const shape = ref.shape;
  switch (shape.type) {
    case 'structure': {
      const fixed: Record<string, string> = {};
      namespaceAttributes(ref.xmlNamespace ?? shape.xmlNamespace, fixed);
      const hasFixed = Object.keys(fixed).length > 0;
      return (w, v) => {
        const s = compileStructure(shape);
        const value = v as Record<string, unknown>;
        let attrs: Record<string, string> | undefined = hasFixed ? { ...fixed } : undefined;
        for (const a of s.attributes) {
          const x = value[a.name];
          if (x !== undefined && x !== null) (attrs ??= {})[a.wire] = a.text(x);
        }
        w.open(name, attrs);
        s.content(w, value);
        w.close(name);
      };
    }
    case 'list':
      return listWriter(shape, ref.flattened, name);
    case 'map':
      return mapWriter(shape, ref.flattened, name);
    default: {
      const text = scalarText(shape);
      const attrs: Record<string, string> = {};
      namespaceAttributes(ref.xmlNamespace, attrs);
      if (Object.keys(attrs).length) return (w, v) => w.open(name, attrs).text(text(v)).close(name);
      // Numbers, booleans and Dates are written without XML's special characters; anything else is escaped.
      return (w, v) => (typeof v === 'number' || typeof v === 'boolean' || v instanceof Date ? w.plainElement(name, text(v)) : w.element(name, text(v)));
    }
  }
}

/** Writes a structure's members (its content, without its own element). */
export function structureContentWriter(shape: StructureShape): (w: XmlWriter, value: Record<string, unknown>) => void {
  return (w, v) => compileStructure(shape).content(w, v);
}

function listWriter(shape: ListShape, flattened: boolean, name: string): ElementWriter {
  if (flattened) {
    // One element per item, named as the member.
    const item = elementWriter(shape.member, name);
    return (w, v) => {
      for (const x of v as unknown[]) if (x !== undefined && x !== null) item(w, x);
    };
  }
  const item = elementWriter(shape.member, shape.member.locationName ?? 'member');
  return (w, v) => {
    w.open(name);
    for (const x of v as unknown[]) if (x !== undefined && x !== null) item(w, x);
    w.close(name);
  };
}

function mapWriter(shape: MapShape, flattened: boolean, name: string): ElementWriter {
  const key = elementWriter(shape.key, shape.key.locationName ?? 'key');
  const value = elementWriter(shape.value, shape.value.locationName ?? 'value');
  const entry = flattened ? name : 'entry';
  const writeEntries = (w: XmlWriter, map: Record<string, unknown>) => {
    for (const k in map) {
      const v = map[k];
      if (v === undefined || v === null) continue;
      w.open(entry);
      key(w, k);
      value(w, v);
      w.close(entry);
    }
  };
  if (flattened) return (w, v) => writeEntries(w, v as Record<string, unknown>);
  return (w, v) => {
    w.open(name);
    writeEntries(w, v as Record<string, unknown>);
    w.close(name);
  };
}

/** A scalar as XML text: timestamps ISO-8601 (S3's `2009-10-12T17:50:30.000Z`), the rest as written. */
export function scalarText(shape: ScalarShape): (v: unknown) => string {
  if (shape.type === 'timestamp') {
    switch (shape.timestampFormat) {
      case 'rfc822':
        return (v) => httpDate(v as Timestamp);
      case 'unixTimestamp':
        return (v) => String(toEpochMillis(v as Timestamp) / 1000);
      default:
        return (v) => toIso8601(v as Timestamp);
    }
  }
  return (v) => (typeof v === 'string' ? v : String(v));
}

/** An HTTP date (RFC 7231 IMF-fixdate): `Wed, 12 Oct 2009 17:50:00 GMT`. */
export function httpDate(t: Timestamp): string {
  const ms = toEpochMillis(t);
  return Number.isNaN(ms) ? String(t) : new Date(ms).toUTCString();
}

/** A header member's value as header text: timestamps as HTTP dates unless the model says otherwise. */
export function headerText(ref: ShapeRef): (v: unknown) => string {
  const shape = ref.shape;
  if (shape.type === 'list') {
    const item = shape.member.shape.type === 'structure' || shape.member.shape.type === 'list' || shape.member.shape.type === 'map' ? String : headerScalar(shape.member.shape);
    return (v) => (v as unknown[]).map(item).join(', ');
  }
  if (shape.type === 'structure' || shape.type === 'map') return (v) => JSON.stringify(v);
  return headerScalar(shape);
}

function headerScalar(shape: ScalarShape): (v: unknown) => string {
  if (shape.type === 'timestamp') {
    switch (shape.timestampFormat) {
      case 'iso8601':
        return (v) => toIso8601(v as Timestamp);
      case 'unixTimestamp':
        return (v) => String(toEpochMillis(v as Timestamp) / 1000);
      default:
        return (v) => httpDate(v as Timestamp);
    }
  }
  return (v) => (typeof v === 'string' ? v : String(v));
}
