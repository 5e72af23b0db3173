import { readFileSync } from 'node:fs';

/**
 * A typed view of an AWS API model in the aws-sdk v2 `min.json` format (vendored in shared/models/).
 * Operations and their shapes are resolved on first use and kept; the protocol codecs compile their
 * per-operation decoders and encoders from these resolved shapes.
 */

export type ScalarType = 'string' | 'integer' | 'long' | 'float' | 'double' | 'boolean' | 'blob' | 'timestamp';

export interface ScalarShape {
  readonly type: ScalarType;
}

export interface StructureShape {
  readonly type: 'structure';
  /** In model order, which is the order AWS writes them in XML. */
  readonly members: readonly StructureMember[];
  readonly required: readonly string[];
}

export interface ListShape {
  readonly type: 'list';
  readonly member: ShapeRef;
}

export interface MapShape {
  readonly type: 'map';
  readonly key: ShapeRef;
  readonly value: ShapeRef;
}

export type Shape = ScalarShape | StructureShape | ListShape | MapShape;

/**
 * One use of a shape (a structure member, a list's member, a map's key or value) with the wire naming
 * that use carries. A member's own traits win over the referenced shape's, as in the AWS SDKs.
 */
export interface ShapeRef {
  readonly shape: Shape;
  /** XML element / query parameter name (`locationName`); the JSON protocols ignore it. */
  readonly locationName?: string;
  /** Query and XML only: a list or map written without its wrapper element / `.member.` segment. */
  readonly flattened: boolean;
}

export interface StructureMember extends ShapeRef {
  /** The member's name in the model, which is also its JSON key and its key in decoded inputs. */
  readonly name: string;
}

export interface OperationModel {
  readonly name: string;
  readonly input?: StructureShape;
  readonly output?: StructureShape;
  /** Query protocol: the element wrapping the output members (`GetCallerIdentityResult`). */
  readonly resultWrapper?: string;
}

export interface ServiceModel {
  /** The model file's name without `.json`: `sqs-2012-11-05`. */
  readonly id: string;
  /** `metadata.protocol`: query, json, rest-json, rest-xml. */
  readonly protocol: string;
  readonly apiVersion: string;
  readonly serviceId: string;
  /** AWS JSON: the `X-Amz-Target` prefix (`AmazonSQS`, `DynamoDB_20120810`). */
  readonly targetPrefix?: string;
  readonly jsonVersion?: string;
  /** Query / XML: the namespace of response documents. */
  readonly xmlNamespace?: string;
  /** A service that moved from query to JSON and still reports query error codes (SQS). */
  readonly awsQueryCompatible: boolean;
  readonly operationNames: readonly string[];
  hasOperation(name: string): boolean;
  operation(name: string): OperationModel | undefined;
}

/** A shape or member definition as it appears in a min.json file. */
interface RawShape {
  type?: string;
  shape?: string;
  members?: Record<string, RawShape>;
  member?: RawShape;
  key?: RawShape;
  value?: RawShape;
  required?: string[];
  locationName?: string;
  flattened?: boolean;
  resultWrapper?: string;
}

interface RawModel {
  metadata: Record<string, unknown> & { protocol: string; apiVersion: string; serviceId: string };
  operations: Record<string, { input?: RawShape; output?: RawShape }>;
  shapes: Record<string, RawShape>;
}

const SCALAR_TYPES: ReadonlySet<string> = new Set<ScalarType>(['string', 'integer', 'long', 'float', 'double', 'boolean', 'blob', 'timestamp']);

/**
 * Turns raw definitions into shapes. Named shapes are built once and shared, and a shape is cached
 * before its children are resolved, so recursive models (DynamoDB's AttributeValue) terminate.
 */
class ShapeResolver {
  private readonly named = new Map<string, Shape>();

  constructor(private readonly raw: Record<string, RawShape>) {}

  ref(def: RawShape): ShapeRef {
    if (def.shape === undefined) {
      return { shape: this.build(def), locationName: def.locationName, flattened: def.flattened ?? false };
    }
    const target = this.rawNamed(def.shape);
    return {
      shape: this.namedShape(def.shape),
      locationName: def.locationName ?? target.locationName,
      flattened: def.flattened ?? target.flattened ?? false,
    };
  }

  structure(def: RawShape): StructureShape {
    const shape = def.shape === undefined ? this.build(def) : this.namedShape(def.shape);
    if (shape.type !== 'structure') throw new Error(`operation input/output is a ${shape.type}, not a structure`);
    return shape;
  }

  rawNamed(name: string): RawShape {
    const def = Object.hasOwn(this.raw, name) ? this.raw[name] : undefined;
    if (!def) throw new Error(`model references unknown shape ${name}`);
    return def;
  }

  private namedShape(name: string): Shape {
    return this.named.get(name) ?? this.build(this.rawNamed(name), name);
  }

  private build(def: RawShape, name?: string): Shape {
    const type = def.type ?? 'string';
    switch (type) {
      case 'structure': {
        const members: StructureMember[] = [];
        const shape: StructureShape = { type, members, required: def.required ?? [] };
        if (name) this.named.set(name, shape);
        for (const [memberName, m] of Object.entries(def.members ?? {})) members.push({ name: memberName, ...this.ref(m) });
        return shape;
      }
      case 'list': {
        const shape = { type } as { type: 'list'; member: ShapeRef };
        if (name) this.named.set(name, shape);
        shape.member = this.ref(def.member ?? {});
        return shape;
      }
      case 'map': {
        const shape = { type } as { type: 'map'; key: ShapeRef; value: ShapeRef };
        if (name) this.named.set(name, shape);
        shape.key = this.ref(def.key ?? {});
        shape.value = this.ref(def.value ?? {});
        return shape;
      }
      default: {
        if (!SCALAR_TYPES.has(type)) throw new Error(`unsupported shape type ${type}`);
        const shape: ScalarShape = { type: type as ScalarType };
        if (name) this.named.set(name, shape);
        return shape;
      }
    }
  }
}

class Model implements ServiceModel {
  readonly protocol: string;
  readonly apiVersion: string;
  readonly serviceId: string;
  readonly targetPrefix?: string;
  readonly jsonVersion?: string;
  readonly xmlNamespace?: string;
  readonly awsQueryCompatible: boolean;
  readonly operationNames: readonly string[];
  private readonly resolver: ShapeResolver;
  private readonly operations = new Map<string, OperationModel>();

  constructor(
    readonly id: string,
    private readonly raw: RawModel,
  ) {
    const m = raw.metadata;
    this.protocol = m.protocol;
    this.apiVersion = m.apiVersion;
    this.serviceId = m.serviceId;
    this.targetPrefix = m.targetPrefix as string | undefined;
    this.jsonVersion = m.jsonVersion as string | undefined;
    this.xmlNamespace = m.xmlNamespace as string | undefined;
    this.awsQueryCompatible = m.awsQueryCompatible !== undefined;
    this.operationNames = Object.keys(raw.operations);
    this.resolver = new ShapeResolver(raw.shapes);
  }

  hasOperation(name: string): boolean {
    return Object.hasOwn(this.raw.operations, name);
  }

  operation(name: string): OperationModel | undefined {
    const cached = this.operations.get(name);
    if (cached || !this.hasOperation(name)) return cached;
    const def = this.raw.operations[name];
    const out = def.output;
    const op: OperationModel = {
      name,
      input: def.input ? this.resolver.structure(def.input) : undefined,
      output: out ? this.resolver.structure(out) : undefined,
      resultWrapper: out ? (out.resultWrapper ?? (out.shape ? this.resolver.rawNamed(out.shape).resultWrapper : undefined)) : undefined,
    };
    this.operations.set(name, op);
    return op;
  }
}

/** A model from its parsed min.json document (loadModel reads the vendored files; tests build small ones). */
export function parseModel(id: string, document: unknown): ServiceModel {
  const raw = document as RawModel;
  if (!raw?.metadata || !raw.operations) throw new Error(`${id} is not an AWS API model`);
  return new Model(id, { ...raw, shapes: raw.shapes ?? {} });
}

const MODEL_ID = /^[a-z0-9][a-z0-9.-]*$/;
const loaded = new Map<string, ServiceModel>();

/** Reads shared/models/<id>.json once per process: `loadModel('sqs-2012-11-05')`. */
export function loadModel(id: string): ServiceModel {
  let model = loaded.get(id);
  if (!model) {
    if (!MODEL_ID.test(id)) throw new Error(`invalid model id ${id}`);
    // Compiled to dist/src/protocols/, the models sit at the package root.
    const file = new URL(`../../../models/${id}.json`, import.meta.url);
    model = parseModel(id, JSON.parse(readFileSync(file, 'utf8')));
    loaded.set(id, model);
  }
  return model;
}
