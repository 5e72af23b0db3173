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
  type ServiceModel,
} from '@stratus/shared';
import { MalformedPathError, RestRouter } from '@stratus/shared/protocols/rest-route';
import { encodeRestXmlError, encodeRestXmlResponse, restXmlRequest, type RestXmlResponse } from '@stratus/shared/protocols/rest-xml';
import type { BlobRef, BlobStore } from '@stratus/shared/blobs/index';
import { withoutAwsChunked } from '@stratus/shared/streams/index';
import type { Credential } from '../sigv4.js';
import { CALL_TIMEOUT_MS, SLOW_CALL_TIMEOUT_MS } from '../wire.js';
import { pathStyle } from './address.js';
import { ingestObjectBody, readDocument, verifyDocument, type Headers } from './ingest.js';
import { checkPresignedExpiry, isPresigned } from './presign.js';

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
          verifyDocument(doc.bytes, trailed ? { ...headers, ...doc.trailers } : headers, plan.operation.httpChecksum?.requestChecksumRequired === true);
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
      if (!isAwsError(e)) this.o.logger.error({ err: e, requestId, operation }, 's3 request failed');
      const error = isAwsError(e) ? e : internalError();
      sendError(req, res, error, requestId, await cors);
      return { operation, status: error.status };
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

function methodNotAllowed(method: string, path: string): AwsError {
  const slash = path.indexOf('/', 1);
  const resourceType = path === '/' || path === '' ? 'SERVICE' : slash < 0 || slash === path.length - 1 ? 'BUCKET' : 'OBJECT';
  return new AwsError('MethodNotAllowed', 'The specified method is not allowed against this resource.', 405, {
    fields: { Method: method, ResourceType: resourceType },
  });
}
