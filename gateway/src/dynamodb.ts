import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { randomFillSync } from 'node:crypto';
import { crc32 } from 'node:zlib';
import {
  accountFromAccessKey,
  decodeJson,
  encodeJsonError,
  encodeJsonResponse,
  internalError,
  isAwsError,
  CORAL_SERVICE_NAMESPACE,
  DEFAULT_REGION,
  type AwsError,
  type Bus,
  type CallContext,
  type Logger,
} from '@stratus/shared';
import { readDocumentBody } from './body.js';
import type { Credential } from './sigv4.js';
import type { Route, Router } from './router.js';
import { CALL_TIMEOUT_MS, SLOW_CALL_TIMEOUT_MS } from './wire.js';

/**
 * DynamoDB's HTTP front: what DynamoDB (and DynamoDB Streams, on the same stack) answer before an
 * operation runs, as dynalite's suite recorded it from the real service. In order:
 *
 * - a body over 16 MiB: 413, empty and chunked;
 * - a request id of 52 characters [0-9A-Z] on every answer, and `Access-Control-Allow-Origin: *` on
 *   every answer to a request with an Origin; OPTIONS with an Origin is a CORS preflight (200);
 * - GET: 200 `healthy: dynamodb.<region>.amazonaws.com `;
 * - anything but POST, or a body that is neither `application/json` nor `application/x-amz-json-1.0`:
 *   404 `<UnknownOperationException/>`;
 * - answers are typed like the request: `application/json` unless it was `application/x-amz-json-1.0`;
 * - a body that is not JSON: SerializationException; then a target that names no operation:
 *   UnknownOperationException; then no signature at all (MissingAuthenticationToken), both a signed
 *   header and a presigned query (InvalidSignature), or a signature lacking parts (IncompleteSignature);
 *   then an empty body: SerializationException.
 *
 * Stratus checks a signature's presence and shape, not its value: every SDK signs, with any keys.
 */

/** The signed requests DynamoDB and DynamoDB Streams receive carry this signing name. */
const SIGNING_NAME = 'dynamodb';
const TARGET_PREFIXES = ['DynamoDB_20120810.', 'DynamoDBStreams_20120810.'];
const WIRES: ReadonlySet<string> = new Set(['dynamodb', 'dynamodbstreams']);
// dynamodb.us-east-1.amazonaws.com, streams.dynamodb.eu-west-2.amazonaws.com.cn (port allowed)
const HOST = /^(?:streams\.)?dynamodb\.([a-z]{2}(?:-[a-z]+)+-\d+)\.amazonaws\.com(?:\.cn)?(?::\d+)?$/i;

const JSON_TYPES: ReadonlySet<string> = new Set(['application/json', 'application/x-amz-json-1.0']);
const MAX_AGE = '172800';
const NOT_FOUND_BODY = '<UnknownOperationException/>\n';

export interface DynamoDbOutcome {
  service: string;
  operation?: string;
  status: number;
  requestId: string;
}

export class DynamoDbFront {
  constructor(
    private readonly router: Router,
    private readonly bus: Bus,
    private readonly logger: Logger,
  ) {}

  /**
   * Whether a request is DynamoDB's: signed for `dynamodb`, or unsigned and either naming a DynamoDB
   * target or addressed to a DynamoDB host name.
   */
  claims(req: IncomingMessage, target: string | string[] | undefined, credential: Credential | undefined): boolean {
    if (credential?.service !== undefined) return credential.service === SIGNING_NAME;
    if (typeof target === 'string' && TARGET_PREFIXES.some((p) => target.startsWith(p))) return true;
    const host = req.headers.host;
    return host !== undefined && HOST.test(host);
  }

  async handle(req: IncomingMessage, res: ServerResponse, search: URLSearchParams | undefined, credential: Credential | undefined): Promise<DynamoDbOutcome> {
    const headers: Record<string, string | number> = {};
    let body: string;
    try {
      body = await readDocumentBody(req);
    } catch (e) {
      if (!isAwsError(e) || e.status !== 413) throw e;
      // Answered without reading the rest, with no length: DynamoDB's 413 is chunked and empty.
      res.writeHead(413, { 'transfer-encoding': 'chunked' }).end();
      return { service: SIGNING_NAME, status: 413, requestId: '' };
    }
    const requestId = requestIdOf();
    headers['x-amzn-RequestId'] = requestId;
    const region = credential?.region ?? HOST.exec(req.headers.host ?? '')?.[1] ?? DEFAULT_REGION;
    const done = (status: number, route?: Route): DynamoDbOutcome => ({ service: route?.wire.name ?? SIGNING_NAME, operation: route?.operation, status, requestId });

    if (req.headers.origin !== undefined) {
      headers['Access-Control-Allow-Origin'] = '*';
      if (req.method === 'OPTIONS') {
        const allowHeaders = req.headers['access-control-request-headers'];
        const allowMethod = req.headers['access-control-request-method'];
        if (allowHeaders) headers['Access-Control-Allow-Headers'] = allowHeaders;
        if (allowMethod) headers['Access-Control-Allow-Methods'] = allowMethod;
        headers['Access-Control-Max-Age'] = MAX_AGE;
        headers['content-length'] = 0;
        res.writeHead(200, headers).end();
        return done(200);
      }
    }
    if (req.method === 'GET') {
      const text = `healthy: dynamodb.${region}.amazonaws.com `;
      send(res, 200, headers, text);
      return done(200);
    }
    const contentType = mediaType(req.headers);
    if (req.method !== 'POST' || (body.length > 0 && !JSON_TYPES.has(contentType))) {
      send(res, 404, headers, NOT_FOUND_BODY);
      return done(404);
    }
    headers['content-type'] = contentType === 'application/x-amz-json-1.0' ? contentType : 'application/json';

    let route: Route | undefined;
    try {
      route = this.route(req.headers['x-amz-target']);
      const refused = signatureProblem(req.headers, search);
      if (refused) throw refused;
      if (body.length === 0) throw coralError('SerializationException');
      const input = decodeJson(route.wire.model, route.operation, body);
      const ctx: CallContext = {
        account: accountFromAccessKey(credential?.accessKeyId),
        region,
        requestId,
        accessKeyId: credential?.accessKeyId ?? 'anonymous',
        host: req.headers.host ?? '127.0.0.1',
        protocol: 'json',
        traceId: req.headers['x-amzn-trace-id'] as string | undefined,
      };
      const timeoutMs = route.wire.slowOperations?.has(route.operation) ? SLOW_CALL_TIMEOUT_MS : CALL_TIMEOUT_MS;
      const output = await this.bus.call(route.wire.name, route.operation, input, ctx, { timeoutMs });
      send(res, 200, headers, encodeJsonResponse(route.wire.model, route.operation, output));
      return done(200, route);
    } catch (e) {
      // A body that is not JSON is reported before a bad target or signature.
      const error = e instanceof CoralError && body.length > 0 && !parses(body) ? coralError('SerializationException') : e;
      return done(this.sendError(res, headers, route, error, requestId), route);
    }
  }

  private route(target: string | string[] | undefined): Route {
    if (typeof target !== 'string') throw coralError('UnknownOperationException');
    let route: Route;
    try {
      route = this.router.jsonRoute(target);
    } catch {
      throw coralError('UnknownOperationException');
    }
    if (!WIRES.has(route.wire.name)) throw coralError('UnknownOperationException');
    return route;
  }

  private sendError(res: ServerResponse, headers: Record<string, string | number>, route: Route | undefined, e: unknown, requestId: string): number {
    if (e instanceof CoralError) {
      send(res, 400, headers, e.body);
      return 400;
    }
    if (!isAwsError(e)) this.logger.error({ err: e, requestId }, 'request failed');
    const error: AwsError = isAwsError(e) ? e : internalError();
    if (!route) {
      send(res, error.status, headers, JSON.stringify({ __type: `${CORAL_SERVICE_NAMESPACE}#${error.code}`, message: error.message }));
      return error.status;
    }
    const encoded = encodeJsonError(error, route.wire.model, route.wire.json?.errorNamespace ?? CORAL_SERVICE_NAMESPACE);
    Object.assign(headers, error.headers, encoded.headers);
    send(res, error.status, headers, encoded.body);
    return error.status;
  }
}

/**
 * A framework error answered as Coral words it: `{"__type":"com.amazon.coral.service#X","message":…}`,
 * no message at all for SerializationException and UnknownOperationException.
 */
class CoralError extends Error {
  readonly body: string;
  constructor(code: string, message?: string) {
    super(message ?? code);
    const body: Record<string, string> = { __type: `${CORAL_SERVICE_NAMESPACE}#${code}` };
    if (message !== undefined) body.message = message;
    this.body = JSON.stringify(body);
  }
}

function coralError(code: string, message?: string): CoralError {
  return new CoralError(code, message);
}

function send(res: ServerResponse, status: number, headers: Record<string, string | number>, text: string): void {
  const body = Buffer.from(text);
  headers['content-length'] = body.length;
  headers['x-amz-crc32'] = crc32(body);
  res.writeHead(status, headers);
  res.end(body);
}

function mediaType(headers: IncomingHttpHeaders): string {
  const type = headers['content-type'];
  if (type === undefined) return '';
  const semi = type.indexOf(';');
  return (semi < 0 ? type : type.slice(0, semi)).trim().toLowerCase();
}

function parses(body: string): boolean {
  try {
    JSON.parse(body);
    return true;
  } catch {
    return false;
  }
}

const AUTH_PARAMS = ['Credential', 'Signature', 'SignedHeaders'];
const QUERY_PARAMS = ['X-Amz-Algorithm', 'X-Amz-Credential', 'X-Amz-Signature', 'X-Amz-SignedHeaders', 'X-Amz-Date'];

/** What DynamoDB says about a request's signature before it checks the signature itself. */
function signatureProblem(headers: IncomingHttpHeaders, search: URLSearchParams | undefined): CoralError | undefined {
  const auth = headers.authorization;
  const presigned = search?.has('X-Amz-Algorithm') ?? false;
  if (auth !== undefined && presigned) {
    return coralError('InvalidSignatureException', "Found both 'X-Amz-Algorithm' as a query-string param and 'Authorization' as HTTP header.");
  }
  if ((auth === undefined && !presigned) || (auth !== undefined && !auth.trim().startsWith('AWS4-'))) {
    return coralError('MissingAuthenticationTokenException', 'Request is missing Authentication Token');
  }
  let message = '';
  if (auth !== undefined) {
    const params = new Map<string, string>();
    for (const part of auth.trim().split(/[, ]/).slice(1)) {
      const eq = part.indexOf('=');
      if (eq > 0) params.set(part.slice(0, eq), part.slice(eq + 1));
    }
    for (const p of AUTH_PARAMS) if (!params.get(p)) message += `Authorization header requires '${p}' parameter. `;
    if (!headers['x-amz-date'] && !headers.date) message += "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. ";
    if (message) message += `Authorization=${auth}`;
  } else {
    for (const p of QUERY_PARAMS) if (!search?.get(p)) message += `AWS query-string parameters must include '${p}'. `;
    if (message) message += 'Re-examine the query-string parameters.';
  }
  return message ? coralError('IncompleteSignatureException', message) : undefined;
}

// DynamoDB's request ids: 52 characters of [0-9A-Z]. Drawn from a pool of random bytes refilled in bulk.
const ID_ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const ID_LENGTH = 52;
const pool = Buffer.alloc(ID_LENGTH * 128);
let poolOffset = pool.length;

export function requestIdOf(): string {
  if (poolOffset + ID_LENGTH > pool.length) {
    randomFillSync(pool);
    poolOffset = 0;
  }
  let id = '';
  for (let i = 0; i < ID_LENGTH; i++) id += ID_ALPHABET[pool[poolOffset + i] % 36];
  poolOffset += ID_LENGTH;
  return id;
}
