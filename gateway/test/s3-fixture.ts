import type { AddressInfo } from 'node:net';
import { request as httpRequest, type IncomingHttpHeaders, type Server } from 'node:http';
import { AwsError, Clock, ClockSync, LocalBus, createLogger, type CallContext, type Logger } from '@stratus/shared';
import { BlobStore, type BlobRef } from '@stratus/shared/blobs/index';
import { createGateway } from '../src/index.js';

/**
 * A gateway on a free port with a small fake `s3` service on its LocalBus: the fake records every
 * decoded call and answers with canned outputs (objects it was given are kept by key, so bodies go
 * through the blob store and come back), enough to check the wire both ways.
 */

export interface RecordedCall {
  operation: string;
  input: Record<string, any>;
  ctx: CallContext;
}

export interface S3Fixture {
  endpoint: string;
  port: number;
  clock: Clock;
  blobs: BlobStore;
  calls: RecordedCall[];
  /** The last call of an operation. */
  last(operation: string): RecordedCall;
  close(): Promise<void>;
}

const OWNER = { ID: '75aa57f09aa0c8caeab4f8c24e99d10f8e7faeebf76c078efc7c6caea54ba06a', DisplayName: 'stratus' };

export async function startS3Fixture(options: { logger?: Logger } = {}): Promise<S3Fixture> {
  const bus = new LocalBus();
  const clock = new Clock();
  const blobs = await BlobStore.open();
  const calls: RecordedCall[] = [];
  const objects = new Map<string, { ref: BlobRef; contentType?: string; metadata?: Record<string, string> }>();
  const parts = new Map<string, BlobRef[]>();

  await bus.serve('s3', async (operation, input, ctx) => {
    calls.push({ operation, input: input as Record<string, any>, ctx });
    const i = input as Record<string, any>;
    const key = `${i.Bucket}/${i.Key}`;
    switch (operation) {
      case 'ListBuckets':
        return { Buckets: [{ Name: 'alpha', CreationDate: Date.UTC(2024, 0, 2, 3, 4, 5) }], Owner: OWNER };
      case 'CreateBucket':
        return { Location: `/${i.Bucket}` };
      case 'HeadBucket':
        if (i.Bucket === 'missing') throw new AwsError('NoSuchBucket', 'The specified bucket does not exist', 404, { fields: { BucketName: i.Bucket } });
        return { BucketRegion: 'us-east-1' };
      case 'GetBucketLocation':
        return { LocationConstraint: i.Bucket === 'europe' ? 'eu-west-1' : undefined };
      case 'DeleteBucket':
        return { $status: 204 };
      case 'PutObject': {
        const ref = i.Body as BlobRef;
        objects.set(key, { ref, contentType: i.ContentType, metadata: i.Metadata });
        return { ETag: `"${ref.etag}"`, ChecksumCRC32: i.ChecksumCRC32 ?? ref.checksums.CRC32, ChecksumType: 'FULL_OBJECT' };
      }
      case 'GetObject':
      case 'HeadObject': {
        const o = objects.get(key);
        if (!o) {
          throw new AwsError('NoSuchKey', 'The specified key does not exist.', 404, { fields: { Key: i.Key }, headers: { 'x-amz-delete-marker': 'false' } });
        }
        if (i.IfNoneMatch === `"${o.ref.etag}"`) throw new AwsError('NotModified', 'Not Modified', 304, { headers: { ETag: `"${o.ref.etag}"` } });
        const common = {
          ETag: `"${o.ref.etag}"`,
          LastModified: Date.UTC(2024, 4, 1, 12, 0, 0),
          ContentType: o.contentType ?? 'binary/octet-stream',
          Metadata: o.metadata,
          AcceptRanges: 'bytes',
          ChecksumCRC32: i.ChecksumMode === 'ENABLED' ? o.ref.checksums.CRC32 : undefined,
          TagCount: i.Key === 'tagged' ? 2 : undefined,
        };
        const m = typeof i.Range === 'string' ? /^bytes=(\d+)-(\d*)$/.exec(i.Range) : null;
        if (m) {
          const start = Number(m[1]);
          const end = m[2] === '' ? o.ref.size - 1 : Math.min(Number(m[2]), o.ref.size - 1);
          if (start >= o.ref.size) {
            throw new AwsError('InvalidRange', 'The requested range is not satisfiable', 416, {
              fields: { RangeRequested: i.Range, ActualObjectSize: o.ref.size },
            });
          }
          return {
            ...common,
            // S3 sends no whole-object checksum with a part of the object.
            ChecksumCRC32: undefined,
            $status: 206,
            ContentLength: end - start + 1,
            ContentRange: `bytes ${start}-${end}/${o.ref.size}`,
            Body: operation === 'GetObject' ? { blob: o.ref, start, end } : undefined,
          };
        }
        return { ...common, ContentLength: o.ref.size, Body: operation === 'GetObject' ? { blob: o.ref } : undefined };
      }
      case 'DeleteObject':
        objects.delete(key);
        return { $status: 204 };
      case 'ListObjectsV2':
        return {
          IsTruncated: true,
          Name: i.Bucket,
          Prefix: i.Prefix,
          Delimiter: i.Delimiter,
          MaxKeys: i.MaxKeys ?? 1000,
          KeyCount: 2,
          NextContinuationToken: 'token-1',
          Contents: [
            { Key: 'a/one.txt', LastModified: Date.UTC(2024, 0, 1), ETag: '"abc"', Size: 3, StorageClass: 'STANDARD', ChecksumAlgorithm: ['CRC32'] },
            { Key: 'a/<two>&.txt', LastModified: Date.UTC(2024, 0, 2), ETag: '"def"', Size: 12345678901, StorageClass: 'STANDARD' },
          ],
          CommonPrefixes: [{ Prefix: 'a/b/' }, { Prefix: 'a/c/' }],
        };
      case 'CreateMultipartUpload':
        return { Bucket: i.Bucket, Key: i.Key, UploadId: 'upload-1', ChecksumAlgorithm: i.ChecksumAlgorithm };
      case 'UploadPart': {
        const list = parts.get(i.UploadId) ?? [];
        list[i.PartNumber - 1] = i.Body;
        parts.set(i.UploadId, list);
        return { ETag: `"${(i.Body as BlobRef).etag}"`, ChecksumCRC32: (i.Body as BlobRef).checksums.CRC32 };
      }
      case 'CompleteMultipartUpload': {
        const list = parts.get(i.UploadId) ?? [];
        const ref = await blobs.concat(list);
        objects.set(key, { ref });
        return { Location: `http://${ctx.host}/${i.Bucket}/${i.Key}`, Bucket: i.Bucket, Key: i.Key, ETag: `"${ref.etag}"` };
      }
      case 'AbortMultipartUpload':
        return { $status: 204 };
      case 'DeleteObjects': {
        const objs = (i.Delete?.Objects ?? []) as { Key: string; VersionId?: string }[];
        return {
          Deleted: i.Delete?.Quiet ? undefined : objs.filter((o) => o.Key !== 'locked').map((o) => ({ Key: o.Key, VersionId: o.VersionId })),
          Errors: objs.filter((o) => o.Key === 'locked').map((o) => ({ Key: o.Key, Code: 'AccessDenied', Message: 'Access Denied' })),
        };
      }
      case 'PutBucketTagging':
      case 'PutBucketCors':
      case 'PutBucketPolicy':
      case 'PutObjectAcl':
        return {};
      case 'GetBucketTagging':
        return { TagSet: [{ Key: 'team', Value: 'a&b' }] };
      case 'GetBucketPolicy':
        return { Policy: '{"Version":"2012-10-17","Statement":[]}' };
      case 'GetBucketAcl':
        return {
          Owner: OWNER,
          Grants: [{ Grantee: { Type: 'CanonicalUser', ID: OWNER.ID, DisplayName: 'stratus' }, Permission: 'FULL_CONTROL' }],
        };
      case 'EvaluateCors': {
        // The S3 service's internal CORS operation, canned: bucket `cors` allows GET/PUT from one origin.
        const forbidden = (message: string, resourceType = i.Key ? 'OBJECT' : 'BUCKET') =>
          new AwsError('AccessForbidden', `CORSResponse: ${message}`, 403, { fields: { Method: i.Method, ResourceType: resourceType } });
        if (i.Preflight && !i.Origin) throw new AwsError('BadRequest', 'Insufficient information. Origin request header needed.', 400);
        if (i.Bucket === 'missing') {
          if (i.Preflight) throw forbidden('Bucket not found', 'BUCKET');
          return { Headers: {} };
        }
        const allowed = i.Bucket === 'cors' && i.Origin === 'https://app.example.com' && ['GET', 'PUT'].includes(i.Method);
        if (allowed) {
          const headers: Record<string, string> = {
            'Access-Control-Allow-Origin': i.Origin,
            'Access-Control-Allow-Methods': 'GET, PUT',
            'Access-Control-Allow-Credentials': 'true',
            Vary: 'Origin, Access-Control-Request-Headers, Access-Control-Request-Method',
          };
          if (i.Preflight && i.RequestHeaders) headers['Access-Control-Allow-Headers'] = String(i.RequestHeaders).toLowerCase();
          return { Headers: headers };
        }
        if (i.Preflight) {
          throw forbidden(i.Bucket === 'cors' ? 'This CORS request is not allowed.' : 'CORS is not enabled for this bucket.');
        }
        return { Headers: {} };
      }
      default:
        throw new AwsError('NotImplemented', `fake s3 has no ${operation}`, 501);
    }
  });

  const server: Server = createGateway({
    bus,
    logger: options.logger ?? createLogger('silent'),
    clock,
    clockSync: new ClockSync(clock, bus),
    mode: 'embedded',
    services: ['s3'],
    version: 'test',
    blobs: async () => blobs,
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    port,
    clock,
    blobs,
    calls,
    last(operation) {
      const found = calls.filter((c) => c.operation === operation).at(-1);
      if (!found) throw new Error(`no ${operation} call recorded (calls: ${calls.map((c) => c.operation).join(', ')})`);
      return found;
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await bus.close();
      await blobs.close();
    },
  };
}

export interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
  text: string;
}

/** A raw HTTP request to the fixture (Host header and body exactly as given). */
export function raw(
  port: number,
  method: string,
  path: string,
  options: { headers?: Record<string, string | number>; body?: string | Buffer } = {},
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, method, path, headers: options.headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const body = Buffer.concat(chunks);
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body, text: body.toString('utf8') });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

/** The text of the first `<name>` element of an XML document. */
export function xmlText(xml: string, name: string): string | undefined {
  const m = new RegExp(`<${name}(?: [^>]*)?>([^<]*)</${name}>`).exec(xml);
  return m?.[1];
}
