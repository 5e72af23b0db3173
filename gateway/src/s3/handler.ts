import type { IncomingMessage, ServerResponse } from 'node:http';
import { pipeline } from 'node:stream/promises';
import {
  AwsError,
  DEFAULT_REGION,
  accountFromAccessKey,
  internalError,
  isAwsError,
  loadModel,
  type Bus,
  type CallContext,
  type Clock,
  type Logger,
  type OperationModel,
  type ServiceModel,
  XmlWriter,
} from '@stratus/shared';
import { MalformedPathError, RestRouter } from '@stratus/shared/protocols/rest-route';
import { encodeRestXmlError, encodeRestXmlResponse, restXmlRequest, XML_DECLARATION, type RestXmlResponse } from '@stratus/shared/protocols/rest-xml';
import { algorithmOfHeader, isChecksumAlgorithm, type ChecksumAlgorithm } from '@stratus/shared/checksums/index';
import type { BlobRef, BlobStore } from '@stratus/shared/blobs/index';
import { withoutAwsChunked } from '@stratus/shared/streams/index';
import type { Credential } from '../sigv4.js';
import { CALL_TIMEOUT_MS, SLOW_CALL_TIMEOUT_MS } from '../wire.js';
import { pathStyle } from './address.js';
import { ingestObjectBody, readDocument, verifyDocument, type Headers } from './ingest.js';
import { checkPresignedExpiry, isPresigned } from './presign.js';
import { formBoundary, readFormData } from './form-data.js';
import { checkContentLength, checkPostPolicy, parsePostPolicy } from './post-policy.js';

export interface S3GatewayOptions {
  bus: Bus;
  clock: Clock;
  logger: Logger;
  /** The blob store object bodies stream into (opened at startup). */
  blobs: Promise<BlobStore>;
}

/** A streaming output member as the S3 service returns it: a blob, or bytes start..end (inclusive) of it. */
export interface BlobBody {
  blob: BlobRef;
  start?: number;
  end?: number;
}

/** What the server logs of an S3 request. */
export interface S3Outcome {
  operation?: string;
  status: number;
}

const SERVICE = 's3';
/** Operations that may take long: they copy or assemble whole objects. */
const SLOW = new Set(['CompleteMultipartUpload', 'CopyObject', 'UploadPartCopy', 'DeleteObjects']);
/**
 * The S3 service's internal operation for CORS (not in the model, so no request can name it): the
 * Access-Control-* headers for a request with an Origin, or S3's error for a preflight it refuses.
 */
const EVALUATE_CORS = 'EvaluateCors';

interface CorsRequest {
  Bucket: string;
  Key?: string;
  Origin?: string;
  Method: string;
  RequestHeaders?: string;
  Preflight: boolean;
}

/** Reached through other endpoints on AWS (an Object Lambda host prefix), never by path. */
const UNROUTED = new Set(['WriteGetObjectResponse']);

/**
 * The S3 wire (rest-xml) in the gateway: addressing, operation matching, bodies in and out of the
 * blob store, CORS, presigned URL expiry, and S3's error documents. The S3 service sees plain inputs
 * and outputs (docs/s3-contract.md).
 */
export class S3Gateway {
  readonly model: ServiceModel = loadModel('s3-2006-03-01');
  private readonly router = new RestRouter(this.model, (op) => !UNROUTED.has(op.name));

  constructor(private readonly o: S3GatewayOptions) {}

  get blobs(): Promise<BlobStore> {
    return this.o.blobs;
  }

  async handle(req: IncomingMessage, res: ServerResponse, url: string, query: URLSearchParams, credential: Credential | undefined, requestId: string): Promise<S3Outcome> {
    const method = req.method ?? 'GET';
    const q = url.indexOf('?');
    const rawPath = q < 0 ? url : url.slice(0, q);
    const presigned = isPresigned(query);
    const headers = presigned ? hoistQueryHeaders(req.headers, query) : req.headers;
    const host = req.headers.host ?? 'localhost';
    const ctx: CallContext = {
      account: accountFromAccessKey(credential?.accessKeyId),
      region: credential?.region ?? DEFAULT_REGION,
      requestId,
      accessKeyId: credential?.accessKeyId ?? 'anonymous',
      host,
      protocol: 'rest-xml',
    };
    const { path } = pathStyle(host, rawPath);
    const origin = typeof req.headers.origin === 'string' ? req.headers.origin : undefined;
    // A browser's request: its CORS headers are worked out alongside the operation.
    const cors = origin && method !== 'OPTIONS' ? this.corsHeaders(path, origin, method, ctx) : undefined;
    let operation: string | undefined;
    let stored: BlobRef | undefined;
    try {
      if (presigned) checkPresignedExpiry(query, this.o.clock.now());
      if (method === 'OPTIONS') return await this.preflight(req, res, path, origin, ctx);
      const postBucket = method === 'POST' ? browserPostBucket(path, headers) : undefined;
      if (postBucket !== undefined) {
        operation = 'PostObject';
        const out = await this.postObject(req, res, postBucket, headers, ctx, await cors);
        return { operation, status: out };
      }
      let match;
      try {
        match = this.router.match(method, path, query, headers);
      } catch (e) {
        if (e instanceof MalformedPathError) throw new AwsError('InvalidURI', "Couldn't parse the specified URI.", 400, { fields: { URI: url } });
        throw e;
      }
      if (!match) throw methodNotAllowed(method, path);
      operation = match.operation;
      const plan = restXmlRequest(this.model, operation);
      checkSseHeader(plan.operation, headers);
      const input = plan.decodeParams(match.labels, query, headers);
      switch (plan.body.kind) {
        case 'stream': {
          const body = await ingestObjectBody(req, headers, await this.o.blobs);
          stored = body.ref;
          input[plan.body.member] = body.ref;
          plan.applyHeaders(input, body.trailers);
          // The object's own length and coding, not those of its aws-chunked framing.
          input.ContentLength = body.ref.size;
          if (typeof input.ContentEncoding === 'string') {
            const coding = withoutAwsChunked(input.ContentEncoding);
            if (coding === undefined) delete input.ContentEncoding;
            else input.ContentEncoding = coding;
          }
          break;
        }
        case 'xml':
        case 'text':
        case 'blob': {
          const doc = await readDocument(req, headers);
          const trailed = Object.keys(doc.trailers).length > 0;
          // x-amz-checksum-* describe the body only where the model gives the operation a request checksum;
          // CompleteMultipartUpload's are the object's, for the service to check.
          verifyDocument(doc.bytes, trailed ? { ...headers, ...doc.trailers } : headers, {
            required: plan.operation.httpChecksum?.requestChecksumRequired === true,
            bodyChecksums: plan.operation.httpChecksum !== undefined,
          });
          plan.decodeBody(input, doc.bytes);
          if (trailed) plan.applyHeaders(input, doc.trailers);
          break;
        }
        default:
          if (!req.complete) req.resume();
      }
      // From here the service owns the blob (docs/s3-contract.md).
      const sent = stored;
      stored = undefined;
      const output = await this.call(operation, input, ctx, sent);
      const response = encodeRestXmlResponse(this.model, operation, output);
      await this.send(req, res, response, requestId, await cors);
      return { operation, status: response.status };
    } catch (e) {
      if (stored) await (await this.o.blobs).delete(stored).catch(() => undefined);
      // A client that hangs up mid-body is not a server fault: noted, not logged as an error.
      if (!isAwsError(e) && req.destroyed && !req.complete) this.o.logger.info({ requestId, operation }, 's3 client closed the connection mid-request');
      else if (!isAwsError(e)) this.o.logger.error({ err: e, requestId, operation }, 's3 request failed');
      const error = isAwsError(e) ? e : internalError();
      sendError(req, res, error, requestId, await cors);
      return { operation, status: error.status };
    }
  }

  /**
   * A browser POST upload (multipart/form-data to the bucket): the form's fields checked against its
   * policy, the file streamed into the blob store, then a PutObject; the answer as the form asks
   * (success_action_redirect, success_action_status). Returns the status sent.
   */
  private async postObject(req: IncomingMessage, res: ServerResponse, bucket: string, headers: Headers, ctx: CallContext, cors?: Record<string, string>): Promise<number> {
    const blobs = await this.o.blobs;
    const boundary = formBoundary(headerOf(headers, 'content-type'));
    const form = await readFormData(req, boundary ?? '', (fields, _file, stream) => {
      const algorithms = new Set<ChecksumAlgorithm>(['CRC64NVME']);
      for (const name of fields.keys()) {
        const a = name.startsWith('x-amz-checksum-') ? algorithmOfHeader(name) : undefined;
        if (a) algorithms.add(a);
      }
      const hint = fields.get('x-amz-checksum-algorithm')?.toUpperCase();
      if (hint && isChecksumAlgorithm(hint)) algorithms.add(hint);
      return blobs.put(stream, { algorithms: [...algorithms] });
    });
    const ref = form.file?.result;
    let sent = false;
    try {
      if (!form.file || !ref) {
        throw new AwsError('InvalidArgument', 'POST requires exactly one file upload per request.', 400, { fields: { ArgumentName: 'file', ArgumentValue: '0' } });
      }
      const fields = form.fields;
      const rawKey = fields.get('key');
      if (rawKey === undefined) {
        throw new AwsError('InvalidArgument', "Bucket POST must contain a field named 'key'.  If it is specified, please check the order of the fields.", 400, {
          fields: { ArgumentName: 'key', ArgumentValue: '' },
        });
      }
      const key = rawKey.split('${filename}').join(form.file.filename);
      const policyText = fields.get('policy');
      if (policyText !== undefined) {
        const policy = parsePostPolicy(policyText);
        checkPostPolicy(policy, new Map([...fields, ['key', key], ['bucket', bucket]]), this.o.clock.now());
        checkContentLength(policy, ref.size);
      }
      // The form's fields are the headers a PutObject would carry.
      const plan = restXmlRequest(this.model, 'PutObject');
      const formHeaders: Headers = {};
      for (const [name, value] of fields) if (!POST_ONLY_FIELDS.has(name)) formHeaders[name] = value;
      if (fields.has('acl')) formHeaders['x-amz-acl'] = fields.get('acl');
      if (fields.has('tagging')) formHeaders['x-amz-tagging'] = taggingHeader(this.model, fields.get('tagging')!);
      const input = plan.decodeParams({ Bucket: bucket, Key: key }, new URLSearchParams(), formHeaders);
      input.Body = ref;
      input.ContentLength = ref.size;
      sent = true;
      const output = (await this.call('PutObject', input, ctx, ref)) as Record<string, unknown>;
      const etag = String(output.ETag ?? '');
      for (const [name, value] of Object.entries(cors ?? {})) res.setHeader(name, value);
      res.setHeader('x-amz-request-id', ctx.requestId);
      res.setHeader('x-amz-id-2', hostId(ctx.requestId));
      if (typeof output.VersionId === 'string') res.setHeader('x-amz-version-id', output.VersionId);
      if (typeof output.ServerSideEncryption === 'string') res.setHeader('x-amz-server-side-encryption', output.ServerSideEncryption);
      const location = `http://${ctx.host}/${encodeURIComponent(bucket)}/${key.split('/').map(encodeURIComponent).join('/')}`;
      const redirect = fields.get('success_action_redirect') ?? fields.get('redirect');
      if (redirect) {
        const params = `bucket=${encodeURIComponent(bucket)}&key=${encodeURIComponent(key)}&etag=${encodeURIComponent(etag)}`;
        res.setHeader('Location', `${redirect}${redirect.includes('?') ? '&' : '?'}${params}`);
        res.setHeader('Content-Length', 0);
        res.writeHead(303).end();
        return 303;
      }
      res.setHeader('ETag', etag);
      res.setHeader('Location', location);
      const status = Number(fields.get('success_action_status'));
      if (status === 201) {
        const w = new XmlWriter().open('PostResponse').element('Location', location).element('Bucket', bucket).element('Key', key).element('ETag', etag).close('PostResponse');
        const body = XML_DECLARATION + w.toString();
        res.setHeader('Content-Type', 'application/xml');
        res.setHeader('Content-Length', Buffer.byteLength(body));
        res.writeHead(201).end(body);
        return 201;
      }
      const code = status === 200 ? 200 : 204;
      if (code === 200) res.setHeader('Content-Length', 0);
      res.writeHead(code).end();
      return code;
    } finally {
      // Until PutObject has it, the blob is this request's.
      if (ref && !sent) await blobs.delete(ref).catch(() => undefined);
    }
  }

  /** Calls the S3 service, which owns a blob it is sent; one that reached no service is deleted here. */
  private async call(operation: string, input: Record<string, unknown>, ctx: CallContext, blob: BlobRef | undefined): Promise<unknown> {
    try {
      return await this.o.bus.call(SERVICE, operation, input, ctx, { timeoutMs: SLOW.has(operation) ? SLOW_CALL_TIMEOUT_MS : CALL_TIMEOUT_MS });
    } catch (e) {
      // In-process, ServiceUnavailable means no handler ran. Over NATS a timed-out service may still keep the blob.
      if (blob && this.o.bus.kind === 'local' && isAwsError(e) && e.code === 'ServiceUnavailable') {
        await (await this.o.blobs).delete(blob).catch(() => undefined);
      }
      throw e;
    }
  }

  private async send(req: IncomingMessage, res: ServerResponse, r: RestXmlResponse, requestId: string, extra?: Record<string, string>): Promise<void> {
    for (const name in r.headers) res.setHeader(name, r.headers[name]);
    if (extra) for (const name in extra) res.setHeader(name, extra[name]);
    res.setHeader('x-amz-request-id', requestId);
    res.setHeader('x-amz-id-2', hostId(requestId));
    const noBody = req.method === 'HEAD' || r.status === 304 || r.status === 204;
    if (r.stream !== undefined) {
      if (Buffer.isBuffer(r.stream)) {
        res.setHeader('Content-Length', r.stream.length);
        res.writeHead(r.status).end(noBody ? undefined : r.stream);
        return;
      }
      const body = r.stream as BlobBody;
      const ranged = body.start !== undefined && body.end !== undefined;
      const length = ranged ? body.end! - body.start! + 1 : body.blob.size;
      res.setHeader('Content-Length', length);
      if (noBody || length === 0) {
        res.writeHead(r.status).end();
        return;
      }
      if (body.blob.inline !== undefined) {
        // A small body travels inside its ref: one write, no stream.
        const bytes = Buffer.from(body.blob.inline, 'base64');
        res.writeHead(r.status).end(ranged ? bytes.subarray(body.start!, body.end! + 1) : bytes);
        return;
      }
      // Opened before the status is sent, so a missing blob is still an error response.
      const stream = await (await this.o.blobs).open(body.blob, ranged ? { start: body.start!, end: body.end! } : undefined);
      res.writeHead(r.status);
      try {
        await pipeline(stream, res);
      } catch (err) {
        // The client went away, or the bytes vanished mid-read: the response is cut short either way.
        if (!res.destroyed) this.o.logger.warn({ err, requestId }, 'object body stream failed');
        res.destroy();
      }
      return;
    }
    if (r.body !== undefined) {
      if (!res.hasHeader('content-type')) res.setHeader('Content-Type', 'application/xml');
      res.setHeader('Content-Length', Buffer.byteLength(r.body));
      res.writeHead(r.status).end(noBody ? undefined : r.body);
      return;
    }
    if (!noBody) res.setHeader('Content-Length', 0);
    res.writeHead(r.status).end();
  }

  /** An OPTIONS preflight: the S3 service says which headers allow it, or refuses it. */
  private async preflight(req: IncomingMessage, res: ServerResponse, path: string, origin: string | undefined, ctx: CallContext): Promise<S3Outcome> {
    if (!req.complete) req.resume();
    const request: CorsRequest = {
      ...resourceOfPath(path),
      Origin: origin,
      Method: headerOf(req.headers, 'access-control-request-method') ?? 'OPTIONS',
      RequestHeaders: headerOf(req.headers, 'access-control-request-headers'),
      Preflight: true,
    };
    const out = (await this.o.bus.call(SERVICE, EVALUATE_CORS, request as unknown as Record<string, unknown>, ctx)) as { Headers?: Record<string, string> };
    for (const [name, value] of Object.entries(out.Headers ?? {})) res.setHeader(name, value);
    res.setHeader('x-amz-request-id', ctx.requestId);
    res.setHeader('x-amz-id-2', hostId(ctx.requestId));
    res.setHeader('Content-Length', 0);
    res.writeHead(200).end();
    return { operation: 'PreflightRequest', status: 200 };
  }

  /** The CORS headers for a request with an Origin; none when it names no bucket or anything fails. Never rejects. */
  private async corsHeaders(path: string, origin: string, method: string, ctx: CallContext): Promise<Record<string, string> | undefined> {
    const resource = resourceOfPath(path);
    if (!resource.Bucket) return undefined;
    try {
      const request: CorsRequest = { ...resource, Origin: origin, Method: method, Preflight: false };
      const out = (await this.o.bus.call(SERVICE, EVALUATE_CORS, request as unknown as Record<string, unknown>, { ...ctx })) as { Headers?: Record<string, string> };
      return out.Headers;
    } catch {
      return undefined;
    }
  }
}

/** Writes an S3 error: the XML document, or only the status and headers for HEAD and 304. */
export function sendError(req: IncomingMessage, res: ServerResponse, error: AwsError, requestId: string, extra?: Record<string, string>): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  // A body left unread (the error came first) is discarded, and the connection not reused.
  if (!req.complete) {
    res.setHeader('Connection', 'close');
    req.unpipe();
    req.resume();
  }
  if (error.headers) for (const [name, value] of Object.entries(error.headers)) res.setHeader(name, value);
  if (extra) for (const name in extra) res.setHeader(name, extra[name]);
  res.setHeader('x-amz-request-id', requestId);
  res.setHeader('x-amz-id-2', hostId(requestId));
  if (req.method === 'HEAD' || error.status === 304) {
    res.writeHead(error.status).end();
    return;
  }
  const body = encodeRestXmlError(error, requestId, hostId(requestId));
  res.setHeader('Content-Type', 'application/xml');
  res.setHeader('Content-Length', Buffer.byteLength(body));
  res.writeHead(error.status).end(body);
}

/** S3's second request id (x-amz-id-2, the error document's HostId). */
function hostId(requestId: string): string {
  return Buffer.from(requestId).toString('base64');
}

function headerOf(headers: Headers, name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/** The bucket and key a path-style path names, decoded (empty when it names none or is not valid encoding). */
function resourceOfPath(path: string): { Bucket: string; Key?: string } {
  const slash = path.indexOf('/', 1);
  try {
    if (slash < 0) return { Bucket: decodeURIComponent(path.slice(1)) };
    const key = path.slice(slash + 1);
    return { Bucket: decodeURIComponent(path.slice(1, slash)), Key: key ? decodeURIComponent(key) : undefined };
  } catch {
    return { Bucket: '' };
  }
}

/** A presigned URL's x-amz-* parameters (checksums, ACLs, metadata) count as the headers they stand for. */
function hoistQueryHeaders(headers: Headers, query: URLSearchParams): Headers {
  let out: Headers | undefined;
  for (const [key, value] of query) {
    const name = key.toLowerCase();
    if (!name.startsWith('x-amz-') || name === 'x-amz-signature' || name === 'x-amz-credential' || name === 'x-amz-date' || name === 'x-amz-expires') continue;
    if (name === 'x-amz-algorithm' || name === 'x-amz-signedheaders' || name === 'x-amz-security-token') continue;
    if (headers[name] !== undefined) continue;
    (out ??= { ...headers })[name] = value;
  }
  return out ?? headers;
}

/** Form fields of a browser POST that are not object headers. */
const POST_ONLY_FIELDS = new Set(['key', 'file', 'policy', 'signature', 'awsaccesskeyid', 'acl', 'tagging', 'bucket', 'success_action_redirect', 'redirect', 'success_action_status', 'x-amz-signature', 'x-amz-credential', 'x-amz-algorithm', 'x-amz-date', 'x-amz-security-token']);

/** A POST with a multipart/form-data body to a bucket (not an object) is a browser upload. */
function browserPostBucket(path: string, headers: Headers): string | undefined {
  if (formBoundary(headerOf(headers, 'content-type')) === undefined) return undefined;
  const m = /^\/([^/]+)\/?$/.exec(path);
  if (!m) return undefined;
  try {
    return decodeURIComponent(m[1]);
  } catch {
    return undefined;
  }
}

/** A POST form's `tagging` (a Tagging XML document) as the x-amz-tagging header's query form. */
function taggingHeader(model: ServiceModel, xml: string): string {
  const decoded: Record<string, unknown> = {};
  restXmlRequest(model, 'PutObjectTagging').decodeBody(decoded, xml);
  const tags = (decoded.Tagging as { TagSet?: Array<{ Key?: string; Value?: string }> } | undefined)?.TagSet ?? [];
  return tags.map((t) => `${encodeURIComponent(t.Key ?? '')}=${encodeURIComponent(t.Value ?? '')}`).join('&');
}

const SSE_HEADER = 'x-amz-server-side-encryption';
const sseOperations = new WeakMap<OperationModel, boolean>();

/** S3 refuses x-amz-server-side-encryption on operations that do not take it (GET, HEAD, listings...). */
function checkSseHeader(op: OperationModel, headers: Headers): void {
  const value = headerOf(headers, SSE_HEADER);
  if (value === undefined) return;
  let takes = sseOperations.get(op);
  if (takes === undefined) {
    takes = (op.input?.members ?? []).some((m) => m.location === 'header' && m.locationName?.toLowerCase() === SSE_HEADER);
    sseOperations.set(op, takes);
  }
  if (!takes) {
    throw new AwsError('InvalidArgument', `${SSE_HEADER} header is not supported for this operation.`, 400, {
      fields: { ArgumentName: SSE_HEADER, ArgumentValue: value },
    });
  }
}

function methodNotAllowed(method: string, path: string): AwsError {
  const slash = path.indexOf('/', 1);
  const resourceType = path === '/' || path === '' ? 'SERVICE' : slash < 0 || slash === path.length - 1 ? 'BUCKET' : 'OBJECT';
  return new AwsError('MethodNotAllowed', 'The specified method is not allowed against this resource.', 405, {
    fields: { Method: method, ResourceType: resourceType },
  });
}
