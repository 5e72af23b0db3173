import { existsSync, readFileSync } from 'node:fs';

/**
 * A typed view of an AWS API model in the aws-sdk v2 `min.json` format (vendored in shared/models/).
 * Operations and their shapes are resolved on first use and kept; the protocol codecs compile their
 * per-operation decoders and encoders from these resolved shapes.
 */

export type ScalarType = 'string' | 'integer' | 'long' | 'float' | 'double' | 'boolean' | 'blob' | 'timestamp';

export interface ScalarShape {
  readonly type: ScalarType;
  /** Timestamps only: a format that overrides the protocol's default for where the value travels. */
  readonly timestampFormat?: TimestampFormat;
}

export type TimestampFormat = 'iso8601' | 'rfc822' | 'unixTimestamp';

/** An XML namespace a member or shape declares (`xmlns="uri"`, or `xmlns:prefix="uri"`). */
export interface XmlNamespace {
  readonly uri: string;
  readonly prefix?: string;
}

/**
 * Where a member of an operation's input or output travels in the REST protocols (rest-xml, rest-json):
 * a URI label, a query parameter, a header, a map of headers sharing a prefix, or the status code.
 * Members without one travel in the body.
 */
export type MemberLocation = 'uri' | 'querystring' | 'header' | 'headers' | 'statusCode';

export interface StructureShape {
  readonly type: 'structure';
  /** In model order, which is the order AWS writes them in XML. */
  readonly members: readonly StructureMember[];
  readonly required: readonly string[];
  /** REST protocols: the member that is the whole body (a structure, a string, or a streaming blob). */
  readonly payload?: string;
  /** The namespace the shape's element declares (S3's Grantee: `xmlns:xsi`). */
  readonly xmlNamespace?: XmlNamespace;
  /**
   * The shape's name in the service's API (`KeysAndAttributes`), when a supplement gives it: min.json
   * models key shapes S1, S2... and inline those used once. DynamoDB's wire errors name the class.
   */
  readonly name?: string;
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
  /** REST protocols: where the member travels (absent: in the body). `locationName` is then its name there. */
  readonly location?: MemberLocation;
  /** XML: written as an attribute of the parent element, not as a child element. */
  readonly xmlAttribute?: boolean;
  /** XML: the namespace the member's element declares (S3 request payloads). */
  readonly xmlNamespace?: XmlNamespace;
  /** A blob streamed as the whole body (S3 object bodies), never held in memory. */
  readonly streaming?: boolean;
}

export interface StructureMember extends ShapeRef {
  /** The member's name in the model, which is also its JSON key and its key in decoded inputs. */
  readonly name: string;
}

/** REST protocols: the operation's HTTP binding (`http` in the model). */
export interface HttpBinding {
  /** POST when the model leaves it out. */
  readonly method: string;
  /** A URI template: `/{Bucket}/{Key+}?uploads`, labels in braces, `+` for a greedy (slash-spanning) one. */
  readonly requestUri: string;
  /** The success status, when not 200 (S3's 204 for deletes). */
  readonly responseCode?: number;
}

/** The model's `httpChecksum` trait: how request and response bodies are checksummed. */
export interface HttpChecksumTrait {
  readonly requestChecksumRequired?: boolean;
  readonly requestAlgorithmMember?: string;
  readonly requestValidationModeMember?: string;
  readonly responseAlgorithms?: readonly string[];
}

export interface OperationModel {
  readonly name: string;
  readonly input?: StructureShape;
  readonly output?: StructureShape;
  /** Query protocol: the element wrapping the output members (`GetCallerIdentityResult`). */
  readonly resultWrapper?: string;
  readonly http?: HttpBinding;
  /** Superseded by another operation with the same binding (S3's GetBucketLifecycle). */
  readonly deprecated: boolean;
  readonly httpChecksum?: HttpChecksumTrait;
  /** XML: the root element of a request body made of the input's body members (S3 SelectObjectContentRequest). */
  readonly inputXmlName?: string;
  readonly inputXmlNamespace?: XmlNamespace;
  /** XML: the root element of a response body made of the output's body members (S3 ListBucketResult). */
  readonly outputXmlName?: string;
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
  location?: string;
  payload?: string;
  streaming?: boolean;
  xmlAttribute?: boolean;
  xmlNamespace?: XmlNamespace | string;
  timestampFormat?: string;
  shapeName?: string;
}

interface RawOperation {
  input?: RawShape;
  output?: RawShape;
  http?: { method?: string; requestUri?: string; responseCode?: number };
  deprecated?: boolean;
  httpChecksum?: HttpChecksumTrait;
}

interface RawModel {
  metadata: Record<string, unknown> & { protocol: string; apiVersion: string; serviceId: string };
  operations: Record<string, RawOperation>;
  shapes: Record<string, RawShape>;
}

const LOCATIONS: ReadonlySet<string> = new Set<MemberLocation>(['uri', 'querystring', 'header', 'headers', 'statusCode']);
const TIMESTAMP_FORMATS: ReadonlySet<string> = new Set<TimestampFormat>(['iso8601', 'rfc822', 'unixTimestamp']);

function xmlNamespaceOf(ns: XmlNamespace | string | undefined): XmlNamespace | undefined {
  if (ns === undefined) return undefined;
  return typeof ns === 'string' ? { uri: ns } : ns;
}

/** The REST traits of a member definition, each only when set, so JSON/query shapes stay as they were. */
function restTraits(def: RawShape, target?: RawShape): Partial<ShapeRef> {
  const out: { -readonly [K in keyof ShapeRef]?: ShapeRef[K] } = {};
  if (def.location !== undefined) {
    if (!LOCATIONS.has(def.location)) throw new Error(`unsupported member location ${def.location}`);
    out.location = def.location as MemberLocation;
  }
  if (def.xmlAttribute ?? target?.xmlAttribute) out.xmlAttribute = true;
  const ns = xmlNamespaceOf(def.xmlNamespace);
  if (ns) out.xmlNamespace = ns;
  if (def.streaming ?? target?.streaming) out.streaming = true;
  return out;
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
      return { shape: this.build(def), locationName: def.locationName, flattened: def.flattened ?? false, ...restTraits(def) };
    }
    const target = this.rawNamed(def.shape);
    // A member's own timestamp format (rare) makes its own scalar shape.
    const shape =
      def.timestampFormat !== undefined && def.timestampFormat !== target.timestampFormat
        ? this.build({ ...target, timestampFormat: def.timestampFormat })
        : this.namedShape(def.shape);
    return {
      shape,
      locationName: def.locationName ?? target.locationName,
      flattened: def.flattened ?? target.flattened ?? false,
      ...restTraits(def, target),
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
        if (def.payload !== undefined) (shape as { payload?: string }).payload = def.payload;
        const ns = xmlNamespaceOf(def.xmlNamespace);
        if (ns) (shape as { xmlNamespace?: XmlNamespace }).xmlNamespace = ns;
        if (def.shapeName !== undefined) (shape as { name?: string }).name = def.shapeName;
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
        const shape: ScalarShape =
          def.timestampFormat !== undefined && TIMESTAMP_FORMATS.has(def.timestampFormat)
            ? { type: type as ScalarType, timestampFormat: def.timestampFormat as TimestampFormat }
            : { type: type as ScalarType };
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
    const rawOut = out?.shape ? this.resolver.rawNamed(out.shape) : undefined;
    const rawIn = def.input?.shape ? this.resolver.rawNamed(def.input.shape) : undefined;
    const op: OperationModel = {
      name,
      input: def.input ? this.resolver.structure(def.input) : undefined,
      output: out ? this.resolver.structure(out) : undefined,
      resultWrapper: out ? (out.resultWrapper ?? rawOut?.resultWrapper) : undefined,
      http: def.http
        ? { method: def.http.method ?? 'POST', requestUri: def.http.requestUri ?? '/', responseCode: def.http.responseCode }
        : undefined,
      deprecated: def.deprecated === true,
      httpChecksum: def.httpChecksum,
      inputXmlName: def.input?.locationName ?? rawIn?.locationName,
      inputXmlNamespace: xmlNamespaceOf(def.input?.xmlNamespace ?? rawIn?.xmlNamespace),
      outputXmlName: out?.locationName ?? rawOut?.locationName,
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
    const document: unknown = JSON.parse(readFileSync(file, 'utf8'));
    const supplement = readSupplement(new URL(`../../../models/${id}.supplement.json`, import.meta.url));
    model = parseModel(id, supplement ? mergeSupplement(document, supplement) : document);
    loaded.set(id, model);
  }
  return model;
}

/**
 * `<id>.supplement.json` beside a vendored model: what AWS added to the API after the frozen aws-sdk v2
 * models (S3's CRC64NVME checksums, x-amz-checksum-type) and what the min.json form dropped (S3's
 * response root element names). Its `_comment` keys are notes; the rest is merged into the model.
 */
function readSupplement(file: URL): unknown {
  return existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : undefined;
}

/** Objects merge key by key (a supplement adds members, traits, operations); anything else replaces. */
export function mergeSupplement(base: unknown, supplement: unknown): unknown {
  if (!isPlainObject(base) || !isPlainObject(supplement)) return supplement;
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(supplement)) {
    if (k === '_comment' || k === '__proto__') continue;
    out[k] = Object.hasOwn(base, k) ? mergeSupplement(base[k], v) : v;
  }
  return out;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
