import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import {
  AwsError,
  accountFromAccessKey,
  decodeJson,
  decodeQuery,
  encodeJsonError,
  encodeJsonResponse,
  encodeQueryError,
  encodeQueryResponse,
  internalError,
  isAwsError,
  once,
  warmUpLater,
  CORAL_SERVICE_NAMESPACE,
  DEFAULT_REGION,
  type Bus,
  type CallContext,
  type Logger,
} from '@stratus/shared';
import type { BlobStore } from '@stratus/shared/blobs/index';
import { credentialOf } from './sigv4.js';
import { isFormRequest, Router, type Protocol, type Route } from './router.js';
import { readDocumentBody } from './body.js';
import { applySqsQueuePath } from './sqs-queue-path.js';
import { CALL_TIMEOUT_MS, SLOW_CALL_TIMEOUT_MS, serviceWires, type ServiceWire } from './wire.js';
import { AdminApi, type AdminOptions } from './admin.js';
import { DynamoDbFront } from './dynamodb.js';

export interface GatewayOptions extends AdminOptions {
  bus: Bus;
  logger: Logger;
  /**
   * S3 object bodies: the blob store shared with the S3 service. When absent and S3 is among the
   * services, the gateway opens one in `blobDir` (a temp dir, removed when the server closes, if that
   * is absent too).
   */
  blobs?: () => Promise<BlobStore>;
  blobDir?: string;
}


/** The HTTP front door: decodes AWS requests into bus calls and encodes what comes back. */
export function createGateway(options: GatewayOptions): Server {
  const wires = serviceWires();
  const router = new Router(wires);
  const admin = new AdminApi(options);
  const { bus, logger } = options;
  // The S3 path loads on first use or shortly after the server listens, whichever comes first: its XML
  // parser and model are slow to load, and the first answer (to any service) must not wait for them.
  const s3 = options.services.includes('s3')
    ? once(async () => new (await import('./s3/handler.js')).S3Gateway({ bus, logger, clock: options.clock, blobs: openBlobs(options) }))
    : undefined;
  const dynamodb = options.services.some((s) => s === 'dynamodb' || s === 'dynamodbstreams') ? new DynamoDbFront(router, bus, logger) : undefined;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = performance.now();
    const requestId = randomUUID();
    const url = req.url ?? '/';
    if (url.startsWith('/_stratus/')) return admin.handle(req, res, url);

    const q = url.indexOf('?');
    const path = q < 0 ? url : url.slice(0, q);
    const search = q < 0 ? undefined : new URLSearchParams(url.slice(q + 1));
    const credential = credentialOf(req.headers, search);
    const target = req.headers['x-amz-target'];
    if (dynamodb?.claims(req, target, credential)) {
      const outcome = await dynamodb.handle(req, res, search, credential);
      logger.info({ ...outcome, ms: +(performance.now() - started).toFixed(2) }, 'request');
      return;
    }
    if (s3 && isS3Request(req, target, search, credential?.service)) {
      const outcome = await (await s3()).handle(req, res, url, search ?? new URLSearchParams(), credential, requestId);
      logger.info({ service: 's3', ...outcome, ms: +(performance.now() - started).toFixed(2), requestId }, 'request');
      return;
    }
    let route: Route | undefined;
    let status = 200;
    try {
      let input: Record<string, unknown>;
      if (typeof target === 'string') {
        route = router.jsonRoute(target);
        input = decodeJson(route.wire.model, route.operation, await readDocumentBody(req));
      } else if (isFormRequest(req) || search?.has('Action')) {
        const params = new URLSearchParams(req.method === 'GET' || req.method === 'HEAD' ? '' : await readDocumentBody(req));
        if (search) for (const [k, v] of search) if (!params.has(k)) params.set(k, v);
        route = router.queryRoute(params.get('Action'), credential);
        input = decodeQuery(route.wire.model, route.operation, params);
      } else {
        req.resume();
        throw new AwsError('InvalidAction', 'Stratus could not tell which AWS service and operation this request is for.', 400);
      }
      const host = req.headers.host ?? '127.0.0.1';
      if (route.wire.name === 'sqs' && route.protocol === 'query') applySqsQueuePath(route.operation, input, path, host);
      const ctx: CallContext = {
        account: accountFromAccessKey(credential?.accessKeyId),
        region: credential?.region ?? DEFAULT_REGION,
        requestId,
        accessKeyId: credential?.accessKeyId ?? 'anonymous',
        host,
        protocol: route.protocol,
        traceId: req.headers['x-amzn-trace-id'] as string | undefined,
      };
      const timeoutMs = route.wire.slowOperations?.has(route.operation) ? SLOW_CALL_TIMEOUT_MS : CALL_TIMEOUT_MS;
      const output = await bus.call(route.wire.name, route.operation, input, ctx, { timeoutMs });
      sendOutput(res, route, output, requestId);
    } catch (e) {
      if (!isAwsError(e)) logger.error({ err: e, requestId }, 'request failed');
      const error = isAwsError(e) ? e : internalError();
      status = error.status;
      const protocol: Protocol = route?.protocol ?? (typeof target === 'string' ? 'json' : 'query');
      sendError(res, protocol, route?.wire ?? router.wireForCredential(credential), error, requestId);
    }
    logger.info(
      { service: route?.wire.name, operation: route?.operation, status, ms: +(performance.now() - started).toFixed(2), requestId },
      'request',
    );
  }

  // Object uploads may outlast Node's default 5-minute request timeout; S3 sets none.
  const onRequest = (req: IncomingMessage, res: ServerResponse): void => {
    handle(req, res).catch((err: unknown) => {
      logger.error({ err }, 'unhandled gateway failure');
      if (!res.headersSent) res.writeHead(500).end();
    });
  };
  const server = createServer({ keepAliveTimeout: 65_000, ...(s3 ? { requestTimeout: 0 } : {}) }, onRequest);
  // AWS ignores an Expect header it does not know (only 100-continue means anything); Node would answer 417.
  server.on('checkExpectation', onRequest);
  if (s3) {
    server.once('listening', () => warmUpLater(() => void s3()));
    if (!options.blobs) {
      // A store this gateway opened is its own to close (a temp one is removed then).
      server.on('close', () => {
        s3()
          .then((g) => g.blobs)
          .then((b) => b.close())
          .catch(() => undefined);
      });
    }
  }
  return server;
}

/**
 * S3 is the catch-all: what the signature scopes to `s3`, and, unsigned for a service or SigV2, whatever
 * is neither JSON (X-Amz-Target) nor query (a form POST, or an `Action` parameter).
 */
function isS3Request(req: IncomingMessage, target: string | string[] | undefined, search: URLSearchParams | undefined, scope: string | undefined): boolean {
  if (scope !== undefined) return scope === 's3';
  if (target !== undefined) return false;
  if (search?.has('Action')) return false;
  return !(req.method === 'POST' && isFormRequest(req));
}

/** The gateway's blob store: the one given, or one opened now (removed with the server when it is a temp dir). */
function openBlobs(options: GatewayOptions): Promise<BlobStore> {
  if (options.blobs) return options.blobs();
  const opened = import('@stratus/shared/blobs/index').then(({ BlobStore }) => BlobStore.open({ dir: options.blobDir }));
  opened.catch((err: unknown) => options.logger.error({ err, blobDir: options.blobDir }, 'cannot open the blob store; S3 requests will fail'));
  return opened;
}

function sendOutput(res: ServerResponse, route: Route, output: unknown, requestId: string): void {
  if (route.protocol === 'json') {
    const body = encodeJsonResponse(route.wire.model, route.operation, output);
    res.writeHead(200, {
      'content-type': `application/x-amz-json-${route.wire.json!.version}`,
      'content-length': Buffer.byteLength(body),
      'x-amzn-requestid': requestId,
    });
    res.end(body);
    return;
  }
  const body = encodeQueryResponse(route.wire.model, route.operation, output, requestId);
  res.writeHead(200, { 'content-type': 'text/xml', 'content-length': Buffer.byteLength(body), 'x-amzn-requestid': requestId });
  res.end(body);
}

function sendError(res: ServerResponse, protocol: Protocol, wire: ServiceWire | undefined, error: AwsError, requestId: string): void {
  if (res.headersSent) return void res.end();
  const headers: Record<string, string | number> = { 'x-amzn-requestid': requestId, ...error.headers };
  let body: string;
  if (protocol === 'json') {
    const namespace = wire?.json?.errorNamespace ?? CORAL_SERVICE_NAMESPACE;
    const encoded = wire
      ? encodeJsonError(error, wire.model, namespace)
      : { body: JSON.stringify({ __type: `${error.typeNamespace ?? namespace}#${error.code}`, message: error.message }), headers: {} };
    body = encoded.body;
    Object.assign(headers, encoded.headers);
    headers['content-type'] = `application/x-amz-json-${wire?.json?.version ?? '1.0'}`;
  } else {
    body = encodeQueryError(error, requestId, wire?.query?.xmlNamespace, wire?.model.awsQueryCompatible ?? false);
    headers['content-type'] = 'text/xml';
  }
  headers['content-length'] = Buffer.byteLength(body);
  res.writeHead(error.status, headers);
  res.end(body);
}
