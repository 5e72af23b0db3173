import type { ListShape, MapShape, ScalarShape, ShapeRef, StructureShape } from './model.js';
import { toIso8601, type Timestamp } from './timestamps.js';
import type { XmlWriter } from './xml.js';

/**
 * Query-protocol output encoding: a writer compiled once per output structure appends the members
 * as XML, named and flattened as the model says (ReceiveMessage's repeated `<Message>`, SQS's
 * `<Attribute><Name/><Value/></Attribute>` maps). Absent (undefined or null) members are left out.
 */

/** Writes a structure's members (its content, without its own element). */
export type StructureWriter = (w: XmlWriter, value: Record<string, unknown>) => void;

/** Writes one value as the element(s) of one member. */
type ElementWriter = (w: XmlWriter, value: unknown) => void;

const structures = new WeakMap<StructureShape, StructureWriter>();

export function structureWriter(shape: StructureShape): StructureWriter {
  let write = structures.get(shape);
  if (write) return write;
  const members: { name: string; write: ElementWriter }[] = [];
  write = (w, value) => {
    for (const m of members) {
      const v = value[m.name];
      if (v !== undefined && v !== null) m.write(w, v);
    }
  };
  // Cached before the members compile, so recursive shapes reuse this writer.
  structures.set(shape, write);
  for (const m of shape.members) members.push({ name: m.name, write: elementWriter(m, m.locationName ?? m.name) });
  return write;
}

function elementWriter(ref: ShapeRef, name: string): ElementWriter {
  const shape = ref.shape;
  switch (shape.type) {
    case 'structure': {
      const content = structureWriter(shape);
      return (w, v) => {
        w.open(name);
        content(w, v as Record<string, unknown>);
        w.close(name);
      };
    }
    case 'list':
      return listWriter(shape, ref.flattened, name);
    case 'map':
      return mapWriter(shape, ref.flattened, name);
    default: {
      const text = scalarText(shape);
      return (w, v) => w.element(name, text(v));
    }
  }
}

function listWriter(shape: ListShape, flattened: boolean, name: string): ElementWriter {
  // Flattened: one element per item, named after the member (`<QueueUrl>` repeated), else the list's name.
  const item = elementWriter(shape.member, shape.member.locationName ?? (flattened ? name : 'member'));
  if (flattened) {
    return (w, v) => {
      for (const x of v as unknown[]) if (x !== undefined && x !== null) item(w, x);
    };
  }
  return (w, v) => {
    w.open(name);
    for (const x of v as unknown[]) if (x !== undefined && x !== null) item(w, x);
    w.close(name);
  };
}

function mapWriter(shape: MapShape, flattened: boolean, name: string): ElementWriter {
  const key = elementWriter(shape.key, shape.key.locationName ?? 'key');
  const value = elementWriter(shape.value, shape.value.locationName ?? 'value');
  // Flattened: `<Name><Key/><Value/></Name>` per entry; else `<Name><entry><key/><value/></entry>…</Name>`.
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

function scalarText(shape: ScalarShape): (v: unknown) => string {
  switch (shape.type) {
    case 'timestamp':
      return (v) => toIso8601(v as Timestamp);
    case 'string':
    case 'blob':
      // Blobs travel as base64 text already.
      return (v) => (typeof v === 'string' ? v : String(v));
    default:
      return String;
  }
}
