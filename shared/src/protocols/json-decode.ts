import type { ListShape, MapShape, ScalarShape, Shape, StructureShape } from './model.js';
import { base64Problem, serializationError, typeMismatch, type CoralDialect, type Position } from './json-type-errors.js';
import { setEntry } from './entries.js';

/**
 * AWS JSON input decoding: a decoder compiled once per input structure (and dialect) checks every
 * member's JSON type against the model, the way Coral does before a request reaches the service, and
 * copies out the members the model knows. Unknown members are dropped; null means absent.
 * Timestamps become epoch milliseconds; blobs stay base64 text (checked to be base64).
 */

/** Decodes a JSON value that is not null or undefined. */
export type JsonDecoder = (value: unknown) => unknown;

type DecoderCache = WeakMap<StructureShape, JsonDecoder>;
// Per dialect and position: DynamoDB words a mismatch differently for a member and for an element.
const caches: Record<CoralDialect, Record<Position, DecoderCache>> = {
  dynamodb: { member: new WeakMap(), element: new WeakMap() },
  current: { member: new WeakMap(), element: new WeakMap() },
};

export function structureDecoder(shape: StructureShape, dialect: CoralDialect, position: Position = 'member'): JsonDecoder {
  // The current dialect words both positions alike: one decoder serves both.
  const cache = caches[dialect][dialect === 'dynamodb' ? position : 'member'];
  let decode = cache.get(shape);
  if (decode) return decode;
  const members = new Map<string, JsonDecoder>();
  decode = (v) => {
    if (typeof v !== 'object' || Array.isArray(v)) throw typeMismatch(dialect, shape, v, position);
    const obj = v as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    for (const key in obj) {
      const decodeMember = members.get(key);
      const x = obj[key];
      if (decodeMember && x !== null && x !== undefined) out[key] = decodeMember(x);
    }
    return out;
  };
  // Cached before the members compile, so recursive shapes (DynamoDB's AttributeValue) reuse it.
  cache.set(shape, decode);
  for (const m of shape.members) members.set(m.name, shapeDecoder(m.shape, dialect, 'member'));
  return decode;
}

function shapeDecoder(shape: Shape, dialect: CoralDialect, position: Position): JsonDecoder {
  switch (shape.type) {
    case 'structure':
      return structureDecoder(shape, dialect, position);
    case 'list':
      return listDecoder(shape, dialect, position);
    case 'map':
      return mapDecoder(shape, dialect, position);
    default:
      return scalarDecoder(shape, dialect);
  }
}

function listDecoder(shape: ListShape, dialect: CoralDialect, position: Position): JsonDecoder {
  const decodeItem = shapeDecoder(shape.member.shape, dialect, 'element');
  return (v) => {
    if (!Array.isArray(v)) throw typeMismatch(dialect, shape, v, position);
    const out: unknown[] = [];
    for (const x of v) if (x !== null) out.push(decodeItem(x));
    return out;
  };
}

function mapDecoder(shape: MapShape, dialect: CoralDialect, position: Position): JsonDecoder {
  const decodeValue = shapeDecoder(shape.value.shape, dialect, 'element');
  return (v) => {
    if (typeof v !== 'object' || Array.isArray(v)) throw typeMismatch(dialect, shape, v, position);
    const obj = v as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    for (const key in obj) {
      const x = obj[key];
      if (x !== null) setEntry(out, key, decodeValue(x));
    }
    return out;
  };
}

// Strings Coral reads as booleans (case does not matter).
const BOOLEAN_TEXT: ReadonlyMap<string, boolean> = new Map([
  ['true', true], ['yes', true], ['y', true], ['t', true], ['1', true],
  ['false', false], ['no', false], ['n', false], ['f', false], ['0', false],
]);

function scalarDecoder(shape: ScalarShape, dialect: CoralDialect): JsonDecoder {
  const type = shape.type;
  switch (type) {
    case 'string':
      return (v) => {
        if (typeof v !== 'string') throw typeMismatch(dialect, shape, v);
        return v;
      };
    case 'integer':
    case 'long':
      return (v) => {
        if (typeof v !== 'number') throw typeMismatch(dialect, shape, v);
        return Math.trunc(v);
      };
    case 'float':
    case 'double':
      return (v) => {
        if (typeof v !== 'number') throw typeMismatch(dialect, shape, v);
        return v;
      };
    case 'boolean':
      return (v) => {
        if (typeof v === 'boolean') return v;
        const b = typeof v === 'string' ? BOOLEAN_TEXT.get(v.toLowerCase()) : undefined;
        if (b === undefined) throw typeMismatch(dialect, shape, v);
        return b;
      };
    case 'blob':
      return (v) => {
        if (typeof v !== 'string') throw typeMismatch(dialect, shape, v);
        const problem = base64Problem(v);
        if (problem) throw serializationError(problem);
        return v;
      };
    case 'timestamp':
      // Epoch seconds is the protocol's form; an ISO-8601 string is read too.
      return (v) => {
        const ms = typeof v === 'number' ? v * 1000 : typeof v === 'string' ? Date.parse(v) : NaN;
        if (Number.isNaN(ms)) throw typeMismatch(dialect, shape, v);
        return ms;
      };
  }
}
