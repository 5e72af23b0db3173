import { unknownOperation, type AwsError } from '../errors.js';
import type { OperationModel, ServiceModel, ShapeRef, StructureShape } from './model.js';
import { headersDecoder, malformedXml, paramsDecoder, parseXmlDocument, xmlStructureDecoder, type HeadersDecoder, type ParamsDecoder } from './rest-xml-decode.js';
import { elementWriter, headerText, structureContentWriter, type ElementWriter } from './rest-xml-encode.js';
import { XmlWriter } from './xml.js';

/**
 * The rest-xml protocol (S3): members travel in the URI, the query string, headers and the body, as
 * the model's `location` traits say; bodies are XML documents, plain text, or streamed blobs.
 * https://smithy.io/2.0/aws/protocols/aws-restxml-protocol.html
 *
 * Decoding and encoding plans are compiled once per operation. Streaming members never pass through
 * here: the caller streams them (the gateway into and out of the blob store) and puts a reference in
 * the input, or takes one from the output.
 */

export { malformedXml } from './rest-xml-decode.js';
export { httpDate } from './rest-xml-encode.js';

export const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n';

/** How an operation's request body is read. */
export type RestXmlBody =
  /** No body member: the body is ignored. */
  | { readonly kind: 'none' }
  /** A streaming blob payload (S3 PutObject/UploadPart `Body`): the caller streams it. */
  | { readonly kind: 'stream'; readonly member: string }
  /** An XML document: one structure payload member, or (no payload) the input's body members. */
  | { readonly kind: 'xml'; readonly member?: string; readonly root: string; readonly required: boolean }
  /** A string payload taken as the body's text (S3 PutBucketPolicy `Policy`). */
  | { readonly kind: 'text'; readonly member: string; readonly required: boolean }
  /** A non-streaming blob payload: the body's bytes, base64 in the input. */
  | { readonly kind: 'blob'; readonly member: string; readonly required: boolean };

export interface RestXmlRequestPlan {
  readonly operation: OperationModel;
  readonly body: RestXmlBody;
  /** Members from URI labels (already percent-decoded), query string and headers. */
  decodeParams(labels: Record<string, string>, query: URLSearchParams, headers: Record<string, string | string[] | undefined>): Record<string, unknown>;
  /** Header members alone, into an input: S3 trailing checksums arrive after the body as trailers. */
  applyHeaders(input: Record<string, unknown>, headers: Record<string, string | string[] | undefined>): void;
  /** Adds the body's members to the input (kinds xml, text, blob). An empty body adds nothing. */
  decodeBody(input: Record<string, unknown>, body: Buffer | string): void;
}

const requestPlans = new WeakMap<OperationModel, RestXmlRequestPlan>();

function operationOf(model: ServiceModel, operation: string): OperationModel {
  const op = model.operation(operation);
  if (!op) throw unknownOperation(operation);
  return op;
}

const EMPTY_STRUCTURE: StructureShape = { type: 'structure', members: [], required: [] };

/** The compiled request plan of one operation. */
export function restXmlRequest(model: ServiceModel, operation: string): RestXmlRequestPlan {
  const op = operationOf(model, operation);
  let plan = requestPlans.get(op);
  if (!plan) {
    plan = compileRequest(op);
    requestPlans.set(op, plan);
  }
  return plan;
}

function compileRequest(op: OperationModel): RestXmlRequestPlan {
  const input = op.input ?? EMPTY_STRUCTURE;
  const params: ParamsDecoder = paramsDecoder(input);
  const headers: HeadersDecoder = headersDecoder(input);
  const payload = input.payload !== undefined ? input.members.find((m) => m.name === input.payload) : undefined;
  const bodyMembers = input.members.filter((m) => m.location === undefined);
  let body: RestXmlBody;
  let decodeBody: (input: Record<string, unknown>, text: Buffer | string) => void = () => undefined;
  if (payload) {
    const required = input.required.includes(payload.name);
    if (payload.shape.type === 'blob' && payload.streaming) {
      body = { kind: 'stream', member: payload.name };
    } else if (payload.shape.type === 'structure') {
      const root = payload.locationName ?? payload.name;
      const decode = xmlStructureDecoder(payload.shape);
      body = { kind: 'xml', member: payload.name, root, required };
      decodeBody = (into, raw) => {
        const text = typeof raw === 'string' ? raw : raw.toString('utf8');
        if (text.trim() === '') {
          if (required) throw malformedXml();
          return;
        }
        const doc = parseXmlDocument(text);
        if (doc.name !== root) throw malformedXml();
        into[payload.name] = decode(doc.node);
      };
    } else if (payload.shape.type === 'blob') {
      body = { kind: 'blob', member: payload.name, required };
      decodeBody = (into, raw) => {
        const bytes = typeof raw === 'string' ? Buffer.from(raw, 'utf8') : raw;
        if (bytes.length) into[payload.name] = bytes.toString('base64');
      };
    } else {
      body = { kind: 'text', member: payload.name, required };
      decodeBody = (into, raw) => {
        const text = typeof raw === 'string' ? raw : raw.toString('utf8');
        if (text !== '') into[payload.name] = text;
      };
    }
  } else if (bodyMembers.length) {
    // No payload trait: the body members are the children of one root element (S3 SelectObjectContentRequest).
    const root = op.inputXmlName ?? `${op.name}Request`;
    const wrapper: StructureShape = { type: 'structure', members: bodyMembers, required: input.required.filter((r) => bodyMembers.some((m) => m.name === r)) };
    const decode = xmlStructureDecoder(wrapper);
    body = { kind: 'xml', root, required: wrapper.required.length > 0 };
    decodeBody = (into, raw) => {
      const text = typeof raw === 'string' ? raw : raw.toString('utf8');
      if (text.trim() === '') {
        if (wrapper.required.length) throw malformedXml();
        return;
      }
      const doc = parseXmlDocument(text);
      if (doc.name !== root) throw malformedXml();
      Object.assign(into, decode(doc.node));
    };
  } else {
    body = { kind: 'none' };
  }
  return {
    operation: op,
    body,
    decodeParams(labels, query, h) {
      const out: Record<string, unknown> = {};
      params(labels, query, h, out);
      return out;
    },
    applyHeaders: (into, h) => headers(h, into),
    decodeBody,
  };
}

/** A response as the caller writes it. */
export interface RestXmlResponse {
  status: number;
  /** Header members as header values (the caller adds request ids, Content-Type, Content-Length). */
  headers: Record<string, string>;
  /** An XML document or text, when the output has a body. */
  body?: string;
  /** What the service returned for a streaming payload (S3 GetObject's `Body`), for the caller to stream. */
  stream?: unknown;
}

interface ResponsePlan {
  /** Header members by member name. */
  headers: Map<string, { header: string; text: (v: unknown) => string }>;
  prefixed: Map<string, string>;
  statusMember?: string;
  defaultStatus: number;
  write: (output: Record<string, unknown>, res: RestXmlResponse) => void;
}

const responsePlans = new WeakMap<OperationModel, ResponsePlan>();

function compileResponse(model: ServiceModel, op: OperationModel): ResponsePlan {
  const output = op.output ?? EMPTY_STRUCTURE;
  const plan: ResponsePlan = { headers: new Map(), prefixed: new Map(), defaultStatus: op.http?.responseCode ?? 200, write: () => undefined };
  for (const m of output.members) {
    if (m.location === 'header') plan.headers.set(m.name, { header: m.locationName ?? m.name, text: headerText(m) });
    else if (m.location === 'headers') plan.prefixed.set(m.name, m.locationName ?? '');
    else if (m.location === 'statusCode') plan.statusMember = m.name;
  }
  const ns = model.xmlNamespace ? { xmlns: model.xmlNamespace } : undefined;
  const payload = output.payload !== undefined ? output.members.find((m) => m.name === output.payload) : undefined;
  if (payload) {
    if (payload.shape.type === 'blob' && payload.streaming) {
      plan.write = (out, res) => {
        const v = out[payload.name];
        if (v !== undefined && v !== null) res.stream = v;
      };
    } else if (payload.shape.type === 'structure') {
      const write = rootWriter(payload, payload.locationName ?? payload.name, ns);
      plan.write = (out, res) => {
        const v = out[payload.name];
        if (v === undefined || v === null) return;
        const w = new XmlWriter();
        write(w, v);
        res.body = XML_DECLARATION + w.toString();
      };
    } else if (payload.shape.type === 'blob') {
      plan.write = (out, res) => {
        const v = out[payload.name];
        if (typeof v === 'string') res.stream = Buffer.from(v, 'base64');
      };
    } else {
      plan.write = (out, res) => {
        const v = out[payload.name];
        if (v !== undefined && v !== null) res.body = String(v);
      };
    }
    return plan;
  }
  const bodyMembers = output.members.filter((m) => m.location === undefined);
  if (bodyMembers.length === 0) return plan;
  const root = op.outputXmlName ?? `${op.name}Result`;
  const only = bodyMembers.length === 1 ? bodyMembers[0] : undefined;
  if (only && (only.locationName ?? only.name) === root && only.shape.type !== 'structure' && only.shape.type !== 'list' && only.shape.type !== 'map') {
    // The root element is the one member (S3 GetBucketLocation: `<LocationConstraint xmlns>EU</LocationConstraint>`).
    const write = elementWriter({ ...only, xmlNamespace: model.xmlNamespace ? { uri: model.xmlNamespace } : undefined }, root);
    plan.write = (out, res) => {
      const w = new XmlWriter();
      const v = out[only.name];
      if (v === undefined || v === null || v === '') {
        w.open(root, ns).close(root);
      } else {
        write(w, v);
      }
      res.body = XML_DECLARATION + w.toString();
    };
    return plan;
  }
  const wrapper: StructureShape = { type: 'structure', members: bodyMembers, required: [] };
  const content = structureContentWriter(wrapper);
  plan.write = (out, res) => {
    const w = new XmlWriter().open(root, ns);
    content(w, out);
    res.body = XML_DECLARATION + w.close(root).toString();
  };
  return plan;
}

/** A payload structure as the document's root element, carrying the service namespace unless it declares its own. */
function rootWriter(ref: ShapeRef, name: string, ns: Record<string, string> | undefined): ElementWriter {
  const declared = ref.xmlNamespace ?? (ref.shape.type === 'structure' ? ref.shape.xmlNamespace : undefined);
  if (declared || !ns) return elementWriter(ref, name);
  return elementWriter({ ...ref, xmlNamespace: { uri: ns.xmlns } }, name);
}

/**
 * A handler's output as a response: header members as headers (`Metadata` as `x-amz-meta-*`), the body
 * as the model says, the status from a statusCode member, `$status`, or the operation's code.
 */
export function encodeRestXmlResponse(model: ServiceModel, operation: string, output: unknown): RestXmlResponse {
  const op = operationOf(model, operation);
  let plan = responsePlans.get(op);
  if (!plan) {
    plan = compileResponse(model, op);
    responsePlans.set(op, plan);
  }
  const out = (output ?? {}) as Record<string, unknown>;
  const res: RestXmlResponse = { status: plan.defaultStatus, headers: {} };
  // Outputs set a few of their many header members: walk what is set, not what could be.
  for (const name in out) {
    const v = out[name];
    if (v === undefined || v === null) continue;
    const h = plan.headers.get(name);
    if (h) {
      res.headers[h.header] = headerSafe(h.text(v));
      continue;
    }
    const prefix = plan.prefixed.get(name);
    if (prefix === undefined) continue;
    const map = v as Record<string, unknown>;
    for (const k in map) {
      const x = map[k];
      if (x !== undefined && x !== null) res.headers[prefix + k] = headerSafe(String(x));
    }
  }
  const status = plan.statusMember !== undefined ? out[plan.statusMember] : out.$status;
  if (typeof status === 'number') res.status = status;
  plan.write(out, res);
  return res;
}

// Node refuses header values with control characters or characters beyond Latin-1.
const UNSAFE_HEADER = /[^\t\x20-\x7e\x80-\xff]/;

/**
 * A value Node can write as a header: characters beyond Latin-1 as their UTF-8 bytes (which is what
 * a client that sent them in a header sent), control characters dropped.
 */
export function headerSafe(value: string): string {
  if (!UNSAFE_HEADER.test(value)) return value;
  // eslint-disable-next-line no-control-regex
  const printable = value.replace(/[\x00-\x08\x0a-\x1f\x7f]/g, '');
  return /[^\t\x20-\xff]/.test(printable) ? Buffer.from(printable, 'utf8').toString('latin1') : printable;
}

/**
 * S3's error document: `<Error><Code/><Message/>…fields…<RequestId/><HostId/></Error>`. The error's
 * fields become elements (S3's BucketName, Key, Condition, ArgumentName…), nested values as nested elements.
 */
export function encodeRestXmlError(error: AwsError, requestId: string, hostId: string): string {
  const w = new XmlWriter().open('Error').element('Code', error.code).element('Message', error.message);
  if (error.fields) for (const [k, v] of Object.entries(error.fields)) writeField(w, k, v);
  return XML_DECLARATION + w.element('RequestId', requestId).element('HostId', hostId).close('Error').toString();
}

const ELEMENT_NAME = /^[A-Za-z_][\w.-]*$/;

function writeField(w: XmlWriter, name: string, value: unknown): void {
  if (value === undefined || value === null || !ELEMENT_NAME.test(name)) return;
  if (Array.isArray(value)) {
    for (const v of value) writeField(w, name, v);
  } else if (typeof value === 'object') {
    w.open(name);
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) writeField(w, k, v);
    w.close(name);
  } else {
    w.element(name, value instanceof Date ? value.toISOString() : String(value));
  }
}
