import type { Shape, StructureShape } from './model.js';
import { toEpochSeconds, type Timestamp } from './timestamps.js';
import { setEntry } from './entries.js';

/**
 * AWS JSON output encoding. Handler outputs are already JSON-shaped (blobs as base64 strings), so
 * only timestamps need rewriting, to epoch seconds. An output shape with no timestamp anywhere is
 * serialised as it is; otherwise a transform compiled once copies just the branches that hold them.
 */

/** Rewrites a value (not null or undefined) into its JSON wire form. */
export type JsonTransform = (value: unknown) => unknown;

const transforms = new WeakMap<StructureShape, JsonTransform>();

/** Null when the structure holds no timestamp, at any depth. */
export function structureTransform(shape: StructureShape): JsonTransform | null {
  return hasTimestamp(shape, new Set()) ? compileStructure(shape) : null;
}

function hasTimestamp(shape: Shape, seen: Set<Shape>): boolean {
  if (seen.has(shape)) return false;
  seen.add(shape);
  switch (shape.type) {
    case 'timestamp':
      return true;
    case 'structure':
      return shape.members.some((m) => hasTimestamp(m.shape, seen));
    case 'list':
      return hasTimestamp(shape.member.shape, seen);
    case 'map':
      return hasTimestamp(shape.value.shape, seen);
    default:
      return false;
  }
}

function compileStructure(shape: StructureShape): JsonTransform {
  const cached = transforms.get(shape);
  if (cached) return cached;
  const members: { name: string; transform: JsonTransform }[] = [];
  const transform: JsonTransform = (v) => {
    const out = { ...(v as Record<string, unknown>) };
    for (const m of members) {
      const x = out[m.name];
      if (x !== undefined && x !== null) out[m.name] = m.transform(x);
    }
    return out;
  };
  // Cached before the members compile, so recursive shapes reuse it.
  transforms.set(shape, transform);
  for (const m of shape.members) {
    if (!hasTimestamp(m.shape, new Set())) continue;
    members.push({ name: m.name, transform: compile(m.shape) });
  }
  return transform;
}

function compile(shape: Shape): JsonTransform {
  switch (shape.type) {
    case 'timestamp':
      return (v) => toEpochSeconds(v as Timestamp);
    case 'structure':
      return compileStructure(shape);
    case 'list': {
      const item = compile(shape.member.shape);
      return (v) => (v as unknown[]).map((x) => (x === undefined || x === null ? x : item(x)));
    }
    case 'map': {
      const value = compile(shape.value.shape);
      return (v) => {
        const out: Record<string, unknown> = {};
        for (const [k, x] of Object.entries(v as Record<string, unknown>)) setEntry(out, k, x === undefined || x === null ? x : value(x));
        return out;
      };
    }
    default:
      // hasTimestamp only leads here through shapes that can hold one.
      throw new Error(`no JSON transform for ${shape.type}`);
  }
}
